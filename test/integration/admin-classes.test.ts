// 班級 as a clerk uses it: the list with search and pages, a class's roster (masked), its attendance
// matrix, the CSV exports, and another unit's classes answered as not found.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { CSV_BOM } from "../../src/domain/csv";
import { formatRocDate } from "../../src/domain/roc-date";
import { addDays, taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { signedIn } from "./admin-helpers";
import { routeLineToEmulator } from "./dev-server";
import { uniqueSuffix } from "./fixtures";
import { readXlsx } from "./xlsx-reader";

const db = createDb(env.DB);
const s = uniqueSuffix();
const today = taipeiDate(Date.now());
const day1 = addDays(today, -3);
const day2 = addDays(today, -2);
let northId = 0;
let southClassId = 0;
let klass: typeof schema.classes.$inferSelect;

async function person(name: string, n: number, extra: Partial<typeof schema.people.$inferInsert> = {}) {
	return db
		.insert(schema.people)
		.values({
			name,
			nationalIdHmac: `cls-${s}-${n}`,
			nationalIdMasked: `A12****${String(n).padStart(3, "0")}`,
			nationalIdKind: "national",
			birthDate: "1990-01-01",
			createdAt: 1,
			updatedAt: 1,
			...extra,
		})
		.returning()
		.get();
}

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const north = await db.select().from(schema.units).where(eq(schema.units.code, "DEMO-N")).get();
	const plan = await db.select().from(schema.plans).where(eq(schema.plans.code, "PLAN-PRE")).get();
	const south = await db.select().from(schema.classes).where(eq(schema.classes.code, "DEMO-114-09")).get();
	if (!north || !plan || !south) throw new Error("the demo data has its units, plans and classes");
	northId = north.id;
	southClassId = south.id;
	const classRow = (i: number, name: string) => ({
		unitId: northId,
		planId: plan.id,
		code: `PG${s}-${String(i).padStart(2, "0")}`,
		name,
		startDate: addDays(today, -30),
		endDate: addDays(today, 30),
		createdAt: 1,
		updatedAt: 1,
	});
	// 55 classes for the pages (two statements: D1 binds at most 100 parameters).
	const rows = Array.from({ length: 55 }, (_, i) => classRow(i + 1, `分頁測試班${i + 1}`));
	for (let i = 0; i < rows.length; i += 8) await db.insert(schema.classes).values(rows.slice(i, i + 8));
	await db.insert(schema.classes).values({ ...classRow(99, `100%_達標班${s}`), code: `PCT${s}` });

	klass = await db
		.insert(schema.classes)
		.values({ ...classRow(0, "矩陣測試班"), code: `MX${s}`, location: "北區 A 教室", totalHours: 120 })
		.returning()
		.get();
	const lin = await person("林,小華", 1, { phone: "+886912345678", email: "lin.hua@example.com" });
	const wang = await person("王大明", 2);
	const chen = await person("陳小曠", 3);
	for (const [i, p] of [lin, wang, chen].entries())
		await db
			.insert(schema.enrollments)
			.values({ classId: klass.id, personId: p.id, seatNo: i + 1, enrolledAt: 1 });
	const [s1, s2] = await db
		.insert(schema.sessions)
		.values(
			[day1, day2].map((date) => ({
				classId: klass.id,
				date,
				startsAt: taipeiInstant(date, "09:00"),
				endsAt: taipeiInstant(date, "12:00"),
				hours: 3,
				subject: "設備保養",
				room: "A101",
				createdAt: 1,
				updatedAt: 1,
			})),
		)
		.returning();
	if (!s1 || !s2) throw new Error("two sessions");
	// 林,小華: approved sick leave for the first session (no attendance row yet: derived 請假).
	const leave = await db
		.insert(schema.leaveRequests)
		.values({
			personId: lin.id,
			classId: klass.id,
			unitId: northId,
			leaveTypeCode: "sick",
			status: "approved",
			firstDate: day1,
			lastDate: day1,
			hours: 3,
			idempotencyKey: `cls-${s}`,
			submittedAt: taipeiInstant(addDays(day1, -1), "20:15"),
			reviewedAt: Date.now(),
			reviewRemark: '=HYPERLINK("http://evil.example","看")',
			updatedAt: 1,
		})
		.returning()
		.get();
	await db
		.insert(schema.leaveRequestSessions)
		.values({ leaveRequestId: leave.id, sessionId: s1.id, personId: lin.id, active: 1 });
	// 王大明 present in both; 陳小曠 never came (no row for the first, a stored 曠課 for the second).
	await db.insert(schema.attendance).values([
		...[s1, s2].map((x) => ({
			sessionId: x.id,
			personId: wang.id,
			role: "trainee" as const,
			checkInAt: x.startsAt - 5 * 60_000,
			checkOutAt: x.endsAt + 60_000,
			status: "present" as const,
			updatedAt: 1,
		})),
		{
			sessionId: s2.id,
			personId: chen.id,
			role: "trainee" as const,
			status: "absent" as const,
			updatedAt: 1,
		},
	]);
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** The letter and title of a trainee's cell in a session of the matrix. */
function cells(html: string, name: string) {
	const row = html
		.split("<tr")
		.find((r) => r.includes(`class="who"`) && r.includes(name) && r.includes("td"));
	return [...(row ?? "").matchAll(/<td class="att (\w+)" title="([^"]*)">([^<]*)<\/td>/g)].map((m) => ({
		tone: m[1],
		title: m[2],
		letter: m[3],
	}));
}

