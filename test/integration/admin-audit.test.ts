// 稽核紀錄 in the dashboard: real actions (approve and revoke a leave, correct a punch, change a
// password) listed with their zh-TW label and what changed; filters by Taipei date (00:00–08:00 is the
// previous UTC day), action, entity and actor; keyset pages walked without duplicates or gaps; unit
// scope (own unit only, another unit's named unit not found, unit staff refused); personal data masked,
// text escaped, bad query strings answered with a zh-TW message; the CSV export; index use.
import { env } from "cloudflare:test";
import { and, asc, eq, gt, lt } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { auditLog, sessions, staff, units } from "../../src/db/schema";
import { DEMO_PASSWORD } from "../../src/demo/seed";
import { taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { type AuditEntry, auditStatement } from "../../src/services/audit";
import { type AuditFilters, type AuditScope, auditLogQuery } from "../../src/services/audit-log-query";
import { submitLeave } from "../../src/services/leave-requests";
import { hashPassword } from "../../src/services/password";
import type { TraineeClass } from "../../src/services/trainee-class";
import { signedIn } from "./admin-helpers";
import { routeLineToEmulator } from "./dev-server";
import { seedRunningClass } from "./fixtures";

const db = createDb(env.DB);
type Tab = Awaited<ReturnType<typeof signedIn>>;

let klass: TraineeClass;
let trainees: number[];
let northId: number;
let southId: number;
let clerkId: number;

beforeAll(async () => {
	({ klass, trainees } = await seedRunningClass(db, Date.now(), env.PII_HMAC_KEY));
	const unitRows = await db.select().from(units);
	northId = unitRows.find((u) => u.code === "DEMO-N")?.id as number;
	southId = unitRows.find((u) => u.code === "DEMO-S")?.id as number;
	clerkId = (await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get())
		?.id as number;
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** Entries written straight to the log (as a service would), each with its own entity. */
async function insertEntries(entries: AuditEntry[]): Promise<number[]> {
	const ids: number[] = [];
	for (let i = 0; i < entries.length; i += 50) {
		const chunk = entries.slice(i, i + 50).map((e) => auditStatement(db, e).returning({ id: auditLog.id }));
		const results = (await db.batch(chunk as [(typeof chunk)[number]])) as { id: number }[][];
		for (const rows of results) ids.push(rows[0]?.id as number);
	}
	return ids;
}

let entityCounter = 9_000_000;
const freshEntity = () => String(++entityCounter);

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
	at: taipeiInstant("2026-03-02", "10:00"),
	actorType: "staff",
	actorId: String(clerkId),
	unitId: northId,
	action: "roster.import",
	entityType: "class",
	entityId: freshEntity(),
	after: { rows: 1 },
	...over,
});

const idsOn = (html: string) => [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
const unescapeHref = (href: string) => href.replaceAll("&amp;", "&");
const olderLink = (html: string) => {
	const m = /<a href="([^"]+)" rel="next">較舊/.exec(html);
	return m ? unescapeHref(m[1] as string) : null;
};
async function page(t: Tab, query: string) {
	const res = await t.get(`/admin/audit${query}`);
	return { status: res.status, html: await res.text() };
}

let slot = 0;
/** A pending request of a trainee on a future session, filed through the trainee's own service. */
async function pendingRequest(remark: string): Promise<number> {
	const future = await db
		.select()
		.from(sessions)
		.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, Date.now())))
		.orderBy(asc(sessions.startsAt));
	for (let tries = 0; tries < future.length; tries++) {
		const result = await submitLeave({ db, now: Date.now() }, trainees[20 + (slot % 5)] as number, klass, {
			sessionIds: [future[slot++ % future.length]?.id as number],
			typeCode: "personal",
			remark,
			clientKey: crypto.randomUUID(),
		});
		if (result.ok) return result.requestId;
	}
	throw new Error("no free session left");
}

