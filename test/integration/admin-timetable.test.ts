// 課表 in the dashboard as a clerk uses it: a timetable CSV with errors is listed by row and writes
// nothing, the fixed file is imported (Taipei morning times included) and a second upload adds
// nothing; Excel's encodings; another unit's classes refused. Then 新增節次, 編輯 and 停課 on the
// class page: the rules on times, punches and leave, the real SessionRoom following the change, and
// exactly one LINE notice per trainee with leave on a cancelled session.
import { env } from "cloudflare:test";
import { and, asc, count, eq, gt, inArray, like, sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
	auditLog,
	classes,
	classTeachers,
	enrollments,
	leaveRequestSessions,
	leaveRequests,
	lineBindings,
	lineUsers,
	outbox,
	people,
	sessions,
	staff,
} from "../../src/db/schema";
import { demoPerson } from "../../src/demo/people";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { formatRocDate } from "../../src/domain/roc-date";
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "../../src/domain/taipei-time";
import { settingsOf } from "../../src/env";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { submitLeave, withdrawLeave } from "../../src/services/leave-requests";
import { reviewLeave } from "../../src/services/leave-review";
import { punchWithSessionCode } from "../../src/services/punch";
import { overlapGuard } from "../../src/services/session-schedule";
import { importTimetable, previewTimetableImport } from "../../src/services/timetable-import";
import { traineeClass } from "../../src/services/trainee-class";
import { signedIn } from "./admin-helpers";
import { freshLineUser, liffCall, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
const NOW = Date.now();
const TODAY = taipeiDate(NOW);
type Tab = Awaited<ReturnType<typeof signedIn>>;
type ClassRow = typeof classes.$inferSelect;

let running: ClassRow;
let upcoming: ClassRow;
let ended: ClassRow;
let teachers: { id: number; name: string }[];

beforeAll(async () => {
	await seedDemoData(db, { now: NOW, piiKey: env.PII_HMAC_KEY });
	const byCode = async (code: string) => {
		const row = await db.select().from(classes).where(eq(classes.code, code)).get();
		if (!row) throw new Error(`the demo has ${code}`);
		return row;
	};
	[running, upcoming, ended] = await Promise.all([
		byCode("DEMO-115-01"),
		byCode("DEMO-115-02"),
		byCode("DEMO-114-09"),
	]);
	teachers = await db
		.selectDistinct({ id: people.id, name: people.name })
		.from(classTeachers)
		.innerJoin(people, eq(people.id, classTeachers.personId))
		.innerJoin(classes, eq(classes.id, classTeachers.classId))
		.where(eq(classes.unitId, running.unitId))
		.orderBy(asc(people.id));
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** Saturdays (no demo sessions) in the class period, from `from` on. */
function saturdays(klass: ClassRow, from = addDays(TODAY, 1)): string[] {
	const days: string[] = [];
	for (let d = [from, klass.startDate].sort()[1] as string; d <= klass.endDate; d = addDays(d, 1))
		if (weekdayOf(d) === 6) days.push(d);
	return days;
}

const HEADER = "班級代碼,日期,開始時間,結束時間,時數,課程名稱,授課教師,教室";
const csv = (lines: string[], header = HEADER) =>
	new TextEncoder().encode(`${[header, ...lines].join("\r\n")}\r\n`);
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

const upload = (t: Tab, bytes: Uint8Array, filename = "課表.csv") =>
	t.postFile("/admin/timetable-import", new File([bytes], filename, { type: "text/csv" }));

const sessionsOf = (classId: number) =>
	db.select().from(sessions).where(eq(sessions.classId, classId)).orderBy(asc(sessions.startsAt));
const sessionCount = async (classId: number) =>
	(await db.select({ n: count() }).from(sessions).where(eq(sessions.classId, classId)).get())?.n ?? 0;

describe("a timetable CSV with errors", () => {
	it("lists every bad row by its Excel row number with the reason, and imports nothing", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const [, sat1, sat2] = saturdays(upcoming);
		const afterEnd = addDays(upcoming.endDate, 1);
		const firstDay = upcoming.startDate; // a Monday: the demo has 09:00–12:00 and 13:00–16:00 there
		const pastDay = running.startDate;
		const before = await sessionCount(upcoming.id);
		const res = await upload(
			t,
			csv([
				"DEMO-115-02,2026-02-30,09:00,12:00,,資料分析,,",
				"DEMO-115-02,115/02/30,09:00,12:00,,資料分析,,",
				`DEMO-115-02,${sat1},13:00,12:00,,資料分析,,`,
				`NOPE-999,${sat1},09:00,12:00,,資料分析,,`,
				`DEMO-114-09,${sat1},09:00,12:00,,資料分析,,`,
				`DEMO-115-02,${sat1},09:00,12:00,,資料分析,不存在老師,`,
				`DEMO-115-02,${sat1},09:00,12:00,,資料分析,,`,
				`DEMO-115-02,${sat1},09:00,12:00,,資料分析,,`,
				`DEMO-115-02,${sat1},10:00,13:00,,資料分析,,`,
				`DEMO-115-02,${afterEnd},09:00,12:00,,資料分析,,`,
				`DEMO-115-02,${firstDay},09:30,11:00,,資料分析,,`,
				`DEMO-115-01,${pastDay},18:00,20:00,,補課,,`,
				`DEMO-115-02,${sat2},09:00,12:00,4,資料分析,,`,
			]),
		);
		expect(res.status).toBe(200);
		const html = await res.text();
		const page = text(html);
		expect(page).toContain("可匯入 1 節");
		expect(page).toContain("有錯誤 12 列");
		expect(page).toContain("尚未匯入任何節次");
		expect(page).toContain("第 2 列 日期「2026-02-30」：沒有這一天");
		expect(page).toContain("第 3 列 日期「115/02/30」：沒有這一天");
		expect(page).toContain("第 4 列 結束時間 12:00 應晚於開始時間 13:00");
		expect(page).toContain("第 5 列 查無班級代碼「NOPE-999」（只能匯入本單位的班級）");
		// Another unit's class reads exactly like a class that does not exist.
		expect(page).toContain("第 6 列 查無班級代碼「DEMO-114-09」（只能匯入本單位的班級）");
		expect(page).toContain("第 7 列 查無授課教師「不存在老師」");
		expect(page).toContain("第 9 列 與第 8 列重複（同一班級、同一開始時間）");
		expect(page).toContain(`第 10 列 與第 8 列的時間重疊（${formatRocDate(sat1 as string)} 09:00–12:00）`);
		expect(page).toContain(
			`第 11 列 日期 ${formatRocDate(afterEnd)} 不在班級的訓練期間（${formatRocDate(upcoming.startDate)}～${formatRocDate(upcoming.endDate)}）內`,
		);
		expect(page).toContain(`第 12 列 與課表中既有的節次 ${formatRocDate(firstDay)} 09:00–12:00`);
		expect(page).toContain(`第 13 列 ${formatRocDate(pastDay)} 這個時段已經過去，不能排課`);
		expect(page).toContain("第 14 列 時數 4 超過上課時間（3 小時）");
		expect(tokenOf(html)).toBeUndefined();
		expect(await sessionCount(upcoming.id)).toBe(before);
	});

	it("refuses a file without the header row, naming the missing columns", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(t, new TextEncoder().encode("DEMO-115-02,2026-03-07,09:00\r\n"));
		expect(res.status).toBe(422);
		expect(text(await res.text())).toContain("第 1 列必須是標題列，缺少欄位");
	});
});

describe("the fixed timetable CSV", () => {
	it("shows the sessions, imports them on 確認匯入, and a second upload adds nothing", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const [, , , sat3, sat4] = saturdays(upcoming) as [string, string, string, string, string];
		const [t1, t2] = teachers as [{ id: number; name: string }, { id: number; name: string }];
		const t2Id = demoPerson("teacher", 2, 100).nationalId;
		expect(demoPerson("teacher", 2, 100).name).toBe(t2.name);
		const fixed = csv([
			`DEMO-115-02,${sat3},09:00,12:00,,資料分析實作,${t1.name},2 樓電腦教室`,
			`"DEMO-115-02",${formatRocDate(sat3 as string)},13:00,16:00,2.5,資料視覺化,${t2Id},`,
			`demo-115-02,${sat4},上午 07:30:00,上午 08:30:00,,晨間複習,,`,
		]);
		const before = await sessionCount(upcoming.id);
		const preview = await upload(t, fixed);
		const html = await preview.text();
		const page = text(html);
		expect(page).toContain("可匯入 3 節");
		expect(page).toContain("有錯誤 0 列");
		expect(page).toContain(`${formatRocDate(sat3)}（六） 09:00–12:00 3 資料分析實作 ${t1.name} 2 樓電腦教室`);
		expect(page).toContain(`13:00–16:00 2.5 資料視覺化 ${t2.name}`);
		expect(page).toContain(`${formatRocDate(sat4)}（六） 07:30–08:30 1 晨間複習`);
		// Subject and room cells wrap long unbroken text (td.wrap in admin.css) instead of widening the page.
		expect(html).toContain('<td class="wrap">資料分析實作</td>');
		expect(html).toContain('<td class="wrap">2 樓電腦教室</td>');
		// The teacher's ID is only matched, never shown.
		expect(html).not.toContain(t2Id);
		const token = tokenOf(html) as string;
		expect(await sessionCount(upcoming.id)).toBe(before);

		const done = await t.post("/admin/timetable-import/confirm", { token });
		expect(done.status).toBe(200);
		expect(text(await done.text())).toContain("已匯入 3 節課");
		const added = (await sessionsOf(upcoming.id)).filter((s) => s.date === sat3 || s.date === sat4);
		expect(
			added.map((s) => ({
				date: s.date,
				startsAt: new Date(s.startsAt).toISOString(),
				endsAt: new Date(s.endsAt).toISOString(),
				hours: s.hours,
				subject: s.subject,
				teacherPersonId: s.teacherPersonId,
				room: s.room,
			})),
		).toEqual([
			{
				date: sat3,
				startsAt: `${sat3}T01:00:00.000Z`,
				endsAt: `${sat3}T04:00:00.000Z`,
				hours: 3,
				subject: "資料分析實作",
				teacherPersonId: t1.id,
				room: "2 樓電腦教室",
			},
			{
				date: sat3,
				startsAt: `${sat3}T05:00:00.000Z`,
				endsAt: `${sat3}T08:00:00.000Z`,
				hours: 2.5,
				subject: "資料視覺化",
				teacherPersonId: t2.id,
				room: null,
			},
			// 07:30 in Taipei is 23:30 UTC of the day before; the session's date is the Taipei day.
			{
				date: sat4,
				startsAt: `${addDays(sat4, -1)}T23:30:00.000Z`,
				endsAt: `${sat4}T00:30:00.000Z`,
				hours: 1,
				subject: "晨間複習",
				teacherPersonId: null,
				room: null,
			},
		]);
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, "timetable.import"));
		expect(audit.at(-1)?.after).toContain('"sessions":3');

		// The class page shows the morning session on its Taipei day.
		const classPage = text(
			await (await t.get(`/admin/classes/${upcoming.id}?from=${sat4}&to=${sat4}`)).text(),
		);
		expect(classPage).toContain(`${formatRocDate(sat4)}（六） 07:30–08:30 晨間複習`);

		// The same file again: every session is already in the timetable and is skipped.
		const again = text(await (await upload(t, fixed)).text());
		expect(again).toContain("可匯入 0 節");
		expect(again).toContain("已在課表中 3 節（將略過）");
		// Confirming the old preview again adds nothing twice.
		const twice = text(await (await t.post("/admin/timetable-import/confirm", { token })).text());
		expect(twice).toContain("已匯入 0 節課（3 節已在課表中，未重複匯入）");
		expect(await sessionCount(upcoming.id)).toBe(before + 3);
	});

	it("refuses to confirm a preview the timetable has moved past, writing none of its sessions", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const [, , , , , sat5] = saturdays(upcoming) as string[];
		const token = tokenOf(
			await (
				await upload(
					t,
					csv([`DEMO-115-02,${sat5},09:00,12:00,,上午課,,`, `DEMO-115-02,${sat5},13:00,16:00,,下午課,,`]),
				)
			).text(),
		) as string;
		// Meanwhile a colleague adds a session over the afternoon.
		const added = await t.post(`/admin/classes/${upcoming.id}/sessions`, {
			date: sat5 as string,
			start: "14:00",
			end: "15:00",
			hours: "",
			subject: "臨時加課",
			teacherId: "",
			room: "",
		});
		expect(added.status).toBe(303);
		const before = await sessionCount(upcoming.id);
		const res = await t.post("/admin/timetable-import/confirm", { token });
		expect(res.status).toBe(409);
		expect(text(await res.text())).toContain(
			"課表在檢查後有變更（其他人新增或修改了節次），尚未匯入任何節次",
		);
		expect(await sessionCount(upcoming.id)).toBe(before);
	});

	it("a batch that would leave two sessions overlapping is rolled back by the guard", async () => {
		const [, , , , , , sat6] = saturdays(upcoming) as string[];
		const row = (start: string, end: string) => ({
			classId: upcoming.id,
			date: sat6 as string,
			startsAt: taipeiInstant(sat6 as string, start),
			endsAt: taipeiInstant(sat6 as string, end),
			hours: 1,
			subject: "重疊測試",
			createdAt: NOW,
			updatedAt: NOW,
		});
		const before = await sessionCount(upcoming.id);
		await expect(
			db.batch([
				db.insert(sessions).values([row("09:00", "11:00"), row("10:00", "12:00")]),
				overlapGuard(db, and(eq(sessions.classId, upcoming.id), eq(sessions.date, sat6 as string))),
			]),
		).rejects.toThrow(/malformed JSON/);
		expect(await sessionCount(upcoming.id)).toBe(before);
	});
});