describe("班級 list", () => {
	it("lists the unit's classes in pages of 50 with an escaped search", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const home = await (await t.get("/admin")).text();
		expect(home).toContain('href="/admin/classes"');

		const all = await (await t.get("/admin/classes?q=DEMO")).text();
		expect(all).toContain("DEMO-115-01");
		expect(all).not.toContain("DEMO-114-09"); // the south unit's
		expect(all).not.toContain('<th scope="col">訓練單位</th>');

		const page1 = await (await t.get(`/admin/classes?q=PG${s}`)).text();
		expect(page1.match(/分頁測試班\d+/g)?.length).toBe(50);
		expect(page1).toContain("共 55 班，第 1 / 2 頁");
		expect(page1).toContain("下一頁");
		const page2 = await (await t.get(`/admin/classes?q=pg${s}&page=2`)).text();
		expect(page2.match(/分頁測試班\d+/g)?.length).toBe(5);
		expect(page2).toContain("第 2 / 2 頁");

		// % and _ match themselves, not anything.
		const pct = await (await t.get(`/admin/classes?q=${encodeURIComponent("100%_")}`)).text();
		expect(pct).toContain(`100%_達標班${s}`);
		expect(pct).toContain("共 1 班");
		const underscore = await (await t.get("/admin/classes?q=_")).text();
		expect(underscore).not.toContain("DEMO-115-01");

		const byName = await (await t.get(`/admin/classes?q=${encodeURIComponent("矩陣測試")}`)).text();
		expect(byName).toContain(`MX${s}`);
		expect(byName).toContain(formatRocDate(addDays(today, -30)));
		expect(byName).toMatch(/<td class="count">3<\/td>/);
	});

	it("shows the agency every unit with a unit column", async () => {
		const t = await signedIn("admin@agency.example");
		const html = await (await t.get("/admin/classes?q=DEMO")).text();
		expect(html).toContain('<th scope="col">訓練單位</th>');
		expect(html).toContain("DEMO-114-09");
		expect(html).toContain("DEMO-115-01");
	});

	it("answers a huge search with a zh-TW 400 and a bad page with page 1", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const huge = await t.get(`/admin/classes?q=${"班".repeat(5000)}`);
		expect(huge.status).toBe(400);
		expect(await huge.text()).toContain("搜尋字詞最多 100 個字");
		const bad = await t.get("/admin/classes?page=abc&q=%27%22%3C");
		expect(bad.status).toBe(200);
		expect(await bad.text()).toContain("第 1 / 1 頁");
	});
});