describe("real dashboard actions in the log", () => {
	it("lists an approval and a revocation with label, actor, link and the status change, masked", async () => {
		const id = await pendingRequest("家中有事");
		const admin = await signedIn("north.admin@unit.example");
		const reviewed = await admin.post("/admin/leave/review", {
			ids: [String(id)],
			decision: "approved",
			remark: "已電話確認 0912-345-678，副本 wang.xm@example.com",
		});
		expect(reviewed.status).toBe(303);
		const revoked = await admin.post(`/admin/leave/${id}/revoke`, { reason: "學員改期 A123456789" });
		expect(revoked.status).toBe(303);

		const { status, html } = await page(admin, `?entityType=leave_request&entityId=${id}`);
		expect(status).toBe(200);
		expect(idsOn(html)).toHaveLength(3);
		// Newest first: revoked, approved, submitted (the trainee, through LINE).
		const labels = [...html.matchAll(/<td>(學員申請請假|核准請假|撤銷已通過的假單)<\/td>/g)].map((m) => m[1]);
		expect(labels).toEqual(["撤銷已通過的假單", "核准請假", "學員申請請假"]);
		expect(html).toContain("北區管理者");
		expect(html).toMatch(/LINE 使用者（[^）]+）/);
		expect(html).toContain(`href="/admin/leave/${id}"`);
		expect(html).toMatch(
			/狀態<\/span> <del>待審核<\/del><span class="audit-arrow"> → <\/span><ins>已通過<\/ins>/,
		);
		expect(html).toMatch(/<del>已通過<\/del><span class="audit-arrow"> → <\/span><ins>已撤銷<\/ins>/);
		expect(html).toContain("假別");
		expect(html).toContain("事假");
		// What the reviewer typed, with the personal data masked.
		expect(html).toContain("已電話確認 09xx-xxx-678，副本 w***@example.com");
		expect(html).toContain("學員改期 A12****789");
		for (const clear of ["0912-345-678", "wang.xm@example.com", "A123456789"])
			expect(html).not.toContain(clear);

		// Filtering the same request by action leaves just the approval.
		const approved = await page(admin, `?entityType=leave_request&entityId=${id}&action=leave.approved`);
		expect(approved.html.match(/data-audit-id=/g)).toHaveLength(1);
		expect(approved.html).toContain("核准請假");
		expect(approved.html).not.toContain("撤銷已通過的假單</td>");
	});

	it("lists a clerk's punch correction with the session link, the new status and the masked reason", async () => {
		const session = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), lt(sessions.startsAt, Date.now())))
			.orderBy(asc(sessions.startsAt))
			.get();
		const personId = trainees[3] as number;
		const clerk = await signedIn("north.clerk@unit.example");
		const res = await clerk.post(`/admin/sessions/${session?.id}/punches/${personId}/correct`, {
			checkIn: "",
			checkOut: "",
			mark: "absent",
			reason: "<b>教師</b>確認未到，身分證 Ａ１２３４５６７８９",
		});
		expect(res.status).toBe(303);

		const admin = await signedIn("north.admin@unit.example");
		const { html } = await page(
			admin,
			`?entityType=attendance&entityId=${session?.id}:${personId}&actor=staff:${clerkId}`,
		);
		expect(idsOn(html)).toHaveLength(1);
		expect(html).toContain("<td>更正出勤</td>");
		expect(html).toContain("北區承辦人");
		expect(html).toContain(`href="/admin/sessions/${session?.id}/punches#p-${personId}"`);
		expect(html).toMatch(/狀態<\/span> .*<ins>曠課<\/ins>/);
		expect(html).toMatch(/更正人員<\/span> .*<ins>北區承辦人<\/ins>/);
		expect(html).toContain("&lt;b&gt;教師&lt;/b&gt;確認未到，身分證 A12****789");
		expect(html).not.toContain("<b>教師</b>");
		expect(html).not.toContain("Ａ１２３４５６７８９");

		// The same correction is not the system's, nor a LINE user's.
		expect(
			idsOn(
				(await page(admin, `?entityType=attendance&entityId=${session?.id}:${personId}&actor=system`)).html,
			),
		).toEqual([]);
	});

	it("lists a password change (who, on which account) without anything of the password", async () => {
		const member = await db
			.insert(staff)
			.values({
				unitId: northId,
				email: "audit.tester@unit.example",
				name: "稽核測試員",
				role: "unit_staff",
				passwordHash: await hashPassword(DEMO_PASSWORD),
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		const tester = await signedIn("audit.tester@unit.example");
		const changed = await tester.post("/admin/account/password", {
			current: DEMO_PASSWORD,
			next: "A-new-password-2026",
		});
		expect(changed.status).toBe(303);
		const admin = await signedIn("north.admin@unit.example");
		const { html } = await page(admin, `?action=staff.password_changed&actor=staff:${member.id}`);
		expect(idsOn(html)).toHaveLength(1);
		expect(html).toContain("<td>變更密碼</td>");
		expect(html).toContain("帳號 稽核測試員");
		expect(html).not.toContain("A-new-password-2026");
	});

	it("finds an action done now under today's Taipei date, not yesterday's", async () => {
		const id = await pendingRequest("今日查詢");
		const admin = await signedIn("north.admin@unit.example");
		const today = taipeiDate(Date.now());
		const filter = `&entityType=leave_request&entityId=${id}`;
		expect(idsOn((await page(admin, `?from=${today}&to=${today}${filter}`)).html)).toHaveLength(1);
		const yesterday = taipeiDate(Date.now() - 86_400_000);
		expect(idsOn((await page(admin, `?from=${yesterday}&to=${yesterday}${filter}`)).html)).toHaveLength(0);
	});
});