describe("Excel's encodings", () => {
	const name = "王小明";
	const line = (sat: string) => `DEMO-115-02,${sat},18:00,21:00,,夜間課程,,${name}教室`;

	it("reads UTF-8 with a BOM", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const sat = saturdays(upcoming).at(-1) as string;
		const page = text(
			await (await upload(t, new Uint8Array([0xef, 0xbb, 0xbf, ...csv([line(sat)])]))).text(),
		);
		expect(page).toContain("可匯入 1 節");
		expect(page).toContain(`${name}教室`);
	});

	it("reads a UTF-16 LE tab-separated 「Unicode 文字」 file", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const sat = saturdays(upcoming).at(-1) as string;
		const content = `${HEADER.replaceAll(",", "\t")}\r\n${line(sat).replaceAll(",", "\t")}\r\n`;
		const bytes = new Uint8Array(2 + content.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < content.length; i++) {
			bytes[2 + i * 2] = content.charCodeAt(i) & 0xff;
			bytes[3 + i * 2] = content.charCodeAt(i) >> 8;
		}
		const page = text(await (await upload(t, bytes, "課表.txt")).text());
		expect(page).toContain("可匯入 1 節");
		expect(page).toContain(`${name}教室`);
	});

	it("reads Big5, Excel's default CSV in zh-TW", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const sat = saturdays(upcoming).at(-1) as string;
		// Big5 by hand (there is no Big5 encoder in the runtime).
		const big5: Record<string, number[]> = {
			班: [0xaf, 0x5a],
			級: [0xaf, 0xc5],
			代: [0xa5, 0x4e],
			碼: [0xbd, 0x58],
			日: [0xa4, 0xe9],
			期: [0xb4, 0xc1],
			開: [0xb6, 0x7d],
			始: [0xa9, 0x6c],
			時: [0xae, 0xc9],
			間: [0xb6, 0xa1],
			結: [0xb5, 0xb2],
			束: [0xa7, 0xf4],
			課: [0xbd, 0xd2],
			程: [0xb5, 0x7b],
			名: [0xa6, 0x57],
			稱: [0xba, 0xd9],
		};
		const content = `班級代碼,日期,開始時間,結束時間,課程名稱\r\nDEMO-115-02,${sat},18:00,21:00,Python 課程\r\n`;
		const bytes = new Uint8Array(
			[...content].flatMap((ch) => big5[ch] ?? (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : [0x3f])),
		);
		expect(new TextDecoder("big5").decode(bytes)).toBe(content);
		const page = text(await (await upload(t, bytes)).text());
		expect(page).toContain("可匯入 1 節");
		expect(page).toContain("Python 課程");
	});

	it("refuses a file that is none of them, telling how to save it as CSV UTF-8", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(t, new Uint8Array([0x41, 0xff, 0xfe, 0x80, 0x0d, 0x0a]));
		expect(res.status).toBe(422);
		expect(text(await res.text())).toContain("CSV UTF-8（逗號分隔）");
	});
});