describe("a class's page", () => {
	it("shows the class, the roster with masked data, the timetable and the matrix", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.get(`/admin/classes/${klass.id}`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain(`MX${s} 矩陣測試班`);
		expect(html).toContain("職前訓練計畫（示範）");
		expect(html).toContain("北區 A 教室");
		// Roster: masked ID, phone and e-mail, never the full ones.
		expect(html).toContain("A12****001");
		expect(html).toContain("09xx-xxx-678");
		expect(html).toContain("l***@example.com");
		expect(html).not.toContain("912345678");
		expect(html).not.toContain("lin.hua@");
		// Timetable of the default range (the last 14 days).
		expect(html).toContain(`${formatRocDate(day1)}（`);
		expect(html).toContain("09:00–12:00");
		expect(html).toContain("A101");
		// Legend and export links.
		for (const label of ["出席", "遲到", "早退", "請假", "曠課", "未簽到／未簽退"])
			expect(html).toContain(label);
		expect(html).toContain(
			`/admin/classes/${klass.id}/export.csv?kind=attendance&amp;from=${addDays(today, -13)}&amp;to=${today}`,
		);
		expect(html).toContain(`/admin/classes/${klass.id}/export.csv?kind=leave&amp;`);
	});

	it("marks approved leave 假 with its type, an absence 曠 and attendance 出", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const html = await (await t.get(`/admin/classes/${klass.id}?from=${day1}&to=${day2}`)).text();
		const lin = cells(html, "林,小華");
		expect(lin.map((c) => c.letter)).toEqual(["假", "曠"]);
		expect(lin[0]?.title).toContain("請假（病假）");
		expect(cells(html, "陳小曠").map((c) => c.letter)).toEqual(["曠", "曠"]);
		expect(cells(html, "王大明").map((c) => c.letter)).toEqual(["出", "出"]);
	});

	it("wraps a long unbroken subject, room and cancel reason instead of widening the page", async () => {
		const plan = await db.select().from(schema.plans).where(eq(schema.plans.code, "PLAN-PRE")).get();
		const wide = await db
			.insert(schema.classes)
			.values({
				unitId: northId,
				planId: plan?.id ?? 0,
				code: `WR${s}`,
				name: "長字班",
				startDate: addDays(today, -30),
				endDate: addDays(today, 30),
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		const subject = "W".repeat(60);
		const room = "R".repeat(40);
		const reason = "X".repeat(200);
		const [open] = await db
			.insert(schema.sessions)
			.values(
				[addDays(today, 2), addDays(today, 3)].map((date, i) => ({
					classId: wide.id,
					date,
					startsAt: taipeiInstant(date, "09:00"),
					endsAt: taipeiInstant(date, "12:00"),
					hours: 3,
					subject,
					room,
					cancelledAt: i === 1 ? 1 : null,
					cancelReason: i === 1 ? reason : null,
					createdAt: 1,
					updatedAt: 1,
				})),
			)
			.returning();
		const t = await signedIn("north.clerk@unit.example");
		const page = await (
			await t.get(`/admin/classes/${wide.id}?from=${today}&to=${addDays(today, 5)}`)
		).text();
		// The timetable's text cells may break anywhere (table.grid cells otherwise size to the text).
		expect(page).toContain(`<td class="wrap">${subject}</td>`);
		expect(page).toContain(`<td class="wrap">${room}</td>`);
		expect(page).toContain(`<td class="wrap">停課：${reason}</td>`);
		// The session's own page: its heading and facts.
		const edit = await (await t.get(`/admin/sessions/${open?.id}/edit`)).text();
		expect(edit).toContain(`<h1>節次：${subject}</h1>`);
		expect(edit).toContain(`<dd>${room}</dd>`);
		const rule = /([^{}]+)\{[^}]*overflow-wrap:\s*anywhere[^}]*\}/g;
		const adminCss = await (await env.ASSETS.fetch("https://training-line.test/css/admin.css")).text();
		const css = adminCss.replace(/\/\*[\s\S]*?\*\//g, "");
		const wrapping = [...css.matchAll(rule)].flatMap((m) => (m[1] ?? "").split(",").map((x) => x.trim()));
		for (const selector of ["td.wrap", "h1", "dl.facts dd"]) expect(wrapping).toContain(selector);
	});

	it("answers a bad date range with 400 in zh-TW and the default range", async () => {
		const t = await signedIn("north.clerk@unit.example");
		for (const query of [
			"from=2026-02-30",
			"from=2026-12-10&to=2026-12-01",
			"from=2020-01-01&to=2026-01-01",
			"to=abc",
		]) {
			const res = await t.get(`/admin/classes/${klass.id}?${query}`);
			expect(res.status).toBe(400);
			const html = await res.text();
			expect(html).toContain("已改為顯示最近 14 天");
			expect(html).toContain(`value="${today}"`);
		}
	});
});