describe("filters", () => {
	it("takes from/to as Taipei business days: 00:00–07:59 Taipei belongs to the day, not the UTC one", async () => {
		const entityId = freshEntity();
		const at = (date: string, time: string) => taipeiInstant(date, time);
		const [lateBefore, midnight, early, lateDay, nextDay] = await insertEntries([
			entry({ entityId, at: at("2026-03-01", "23:59") }),
			entry({ entityId, at: at("2026-03-02", "00:00") }), // 2026-03-01T16:00Z
			entry({ entityId, at: at("2026-03-02", "07:59") }), // 2026-03-01T23:59Z
			entry({ entityId, at: at("2026-03-02", "23:59") }),
			entry({ entityId, at: at("2026-03-03", "00:00") }),
		]);
		const admin = await signedIn("north.admin@unit.example");
		const q = (dates: string) => page(admin, `?entityType=class&entityId=${entityId}${dates}`);

		const day = await q("&from=2026-03-02&to=2026-03-02");
		expect(day.status).toBe(200);
		expect(idsOn(day.html)).toEqual([lateDay, early, midnight]);
		// Shown in Taipei time, in both calendars.
		expect(day.html).toContain('<time datetime="2026-03-02T00:00:00+08:00">115/03/02 00:00</time>');
		expect(day.html).toContain('<time datetime="2026-03-02T07:59:00+08:00">115/03/02 07:59</time>');
		expect(day.html).toContain('<span class="western muted">2026-03-02</span>');
		expect(day.html).not.toContain("115/03/01");

		expect(idsOn((await q("&to=2026-03-01")).html)).toEqual([lateBefore]);
		expect(idsOn((await q("&from=2026-03-03")).html)).toEqual([nextDay]);
		expect(idsOn((await q("")).html)).toEqual([nextDay, lateDay, early, midnight, lateBefore]);
	});

	it("filters by action, by entity and by actor kind, and combines them", async () => {
		const entityId = freshEntity();
		const [imported, expired, bound] = await insertEntries([
			entry({ entityId }),
			entry({ entityId, action: "leave.expired", actorType: "system", actorId: "leave-expiry" }),
			entry({ entityId, action: "line_binding.created", actorType: "line_user", actorId: "Uabc" }),
		]);
		const other = freshEntity();
		await insertEntries([entry({ entityId: other })]);
		const admin = await signedIn("north.admin@unit.example");
		const q = async (query: string) =>
			idsOn((await page(admin, `?entityType=class&entityId=${entityId}${query}`)).html);
		expect(await q("")).toEqual([bound, expired, imported]);
		expect(await q("&action=roster.import")).toEqual([imported]);
		expect(await q("&actor=system")).toEqual([expired]);
		expect(await q("&actor=line_user")).toEqual([bound]);
		expect(await q("&actor=staff")).toEqual([imported]);
		expect(await q("&actor=system&action=roster.import")).toEqual([]);
		const system = await page(admin, `?entityType=class&entityId=${entityId}&actor=system`);
		expect(system.html).toContain('<td class="audit-actor">系統</td>');
		expect(system.html).toContain("<td>假單逾期未審核</td>");
		// The filter form keeps what was chosen.
		expect(system.html).toContain('<option value="system" selected="">系統</option>');
		expect(system.html).toContain(`name="entityId" value="${entityId}"`);
	});
});

