// Text of the corpus that is legitimately stored (texts.json "storable": emoji, rare CJK, HTML,
// SQL-looking, spreadsheet formulas) goes in through the real routes — a trainee's remark and proof
// file name, review remarks, revoke and correction reasons, a session's subject, room and cancel
// reason, staff and plan names, roster names and timetable subjects from CSV — and every dashboard
// page that shows it renders it escaped and as typed; the CSV export neutralises formulas.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEMO_LINE_USERS } from "../../src/demo/seed";
import { addDays, taipeiDate } from "../../src/domain/taipei-time";
import { rosterLine, timetableLine } from "./bad-input-admin";
import { bytes, corpus, MARK, setUpWorld, type World } from "./bad-input-world";
import { liffCall, ORIGIN, routeLineToEmulator } from "./dev-server";

const byName = (name: string) => {
	const t = corpus.storable.find((s) => s.name === name);
	if (!t) throw new Error(name);
	return t.value;
};
const SCRIPT = byName("script tag");
const ATTR = byName("attribute breakout");
const SQL = byName("SQL-looking");
const EMOJI = byName("emoji");
const RARE = byName("rare CJK (Ext B, 4 dragons)");
const FORMULA = byName("spreadsheet formula");
/** Everything storable in one remark (up to 500 characters). */
const ALL = corpus.storable.map((t) => t.value).join(" / ");
/** What fits 200 characters (review remarks, reasons). */
const SHORT = [SCRIPT, ATTR, SQL, RARE].join(" ");

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>'"]/g,
		(ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&quot;" })[ch] ?? ch,
	);

/** The page shows each text as typed, escaped; nothing of the corpus's markup is live in it. */
function expectShown(html: string, texts: string[], where: string) {
	for (const text of texts) {
		const parts = text.split(" / ");
		for (const part of parts) expect(html, `${where} shows ${part} escaped`).toContain(escapeHtml(part));
	}
	expectNoLiveMarkup(html, where);
}
function expectNoLiveMarkup(html: string, where: string) {
	expect(html, `${where}: no live <script> of the corpus`).not.toContain(`<script>bi${MARK}`);
	expect(html, `${where}: no live <img> of the corpus`).not.toContain(`<img src=x onerror=bi${MARK}`);
	expect(html, `${where}: no attribute broken out of`).not.toMatch(
		new RegExp(`"><img src=x onerror=bi${MARK}`),
	);
}

let w: World;
const ids: Record<string, number> = {};
const pages: { path: string; texts: string[]; agency?: boolean }[] = [];

beforeAll(async () => {
	w = await setUpWorld();
}, 120_000);
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const admin = () => w.tabs.northAdmin;
const idFrom = (res: Response) => Number(/\/(\d+)(?:\?|$)/.exec(res.headers.get("location") ?? "")?.[1]);