describe("another unit", () => {
	it("cannot import into this unit's class, not even with this unit's preview", async () => {
		const sat = saturdays(upcoming).at(-2) as string;
		const row = `DEMO-115-02,${sat},18:00,21:00,,跨單位課程,,`;
		const south = await signedIn("south.admin@unit.example");
		const page = text(await (await upload(south, csv([row]))).text());
		expect(page).toContain("查無班級代碼「DEMO-115-02」（只能匯入本單位的班級）");
		expect(page).not.toContain(upcoming.name);

		// A preview signed for the north clerk is refused when the south admin sends it.
		const north = await signedIn("north.clerk@unit.example");
		const token = tokenOf(await (await upload(north, csv([row]))).text()) as string;
		expect((await south.post("/admin/timetable-import/confirm", { token })).status).toBe(400);
		// And the service itself refuses another unit's class.
		const preview = await previewTimetableImport(
			{ db, piiKey: env.PII_HMAC_KEY, now: Date.now() },
			{ unitId: null },
			csv([row]),
		);
		if (!preview.ok) throw new Error(preview.message);
		const southAdmin = await db.select().from(staff).where(eq(staff.email, "south.admin@unit.example")).get();
		const before = await sessionCount(upcoming.id);
		expect(
			await importTimetable(
				{ db, now: Date.now() },
				{ staffId: southAdmin?.id ?? 0, unitId: southAdmin?.unitId ?? 0 },
				preview.rows,
			),
		).toEqual({ ok: false, code: "NOT_FOUND", message: "查無班級（只能匯入本單位的班級）" });
		expect(await sessionCount(upcoming.id)).toBe(before);
	});

	it("does not find this unit's teachers", async () => {
		// The south class's teacher also teaches north's upcoming class; a north-only teacher is unknown there.
		const sat = saturdays(ended, "2000-01-01").at(-1) as string;
		const preview = await previewTimetableImport(
			{ db, piiKey: env.PII_HMAC_KEY, now: taipeiInstant(addDays(ended.startDate, -1)) },
			{ unitId: ended.unitId },
			csv([`DEMO-114-09,${sat},18:00,21:00,,烹調,${demoPerson("teacher", 1, 100).nationalId},`]),
		);
		if (!preview.ok) throw new Error(preview.message);
		expect(preview.errors).toEqual([
			{
				line: 2,
				reasons: [expect.stringMatching(/^查無授課教師（[A-Z0-9]{3}\*{4}\d{3}），須為本單位班級的教師$/)],
			},
		]);
	});
});