describe("pages", () => {
	it("walks 123 entries (many in the same millisecond) in pages of 50 via 較舊, none twice or missing", async () => {
		const entityId = freshEntity();
		const base = taipeiInstant("2026-02-10", "09:00");
		// Three entries share each millisecond: the id orders them within it.
		const inserted = await insertEntries(
			Array.from({ length: 123 }, (_, i) => entry({ entityId, at: base + Math.floor(i / 3) })),
		);
		const expected = [...inserted].sort((a, b) => b - a);
		const admin = await signedIn("north.admin@unit.example");
		const seen: number[] = [];
		let link: string | null = `/admin/audit?entityType=class&entityId=${entityId}`;
		const sizes: number[] = [];
		while (link) {
			const res = await admin.get(link);
			expect(res.status).toBe(200);
			const html = await res.text();
			sizes.push(idsOn(html).length);
			seen.push(...idsOn(html));
			if (sizes.length > 1) expect(html).toContain("← 回到最新");
			link = olderLink(html);
			if (link) expect(link).toContain(`entityId=${entityId}`);
		}
		expect(sizes).toEqual([50, 50, 23]);
		expect(seen).toEqual(expected);
	});
});

describe("scope", () => {
	let southEntity: string;
	let southEntry: number;
	let agencyEntry: number;
	beforeAll(async () => {
		southEntity = freshEntity();
		[southEntry = 0] = await insertEntries([
			entry({ entityId: southEntity, unitId: southId, reason: "南區內部原因" }),
		]);
		[agencyEntry = 0] = await insertEntries([
			entry({
				unitId: null,
				action: "line_binding.created",
				actorType: "line_user",
				actorId: `U${"0123456789abcdef".repeat(2)}`,
				entityType: "person",
				entityId: String(trainees[0]),
				after: { lineUserId: `U${"0123456789abcdef".repeat(2)}`, role: "trainee" },
			}),
		]);
	});

	it("shows a unit admin their unit's entries only, never another unit's or the agency's", async () => {
		const north = await signedIn("north.admin@unit.example");
		const all = await page(north, "");
		expect(all.status).toBe(200);
		expect(idsOn(all.html).length).toBeGreaterThan(0);
		expect(idsOn(all.html)).not.toContain(southEntry);
		expect(idsOn(all.html)).not.toContain(agencyEntry);
		expect(all.html).not.toContain("南區內部原因");
		expect(all.html).not.toContain('name="unitId"'); // no unit choice for a unit admin
		const direct = await page(north, `?entityType=class&entityId=${southEntity}`);
		expect(direct.status).toBe(200);
		expect(idsOn(direct.html)).toEqual([]);
		expect(direct.html).toContain("沒有符合條件的紀錄。");

		for (const unit of [String(southId), "none"]) {
			for (const path of ["/admin/audit", "/admin/audit/export.csv"]) {
				const res = await north.get(`${path}?unitId=${unit}&entityType=class&entityId=${southEntity}`);
				expect(res.status).toBe(404);
				const body = await res.text();
				expect(body).toContain("找不到");
				expect(body).not.toContain("南區內部原因");
			}
		}
		const csv = await (await north.get("/admin/audit/export.csv")).text();
		expect(csv).not.toContain("南區內部原因");
		// Their own unit, named, is fine.
		expect((await page(north, `?unitId=${northId}`)).status).toBe(200);

		const south = await signedIn("south.admin@unit.example");
		const theirs = await page(south, `?entityType=class&entityId=${southEntity}`);
		expect(idsOn(theirs.html)).toEqual([southEntry]);
	});

	it("shows the agency every unit and the unit-less entries, with a unit filter", async () => {
		const agency = await signedIn("admin@agency.example");
		const all = await page(agency, "?entityType=class");
		expect(idsOn(all.html)).toContain(southEntry);
		expect(all.html).toContain('<th scope="col">訓練單位</th>');
		expect(all.html).toContain("南區職能發展示範學院");
		expect(idsOn((await page(agency, `?unitId=${northId}&entityType=class`)).html)).not.toContain(southEntry);
		expect(idsOn((await page(agency, `?unitId=${southId}&entityType=class`)).html)).toContain(southEntry);
		const none = await page(agency, "?unitId=none");
		expect(idsOn(none.html)).toContain(agencyEntry);
		expect(none.html).toContain("未歸屬單位");
		// The LINE user id is masked wherever it appears.
		expect(none.html).toContain("U****cdef");
		expect(none.html).not.toContain("0123456789abcdef0123456789abcdef");
		expect((await page(agency, "?unitId=987654")).status).toBe(404);
	});

	it("refuses unit staff (404) and shows 稽核紀錄 in the menu to admins only", async () => {
		const clerk = await signedIn("north.clerk@unit.example");
		for (const path of ["/admin/audit", "/admin/audit/export.csv"]) {
			const res = await clerk.get(path);
			expect(res.status).toBe(404);
			expect(await res.text()).toContain("找不到這份稽核紀錄");
		}
		expect(await (await clerk.get("/admin")).text()).not.toContain('href="/admin/audit"');
		for (const email of ["north.admin@unit.example", "admin@agency.example"]) {
			const t = await signedIn(email);
			expect(await (await t.get("/admin")).text()).toContain('<a href="/admin/audit">稽核紀錄</a>');
			const own = await page(t, "");
			expect(own.html).toContain('<a href="/admin/audit" aria-current="page">稽核紀錄</a>');
		}
	});
});