describe("storing the corpus's legitimate texts through the routes", () => {
	it("a trainee's remarks and proof file name, reviewed, rejected and revoked with corpus text", async () => {
		const ask = async (sessionId: number | undefined, remark: string) => {
			const res = await liffCall(DEMO_LINE_USERS.trainee, "/api/liff/trainee/leave", {
				method: "POST",
				json: { sessionIds: [sessionId], typeCode: "sick", remark, clientKey: crypto.randomUUID() },
			});
			expect(res.status, await res.clone().text()).toBe(201);
			return ((await res.json()) as { requestId: number }).requestId;
		};
		ids.a = await ask(w.north.futureSessionIds.at(-1), ALL);
		ids.b = await ask(w.north.futureSessionIds.at(-2), FORMULA);
		const file = await liffCall(DEMO_LINE_USERS.trainee, `/api/liff/trainee/leave/${ids.a}/attachments`, {
			method: "POST",
			headers: { "content-type": "image/jpeg", "x-file-name": encodeURIComponent(`${ATTR}.jpg`) },
			body: bytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "JFIF photo"),
		});
		expect(file.status, await file.clone().text()).toBe(201);
		const reject = await admin().post("/admin/leave/review", {
			ids: [String(ids.a)],
			decision: "rejected",
			remark: SHORT,
		});
		expect(reject.headers.get("location")).toContain("done=1");
		const approve = await admin().post("/admin/leave/review", {
			ids: [String(ids.b)],
			decision: "approved",
			remark: FORMULA,
		});
		expect(approve.headers.get("location")).toContain("done=1");
		const revoke = await admin().post(`/admin/leave/${ids.b}/revoke`, { reason: SHORT });
		expect(revoke.headers.get("location")).toContain("done=1");
		pages.push(
			{ path: `/admin/leave/${ids.a}`, texts: [ALL, SHORT, `${ATTR}.jpg`] },
			// The revoke reason goes to the trainee (LINE, LIFF); the detail page does not show it.
			{ path: `/admin/leave/${ids.b}`, texts: [FORMULA] },
			{ path: "/admin/leave?status=rejected", texts: [] },
			{ path: "/admin/audit", texts: [] },
		);
	});

	it("a correction's reason", async () => {
		const res = await admin().post(
			`/admin/sessions/${w.north.sessionId}/punches/${w.north.otherPersonId}/correct`,
			{ checkIn: "", checkOut: "", mark: "present", reason: SHORT },
		);
		expect(res.status, await res.clone().text()).toBe(303);
		pages.push({ path: `/admin/sessions/${w.north.sessionId}/punches`, texts: [SHORT] });
	});

	it("a session's subject and room, and its cancel reason", async () => {
		const date = addDays(taipeiDate(Date.now()), 8);
		const subject = `${SCRIPT}${RARE.slice(0, 2)}`;
		const room = ATTR;
		const res = await admin().post(`/admin/classes/${w.north.classId}/sessions`, {
			date,
			start: "19:00",
			end: "20:00",
			hours: "",
			subject,
			teacherId: "",
			room,
		});
		expect(res.status, await res.clone().text()).toBe(303);
		const { sessions } = await import("../../src/db/schema");
		const { db } = await import("./bad-input-world");
		const { and, eq } = await import("drizzle-orm");
		const row = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, w.north.classId), eq(sessions.subject, subject)))
			.get();
		expect(row).toBeDefined();
		ids.session = row?.id ?? -1;
		const cancel = await admin().post(`/admin/sessions/${ids.session}/cancel`, { reason: SHORT });
		expect(cancel.status, await cancel.clone().text()).toBe(303);
		pages.push(
			{ path: `/admin/classes/${w.north.classId}?from=${date}&to=${date}`, texts: [subject] },
			{ path: `/admin/sessions/${ids.session}/edit`, texts: [subject, room, SHORT] },
		);
	});

	it("staff accounts named with corpus text", async () => {
		for (const [i, name] of [SCRIPT, ATTR, RARE, EMOJI].entries()) {
			const res = await admin().post("/admin/staff", {
				name,
				email: `${MARK}.${i}@unit.example`,
				role: "unit_staff",
				unitId: "",
			});
			expect(res.status, await res.clone().text()).toBe(303);
			const id = idFrom(res);
			pages.push({ path: `/admin/staff/${id}`, texts: [name] });
		}
		pages.push({ path: `/admin/staff?q=${MARK}`, texts: [SCRIPT, ATTR, RARE, EMOJI] });
	});

	it("a plan named with corpus text", async () => {
		const name = `${SCRIPT}${ATTR}`;
		const res = await w.tabs.agency.post("/admin/settings/plans", { code: `P-${MARK}`, name });
		expect(res.status, await res.clone().text()).toBe(303);
		pages.push(
			{ path: "/admin/settings", texts: [name], agency: true },
			{ path: `/admin/settings/plans/${idFrom(res)}`, texts: [name], agency: true },
		);
	});

	it("roster names from a CSV: the preview, the result and the class page", async () => {
		const names = [SCRIPT, ATTR, SQL, EMOJI, RARE, byName("SQL tautology")];
		const csv = `班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件\r\n${names
			.map((name) => rosterLine(w, { 2: `"${name.replaceAll('"', '""')}"` }))
			.join("\r\n")}\r\n`;
		const preview = await admin().postFile(
			"/admin/roster-import",
			new File([csv], "名冊.csv", { type: "text/csv" }),
		);
		const html = await preview.text();
		expect(preview.status).toBe(200);
		expectShown(html, names, "the roster preview");
		const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
		expect(token, "the preview offers 確認匯入").toBeDefined();
		const result = await admin().post("/admin/roster-import/confirm", { token: token ?? "" });
		expect(result.status).toBe(200);
		expectShown(await result.text(), names, "the roster result");
		pages.push({ path: `/admin/classes/${w.north.classId}`, texts: names });
	});

	it("a timetable subject from a CSV: the preview, the result and the class page", async () => {
		const date = addDays(taipeiDate(Date.now()), 9);
		const subject = `${SCRIPT}${RARE.slice(0, 2)}`.slice(0, 60);
		const csv = `班級代碼,日期,開始時間,結束時間,課程名稱\r\n${timetableLine(w, { 1: date, 4: subject })}\r\n`;
		const preview = await admin().postFile(
			"/admin/timetable-import",
			new File([csv], "課表.csv", { type: "text/csv" }),
		);
		const html = await preview.text();
		expect(preview.status, html.slice(0, 300)).toBe(200);
		expectShown(html, [subject], "the timetable preview");
		const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
		expect(token, "the preview offers 確認匯入").toBeDefined();
		const result = await admin().post("/admin/timetable-import/confirm", { token: token ?? "" });
		expect(result.status).toBe(200);
		expectShown(await result.text(), [subject], "the timetable result");
		pages.push({ path: `/admin/classes/${w.north.classId}?from=${date}&to=${date}`, texts: [subject] });
	});
});

describe("every dashboard page that shows them", () => {
	it("renders each text escaped and as typed, with no live markup", async () => {
		expect(pages.length).toBeGreaterThan(10);
		for (const page of pages) {
			const tab = page.agency ? w.tabs.agency : admin();
			const res = await tab.get(page.path);
			expect(res.status, page.path).toBe(200);
			expectShown(await res.text(), page.texts, page.path);
		}
		// The agency sees every unit's pages, the audit log with the corpus's names among them.
		for (const path of ["/admin/audit", `/admin/classes/${w.north.classId}`, `/admin/leave/${ids.a}`]) {
			const res = await w.tabs.agency.get(path);
			expect(res.status, path).toBe(200);
			expectNoLiveMarkup(await res.text(), `${path} (agency)`);
		}
	});

	it("neutralises formulas in the leave export and keeps the text", async () => {
		const res = await admin().get(`/admin/classes/${w.north.classId}/export.csv?kind=leave`);
		expect(res.status).toBe(200);
		const csv = await res.text();
		expect(csv).toContain(`'${FORMULA.replaceAll('"', '""')}`);
		expect(csv).not.toMatch(new RegExp(`(^|,|")${FORMULA.slice(0, 10).replace(/[()]/g, "\\$&")}`, "m"));
		expect(csv).toContain(RARE);
	});

	it("answers with the login page, escaped, for a signed-out link carrying corpus text", async () => {
		const res = await w.tabs.northAdmin.send(
			`/admin/login?next=${encodeURIComponent(`/admin/leave?x=${SCRIPT}`)}`,
			{
				headers: { origin: ORIGIN },
			},
		);
		expectNoLiveMarkup(await res.text(), "the login page");
	});
});