describe("CSV exports", () => {
	it("exports attendance with BOM, header, CRLF and escaped cells", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.get(`/admin/classes/${klass.id}/export.csv?kind=attendance&from=${day1}&to=${day2}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
		const stamp = today.replaceAll("-", "");
		expect(res.headers.get("content-disposition")).toContain(
			`filename*=UTF-8''${encodeURIComponent(`MX${s}_出勤_${stamp}.csv`)}`,
		);
		const body = new Uint8Array(await res.arrayBuffer());
		expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
		expect(text.startsWith(CSV_BOM)).toBe(true);
		const lines = text.slice(1).split("\r\n");
		expect(lines[0]).toBe("日期,節次時間,課程,座號,姓名,身分證字號,簽到,簽退,出缺勤");
		expect(lines).toHaveLength(1 + 2 * 3 + 1);
		expect(lines.at(-1)).toBe("");
		expect(lines[1]).toBe(
			`${formatRocDate(day1)},09:00-12:00,設備保養,1,"林,小華",A12****001,,,請假（病假）`,
		);
		expect(lines[2]).toBe(`${formatRocDate(day1)},09:00-12:00,設備保養,2,王大明,A12****002,08:55,12:01,出席`);
		expect(lines[3]).toContain(",陳小曠,A12****003,,,曠課");
	});

	it("exports leave requests with the review remark neutralised", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.get(`/admin/classes/${klass.id}/export.csv?kind=leave`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-disposition")).toContain(encodeURIComponent("_請假_"));
		const text = await res.text();
		const lines = text.replace(CSV_BOM, "").split("\r\n");
		expect(lines[0]).toBe("申請時間,姓名,假別,請假日期,時數,狀態,審核備註");
		expect(lines[1]).toBe(
			`${formatRocDate(addDays(day1, -1))} 20:15,"林,小華",病假,${formatRocDate(day1)},3,已通過,"'=HYPERLINK(""http://evil.example"",""看"")"`,
		);
	});

	it("exports the same rows as an Excel workbook, text kept as text", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.get(`/admin/classes/${klass.id}/export.xlsx?kind=leave`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe(
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		);
		expect(res.headers.get("content-disposition")).toContain(encodeURIComponent(`MX${s}_請假_`));
		const book = readXlsx(await res.arrayBuffer());
		expect(book.sheetName).toBe("請假");
		expect(book.rows[0]).toEqual(["申請時間", "姓名", "假別", "請假日期", "時數", "狀態", "審核備註"]);
		// A formula-looking remark is a plain text cell in a workbook: no apostrophe, never run.
		expect(book.rows[1]).toEqual([
			`${formatRocDate(addDays(day1, -1))} 20:15`,
			"林,小華",
			"病假",
			formatRocDate(day1),
			"3",
			"已通過",
			'=HYPERLINK("http://evil.example","看")',
		]);
		expect(book.hasFormula).toBe(false);

		const attendance = readXlsx(
			await (
				await t.get(`/admin/classes/${klass.id}/export.xlsx?kind=attendance&from=${day1}&to=${day2}`)
			).arrayBuffer(),
		);
		expect(attendance.rows).toHaveLength(1 + 2 * 3);
		expect(attendance.rows[2]).toEqual([
			formatRocDate(day1),
			"09:00-12:00",
			"設備保養",
			"2",
			"王大明",
			"A12****002",
			"08:55",
			"12:01",
			"出席",
		]);
	});

	it("refuses a bad kind or dates with 400 in zh-TW", async () => {
		const t = await signedIn("north.clerk@unit.example");
		for (const query of [
			"kind=xls",
			"",
			"kind=attendance&from=2026-02-30",
			"kind=leave&from=2026-03-01&to=2026-01-01",
		]) {
			const res = await t.get(`/admin/classes/${klass.id}/export.csv?${query}`);
			expect(res.status).toBe(400);
			const body = (await res.json()) as { error: { code: string; message: string } };
			expect(body.error.code).toBe("VALIDATION_FAILED");
			expect(body.error.message).toMatch(/匯出類型|日期/);
		}
	});
});

describe("another unit's class", () => {
	it("is not found on every route, for either unit", async () => {
		const south = await signedIn("south.admin@unit.example");
		for (const path of [
			`/admin/classes/${klass.id}`,
			`/admin/classes/${klass.id}?from=${day1}&to=${day2}`,
			`/admin/classes/${klass.id}/export.csv?kind=attendance`,
			`/admin/classes/${klass.id}/export.csv?kind=leave`,
		]) {
			const res = await south.get(path);
			expect(res.status).toBe(404);
			const body = await res.text();
			expect(body).not.toContain("林,小華");
			expect(body).toMatch(/找不到(這個班級|您要的頁面或資料)/);
		}
		expect(await (await south.get(`/admin/classes?q=MX${s}`)).text()).toContain("找不到符合");
		const north = await signedIn("north.clerk@unit.example");
		expect((await north.get(`/admin/classes/${southClassId}`)).status).toBe(404);
		expect((await north.get(`/admin/classes/${southClassId}/export.csv?kind=leave`)).status).toBe(404);
		// The agency sees both.
		const agency = await signedIn("admin@agency.example");
		expect((await agency.get(`/admin/classes/${klass.id}`)).status).toBe(200);
		expect((await agency.get(`/admin/classes/${southClassId}`)).status).toBe(200);
	});
});