describe("what is shown", () => {
	it("masks personal data in before/after, escapes everything and cuts long values", async () => {
		const entityId = freshEntity();
		const lineId = `U${"fedcba9876543210".repeat(2)}`;
		const [id] = await insertEntries([
			entry({
				entityId,
				before: { email: "someone@example.com", remark: "<i>舊</i>" },
				after: {
					email: "other.one@example.com",
					phone: "+886912345678",
					nationalId: "A123456789",
					lineUserId: lineId,
					birthDate: "1990-05-25",
					remark: `<img src=x onerror=alert(1)>${"長".repeat(300)}`,
					note: "聯絡 0987654321",
				},
				reason: `<script>alert("x")</script>${"理由".repeat(200)}`,
			}),
		]);
		const admin = await signedIn("north.admin@unit.example");
		const { html } = await page(admin, `?entityType=class&entityId=${entityId}`);
		expect(idsOn(html)).toEqual([id]);
		for (const clear of [
			"someone@example.com",
			"other.one@example.com",
			"0912345678",
			"+886912345678",
			"A123456789",
			lineId,
			"1990-05-25",
			"0987654321",
			"<img",
			"<script>",
			"<i>",
		])
			expect(html).not.toContain(clear);
		expect(html).toContain("電子郵件</span> <del>s***@example.com</del>");
		expect(html).toContain("<ins>o***@example.com</ins>");
		expect(html).toContain("09xx-xxx-678");
		expect(html).toContain("A12****789");
		expect(html).toContain("U****3210");
		expect(html).toContain("（已隱藏）");
		expect(html).toContain("聯絡 09xx-xxx-321");
		expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
		expect(html).toContain("&lt;script&gt;");
		// Cut to 80 (a value) and 120 (the reason) characters, the whole text in the tooltip.
		expect(html).toMatch(
			/<span title="&lt;img[^"]*長{100,}">&lt;img src=x onerror=alert\(1\)&gt;長{52}…<\/span>/,
		);
		expect(html.replace(/title="[^"]*"/g, "")).not.toContain("長".repeat(53));
		expect(html).toMatch(/>&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;[理由]{93}…<\/span>/);
	});

	it("words the other helpers' entries: accounts (e-mail masked), plan settings, cancelled sessions", async () => {
		const session = await db.select().from(sessions).where(eq(sessions.classId, klass.id)).get();
		const created = await insertEntries([
			entry({
				action: "staff.created",
				entityType: "staff",
				entityId: String(clerkId),
				after: { name: "新同事", email: "new.colleague@unit.example", role: "unit_staff", unitId: northId },
			}),
			entry({
				action: "session.cancelled",
				entityType: "session",
				entityId: String(session?.id),
				before: { cancelled: false },
				after: { cancelled: true, leaveRequests: [] },
				reason: "颱風停課",
			}),
		]);
		const admin = await signedIn("north.admin@unit.example");
		const staffPage = await page(admin, `?entityType=staff&entityId=${clerkId}&action=staff.created`);
		expect(idsOn(staffPage.html)).toEqual([created[0]]);
		expect(staffPage.html).toContain("<td>新增帳號</td>");
		expect(staffPage.html).toContain(`href="/admin/staff/${clerkId}"`);
		expect(staffPage.html).toContain("<ins>n***@unit.example</ins>");
		expect(staffPage.html).not.toContain("new.colleague@unit.example");
		expect(staffPage.html).toContain("<ins>訓練單位承辦人</ins>");
		expect(staffPage.html).toContain("<ins>北區職業訓練示範中心</ins>");
		const sessionPage = await page(admin, `?entityType=session&entityId=${session?.id}`);
		expect(idsOn(sessionPage.html)).toEqual([created[1]]);
		expect(sessionPage.html).toContain("<td>停課</td>");
		expect(sessionPage.html).toContain(`href="/admin/sessions/${session?.id}/punches"`);
		expect(sessionPage.html).toContain("課程 DEMO-115-01 ");
		expect(sessionPage.html).toMatch(/停課<\/span> <del>否<\/del>.*<ins>是<\/ins>/);

		const [plan] = await insertEntries([
			entry({
				unitId: null,
				action: "plan.settings_updated",
				entityType: "plan",
				entityId: "1",
				before: { settings: { lateGraceMinutes: 10, qrRotationSeconds: 15 }, leaveTypes: ["sick"] },
				after: {
					settings: { lateGraceMinutes: 15, qrRotationSeconds: 15 },
					leaveTypes: ["sick", "official"],
				},
			}),
		]);
		const agency = await signedIn("admin@agency.example");
		const planPage = await page(agency, "?entityType=plan&entityId=1");
		expect(idsOn(planPage.html)).toEqual([plan]);
		expect(planPage.html).toContain('href="/admin/settings/plans/1"');
		expect(planPage.html).toMatch(/遲到寬限（分鐘）<\/span> <del>10<\/del>.*<ins>15<\/ins>/);
		expect(planPage.html).toMatch(/開放假別<\/span> <del>病假<\/del>.*<ins>病假、公假<\/ins>/);
		expect(planPage.html).not.toContain("QR Code 更新");
		// A plan is the agency's: no unit admin sees its entries.
		expect(idsOn((await page(admin, "?entityType=plan&entityId=1")).html)).toEqual([]);
	});

	it("exports the filtered entries as CSV with BOM, both calendars, the changes, masked", async () => {
		const entityId = freshEntity();
		await insertEntries([
			entry({
				entityId,
				action: "leave.approved",
				entityType: "leave_request",
				at: taipeiInstant("2026-03-02", "06:30"),
				before: { status: "pending" },
				after: { status: "approved", remark: '=HYPERLINK("x") 打 0912345678' },
			}),
			entry({ entityId: freshEntity(), reason: "不在匯出範圍" }),
		]);
		const admin = await signedIn("north.admin@unit.example");
		const res = await admin.get(`/admin/audit/export.csv?entityType=leave_request&entityId=${entityId}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
		expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''%E7%A8%BD%E6%A0%B8");
		const bytes = new Uint8Array(await res.clone().arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = (await res.text()).replace(/^\uFEFF/, "").split("\r\n");
		expect(lines[0]).toBe("時間（民國）,時間（西元）,操作者,動作,對象,原因,變更內容,請求編號");
		expect(lines).toHaveLength(3); // header, one entry, the final CRLF
		expect(lines[1]).toContain("115/03/02 06:30:00,2026-03-02 06:30:00,北區承辦人,核准請假,假單 #");
		expect(lines[1]).toContain("狀態：待審核 → 已通過");
		expect(lines[1]).toContain("09xx-xxx-678");
		expect(lines[1]).not.toContain("0912345678");

		const agency = await signedIn("admin@agency.example");
		const all = await (
			await agency.get(`/admin/audit/export.csv?entityType=leave_request&entityId=${entityId}`)
		).text();
		expect(all.split("\r\n")[0]).toContain("時間（西元）,訓練單位,操作者");
		expect(all).toContain("北區職業訓練示範中心");
	});
});

describe("bad query strings", () => {
	it.each([
		["?from=2026-02-30", "日期應為實際存在的日期"],
		["?to=2026-13-01", "日期應為實際存在的日期"],
		["?from=115/03/02", "日期應為實際存在的日期"],
		["?from=2026-03-05&to=2026-03-01", "開始日期不能晚於結束日期"],
		["?action=leave.exploded", "沒有這種動作"],
		["?action=constructor", "沒有這種動作"],
		["?entityType=spaceship&entityId=1", "沒有這種對象類型"],
		["?entityId=12", "請先選擇對象類型，再填對象編號"],
		["?entityType=leave_request&entityId=1e999", "對象編號應為數字"],
		["?before=99999999999999999999.1", "分頁位置不正確"],
		["?before=-1.5", "分頁位置不正確"],
		["?unitId=99999999999999999999", "訓練單位選項不正確"],
		["?actor=staff:abc", "操作者選項不正確"],
		[`?from=${encodeURIComponent("<script>alert(1)</script>")}`, "日期應為實際存在的日期"],
	])("%s → 400 with「%s」", async (query, message) => {
		const agency = await signedIn("admin@agency.example");
		for (const path of ["/admin/audit", "/admin/audit/export.csv"]) {
			const res = await agency.get(`${path}${query}`);
			expect(res.status).toBe(400);
			const html = await res.text();
			expect(html).toContain(message);
			expect(html).toContain("請修正查詢條件後再試。");
			expect(html).not.toContain("<script>alert(1)");
			expect(idsOn(html)).toEqual([]);
		}
	});

	it("answers the largest cursor and unknown extra parameters normally", async () => {
		await insertEntries([entry({})]);
		const agency = await signedIn("admin@agency.example");
		const res = await agency.get("/admin/audit?before=999999999999999.999999999999999&foo=bar&entityType=");
		expect(res.status).toBe(200);
		expect(idsOn(await res.text()).length).toBeGreaterThan(0);
	});
});

describe("index use", () => {
	// Which index each filter combination must walk (date order straight from the index, no sort).
	const cases: [string, AuditScope, AuditFilters, string][] = [
		["agency, no filter", { unitId: null }, {}, "audit_log_at_idx"],
		[
			"agency, dates and action",
			{ unitId: null },
			{ from: "2026-03-01", to: "2026-03-31", action: "leave.approved" },
			"audit_log_at_idx",
		],
		["agency, entity type only", { unitId: null }, { entityType: "leave_request" }, "audit_log_at_idx"],
		[
			"agency, one unit and an actor",
			{ unitId: null },
			{ unit: 1, actor: { type: "staff", staffId: 2 } },
			"audit_log_unit_at_idx",
		],
		["agency, unit-less entries", { unitId: null }, { unit: "none" }, "audit_log_unit_at_idx"],
		["unit admin, dates", { unitId: 1 }, { from: "2026-03-01" }, "audit_log_unit_at_idx"],
		[
			"unit admin, one entity",
			{ unitId: 1 },
			{ entityType: "leave_request", entityId: "12", from: "2026-03-01" },
			"audit_log_entity_idx",
		],
		[
			"agency, one entity",
			{ unitId: null },
			{ entityType: "attendance", entityId: "3:4" },
			"audit_log_entity_idx",
		],
		[
			"agency, unit-less and one entity",
			{ unitId: null },
			{ unit: "none", entityType: "person", entityId: "7" },
			"audit_log_entity_idx",
		],
	];
	it.each(cases)("%s: walks %s in order, no table scan, no sort", async (_, scope, filters, index) => {
		for (const before of [undefined, { at: Date.now(), id: 1_000_000 }]) {
			const { sql, params } = auditLogQuery(db, scope, filters, { before, limit: 51 }).toSQL();
			const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
				.bind(...params)
				.all<{ detail: string }>();
			const details = plan.results.map((r) => r.detail);
			expect(details).toHaveLength(1);
			expect(details[0]).toMatch(new RegExp(`^(SEARCH|SCAN) audit_log USING INDEX ${index}\\b`));
		}
	});
});