describe("the page and the sample", () => {
	it("explains the columns, is in the menu, and offers a sample CSV (UTF-8 with BOM) that passes the checks", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const html = await (await t.get("/admin/timetable-import")).text();
		const page = text(html);
		for (const column of HEADER.split(",")) expect(page).toContain(column);
		expect(html).toContain('<a href="/admin/timetable-import" aria-current="page">課表匯入</a>');
		expect(page).toContain("下載範例檔");
		const sample = await t.get("/admin/timetable-import/sample.csv");
		expect(sample.headers.get("content-type")).toBe("text/csv; charset=utf-8");
		expect(sample.headers.get("content-disposition")).toContain("attachment");
		const bytes = new Uint8Array(await sample.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder().decode(bytes)).toContain(HEADER);
		const preview = await previewTimetableImport(
			{ db, piiKey: env.PII_HMAC_KEY, now: NOW },
			{ unitId: null },
			bytes,
		);
		if (!preview.ok) throw new Error(preview.message);
		expect(preview.errors).toEqual([]);
		expect(preview.rows.length + preview.skipped.length).toBe(2);
	});
});

describe("新增節次, 編輯 and 停課 on the class page", () => {
	const MIN = 60_000;
	let trainees: number[];
	let clerk: Tab;
	beforeAll(async () => {
		trainees = (
			await db
				.select({ id: enrollments.personId })
				.from(enrollments)
				.where(and(eq(enrollments.classId, running.id), eq(enrollments.status, "active")))
				.orderBy(asc(enrollments.seatNo))
		).map((e) => e.id);
		clerk = await signedIn("north.clerk@unit.example");
	});

	const form = (
		values: Partial<Record<"date" | "start" | "end" | "hours" | "subject" | "teacherId" | "room", string>>,
	) => ({
		date: "",
		start: "",
		end: "",
		hours: "",
		subject: "",
		teacherId: "",
		room: "",
		...values,
	});
	/** A trainee's check-in with the session's QR at `at`, through the real SessionRoom. */
	const checkIn = async (sessionId: number, personId: number, at: number) =>
		punchWithSessionCode(
			{ db, rooms: env.SESSION_ROOM, qrKey: env.QR_SIGNING_KEY, now: at },
			{ personId, role: "trainee" },
			"check_in",
			{ token: (await mintSessionQrToken(env.QR_SIGNING_KEY, sessionId, at)).token },
		);
	const sessionOn = async (date: string) =>
		db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, running.id), eq(sessions.date, date)))
			.orderBy(asc(sessions.startsAt))
			.get();

	it("adds a session from the class page, and says why a bad one is refused", async () => {
		const page = text(await (await clerk.get(`/admin/classes/${running.id}`)).text());
		expect(page).toContain("新增節次");
		const satA = saturdays(running, addDays(TODAY, 7))[0] as string;
		const t2 = teachers[1] as { id: number; name: string };
		const res = await clerk.post(
			`/admin/classes/${running.id}/sessions`,
			form({
				date: formatRocDate(satA),
				start: "09:00",
				end: "12:00",
				subject: "補課：安全衛生",
				teacherId: String(t2.id),
			}),
		);
		expect(res.status).toBe(303);
		const location = res.headers.get("location") as string;
		expect(location).toBe(
			`/admin/classes/${running.id}?from=${satA}&to=${addDays(satA, 13)}&notice=added#timetable`,
		);
		const shown = text(await (await clerk.get(location)).text());
		expect(shown).toContain("已新增節次。");
		expect(shown).toContain(
			`${formatRocDate(satA)}（六） 09:00–12:00 補課：安全衛生 ${t2.name} — 上課 編輯／停課`,
		);
		const row = await sessionOn(satA);
		expect(row).toMatchObject({
			startsAt: taipeiInstant(satA, "09:00"),
			endsAt: taipeiInstant(satA, "12:00"),
			hours: 3,
			teacherPersonId: t2.id,
			room: null,
			cancelledAt: null,
		});
		const audit = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, "session.added"), eq(auditLog.entityId, String(row?.id))))
			.get();
		expect(audit?.unitId).toBe(running.unitId);
		const count = await sessionCount(running.id);

		// An overlap names the session it clashes with; the form keeps what was typed (escaped).
		const clash = await clerk.post(
			`/admin/classes/${running.id}/sessions`,
			form({ date: satA, start: "11:00", end: "13:00", subject: "另一門<課>" }),
		);
		expect(clash.status).toBe(409);
		const clashHtml = await clash.text();
		expect(text(clashHtml)).toContain(
			`與課表中既有的節次 ${formatRocDate(satA)} 09:00–12:00「補課：安全衛生」時間重疊`,
		);
		expect(clashHtml).toContain('value="另一門&lt;課&gt;"');
		// Every reason at once: a day that does not exist, end before start, no subject, not a teacher.
		const bad = await clerk.post(
			`/admin/classes/${running.id}/sessions`,
			form({ date: "115/02/30", start: "13:00", end: "12:00", teacherId: String(trainees[0]) }),
		);
		expect(bad.status).toBe(422);
		const badPage = text(await bad.text());
		for (const reason of [
			"日期「115/02/30」：沒有這一天",
			"結束時間 12:00 應晚於開始時間 13:00",
			"「課程名稱」未填寫",
			"請從清單選擇本單位的教師",
		])
			expect(badPage).toContain(reason);
		// A session at 07:30 Taipei is stored on the previous UTC day and shown on its own.
		const early = await clerk.post(
			`/admin/classes/${running.id}/sessions`,
			form({ date: satA, start: "07:30", end: "08:30", subject: "晨間安全講習" }),
		);
		expect(early.status).toBe(303);
		const morning = await sessionOn(satA);
		expect(morning?.subject).toBe("晨間安全講習");
		expect(new Date(morning?.startsAt ?? 0).toISOString()).toBe(`${addDays(satA, -1)}T23:30:00.000Z`);
		expect(await sessionCount(running.id)).toBe(count + 1);
	});

	it("edits a session, and the SessionRoom judges the next punch by the new times at once", async () => {
		const satB = saturdays(running, addDays(TODAY, 14))[0] as string;
		const trainee = trainees[1] as number;
		expect(
			(
				await clerk.post(
					`/admin/classes/${running.id}/sessions`,
					form({ date: satB, start: "09:00", end: "12:00", subject: "補課：電路" }),
				)
			).status,
		).toBe(303);
		const id = (await sessionOn(satB))?.id as number;
		// The room reads the session: at 13:20 the 09:00–12:00 session is over.
		expect(await checkIn(id, trainee, taipeiInstant(satB, "13:20"))).toMatchObject({
			ok: false,
			code: "CHECK_IN_CLOSED",
		});

		const edit = await clerk.get(`/admin/sessions/${id}/edit`);
		expect(edit.status).toBe(200);
		expect(text(await edit.text())).toContain("確定停課");
		const saved = await clerk.post(
			`/admin/sessions/${id}/edit`,
			form({ date: satB, start: "13:00", end: "16:00", subject: "補課：電路實作", room: "實習工廠" }),
		);
		expect(saved.status).toBe(303);
		expect(saved.headers.get("location")).toContain("notice=saved");
		const shown = text(await (await clerk.get(saved.headers.get("location") as string)).text());
		expect(shown).toContain("已儲存節次的變更。");
		expect(shown).toContain(`${formatRocDate(satB)}（六） 13:00–16:00 補課：電路實作 — 實習工廠 上課`);
		const audit = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, "session.edited"), eq(auditLog.entityId, String(id))))
			.get();
		expect(JSON.parse(audit?.before ?? "{}")).toMatchObject({
			subject: "補課：電路",
			startsAt: taipeiInstant(satB, "09:00"),
		});
		expect(JSON.parse(audit?.after ?? "{}")).toMatchObject({
			subject: "補課：電路實作",
			startsAt: taipeiInstant(satB, "13:00"),
		});

		// Well within the room's one-minute cache, the punch is judged by 13:00–16:00.
		expect(await checkIn(id, trainee, taipeiInstant(satB, "13:20"))).toMatchObject({
			ok: true,
			action: "check_in",
			timing: "late",
			subject: "補課：電路實作",
		});

		// With a punch recorded the times are fixed, the subject is not; and it cannot be cancelled.
		const moved = await clerk.post(
			`/admin/sessions/${id}/edit`,
			form({ date: satB, start: "14:00", end: "16:00", subject: "補課：電路實作", room: "實習工廠" }),
		);
		expect(moved.status).toBe(409);
		expect(text(await moved.text())).toContain(
			"這堂課已有簽到退紀錄（遲到、早退是依原時間判定），不能改日期或時間。",
		);
		const renamed = await clerk.post(
			`/admin/sessions/${id}/edit`,
			form({
				date: satB,
				start: "13:00",
				end: "16:00",
				hours: "3",
				subject: "補課：電路實作（二）",
				room: "實習工廠",
			}),
		);
		expect(renamed.status).toBe(303);
		const refused = await clerk.post(`/admin/sessions/${id}/cancel`, { reason: "老師請假" });
		expect(refused.status).toBe(409);
		expect(text(await refused.text())).toContain("這堂課已有簽到退紀錄，不能停課");
		expect(await db.select().from(sessions).where(eq(sessions.id, id)).get()).toMatchObject({
			subject: "補課：電路實作（二）",
			startsAt: taipeiInstant(satB, "13:00"),
			cancelledAt: null,
		});
	});

	it("停課 tells each trainee with leave on it once, frees their hours, and the session refuses punches", async () => {
		const settings = settingsOf(env);
		// Two weekday sessions a few days ahead that nobody asked leave for (the first one a morning, t1's).
		const ahead = await db
			.select()
			.from(sessions)
			.where(
				and(
					eq(sessions.classId, running.id),
					gt(sessions.startsAt, NOW + 3 * 24 * 60 * MIN),
					sql`${sessions.startsAt} < ${NOW + 12 * 24 * 60 * MIN}`,
					sql`NOT EXISTS (SELECT 1 FROM leave_request_sessions l WHERE l.session_id = ${sessions.id})`,
				),
			)
			.orderBy(asc(sessions.startsAt));
		const s1 = ahead.find((s) => s.teacherPersonId === teachers[0]?.id) as typeof sessions.$inferSelect;
		const s1b = ahead.find((s) => s.startsAt > s1.startsAt) as typeof sessions.$inferSelect;
		expect(s1 && s1b).toBeTruthy();

		const demoTrainee = await db
			.select()
			.from(lineBindings)
			.where(and(eq(lineBindings.lineUserId, DEMO_LINE_USERS.trainee), eq(lineBindings.role, "trainee")))
			.get();
		const a = demoTrainee?.personId as number;
		const [b, c, d, e] = trainees.filter((p) => p !== a).slice(0, 4) as [number, number, number, number];
		const lineOf = new Map<number, string>([[a, DEMO_LINE_USERS.trainee]]);
		for (const person of [b, d, e]) {
			const userId = freshLineUser();
			await db
				.insert(lineUsers)
				.values({ userId, followedAt: NOW, activeRole: "trainee", createdAt: NOW, updatedAt: NOW });
			await db
				.insert(lineBindings)
				.values({ lineUserId: userId, role: "trainee", personId: person, boundAt: NOW });
			lineOf.set(person, userId);
		}
		expect(await db.select().from(lineBindings).where(eq(lineBindings.personId, c)).get()).toBeUndefined();

		const klass = await traineeClass(db, a, TODAY);
		if (!klass) throw new Error("the trainee has the running class");
		const ask = async (personId: number, sessionIds: number[]) => {
			const r = await submitLeave({ db, now: NOW }, personId, klass, {
				sessionIds,
				typeCode: "sick",
				remark: "看醫生",
				clientKey: crypto.randomUUID(),
			});
			if (!r.ok) throw new Error(JSON.stringify(r));
			return r.requestId;
		};
		const requests = {
			a: await ask(a, [s1.id, s1b.id]),
			b: await ask(b, [s1.id]),
			c: await ask(c, [s1.id]),
			d: await ask(d, [s1b.id]),
			e: await ask(e, [s1.id]),
		};
		const north = await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get();
		const [approved] = await reviewLeave(
			{ db, now: NOW, settings },
			{ staffId: north?.id ?? 0, unitId: running.unitId },
			{
				ids: [requests.b],
				decision: "approved",
				remark: null,
			},
		);
		expect(approved?.ok).toBe(true);
		expect((await withdrawLeave({ db, now: NOW }, e, klass, requests.e)).ok).toBe(true);

		// The room knows the session before the cancel: too early to check in.
		expect(await checkIn(s1.id, a, s1.startsAt - 60 * MIN)).toMatchObject({
			ok: false,
			code: "CHECK_IN_NOT_OPEN",
		});
		// Trainees asked leave for this time: it cannot be moved.
		const moved = await clerk.post(
			`/admin/sessions/${s1.id}/edit`,
			form({
				date: s1.date,
				start: "09:30",
				end: "12:00",
				subject: s1.subject,
				teacherId: String(s1.teacherPersonId),
				room: s1.room ?? "",
			}),
		);
		expect(moved.status).toBe(409);
		expect(text(await moved.text())).toContain(
			"已有 3 位學員對這堂課請假（待審核或已通過），不能改日期或時間",
		);
		const editPage = text(await (await clerk.get(`/admin/sessions/${s1.id}/edit`)).text());
		expect(editPage).toContain("已對這堂課請假的 3 位學員會收到 LINE 停課通知");

		const empty = await clerk.post(`/admin/sessions/${s1.id}/cancel`, { reason: "  " });
		expect(empty.status).toBe(422);
		expect(text(await empty.text())).toContain("請填寫停課原因");
		const done = await clerk.post(`/admin/sessions/${s1.id}/cancel`, { reason: "颱風停課" });
		expect(done.status).toBe(303);
		const location = done.headers.get("location") as string;
		expect(location).toContain("notice=cancelled&notified=2&unbound=1");
		const classPage = text(await (await clerk.get(location)).text());
		expect(classPage).toContain(
			"已停課。已以 LINE 通知 2 位請假的學員。另有 1 位請假學員尚未綁定 LINE，請另行通知。",
		);
		expect(classPage).toContain(`${s1.subject} ${teachers[0]?.name} ${s1.room ?? "—"} 停課：颱風停課`);

		// Exactly the two bound trainees with pending or approved leave on it, each once, delivered.
		const notices = () =>
			db
				.select()
				.from(outbox)
				.where(like(outbox.dedupeKey, `session-cancelled:${s1.id}:%`))
				.orderBy(asc(outbox.id));
		const sent = await notices();
		expect(sent.map((n) => n.recipient).sort()).toEqual([lineOf.get(a), lineOf.get(b)].sort());
		for (const n of sent) {
			expect(n.status).toBe("sent");
			const message = (JSON.parse(n.payload) as { messages: { text: string }[] }).messages[0]?.text ?? "";
			for (const part of [
				"停課通知",
				running.name,
				formatRocDate(s1.date),
				"09:00–12:00",
				s1.subject,
				"停課原因：颱風停課",
				"這堂課已停課，您不需要為這堂課請假",
			])
				expect(message).toContain(part);
		}
		// Sending the cancel again changes nothing and tells nobody twice.
		const again = await clerk.post(`/admin/sessions/${s1.id}/cancel`, { reason: "再按一次" });
		expect(again.status).toBe(409);
		expect(text(await again.text())).toContain("這堂課已停課，不能再修改。");
		expect((await notices()).map((n) => n.id)).toEqual(sent.map((n) => n.id));
		const audits = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, "session.cancelled"), eq(auditLog.entityId, String(s1.id))));
		expect(audits).toHaveLength(1);
		expect(audits[0]?.reason).toBe("颱風停課");
		expect((await db.select().from(sessions).where(eq(sessions.id, s1.id)).get())?.cancelReason).toBe(
			"颱風停課",
		);

		// The cancelled session's hours leave the requests that were pending or approved.
		const hours = new Map(
			(
				await db
					.select({ id: leaveRequests.id, hours: leaveRequests.hours, status: leaveRequests.status })
					.from(leaveRequests)
					.where(inArray(leaveRequests.id, Object.values(requests)))
			).map((r) => [r.id, [r.status, r.hours]]),
		);
		expect(hours.get(requests.a)).toEqual(["pending", s1b.hours]);
		expect(hours.get(requests.b)).toEqual(["approved", 0]);
		expect(hours.get(requests.c)).toEqual(["pending", 0]);
		expect(hours.get(requests.d)).toEqual(["pending", s1b.hours]);
		expect(hours.get(requests.e)).toEqual(["cancelled", s1.hours]);
		// The leave rows stay (history); nobody can ask leave for it any more.
		expect(
			await db.select().from(leaveRequestSessions).where(eq(leaveRequestSessions.sessionId, s1.id)),
		).toHaveLength(4);

		// The room read the cancel: a punch in the session's own window is refused as 停課.
		expect(await checkIn(s1.id, a, s1.startsAt + 5 * MIN)).toMatchObject({
			ok: false,
			code: "SESSION_CANCELLED",
		});
		// The trainee's timetable and the teacher's list show it as cancelled.
		const timetable = (await (
			await liffCall(DEMO_LINE_USERS.trainee, `/api/liff/trainee/timetable?from=${s1.date}&to=${s1.date}`)
		).json()) as { sessions: { id: number; cancelled: boolean }[] };
		expect(timetable.sessions.find((s) => s.id === s1.id)?.cancelled).toBe(true);
		const taught = (await (await liffCall(DEMO_LINE_USERS.teacher, "/api/liff/teacher/sessions")).json()) as {
			sessions: { id: number; cancelled: boolean }[];
		};
		expect(taught.sessions.find((s) => s.id === s1.id)?.cancelled).toBe(true);
	});

	it("a closed-out session can be neither edited nor cancelled", async () => {
		const past = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, running.id), sql`${sessions.endsAt} < ${NOW - 24 * 60 * MIN}`))
			.orderBy(asc(sessions.startsAt))
			.get();
		if (!past) throw new Error("the running class has past sessions");
		await db.update(sessions).set({ closedAt: NOW }).where(eq(sessions.id, past.id));
		const page = text(await (await clerk.get(`/admin/sessions/${past.id}/edit`)).text());
		expect(page).toContain("這堂課已結算出缺勤，不能修改或停課");
		expect(page).not.toContain("確定停課");
		const res = await clerk.post(`/admin/sessions/${past.id}/cancel`, { reason: "補登停課" });
		expect(res.status).toBe(409);
		expect((await db.select().from(sessions).where(eq(sessions.id, past.id)).get())?.cancelledAt).toBeNull();
	});
});
