// 學員名冊匯入 as a clerk uses it: a CSV with errors is listed by row and writes nothing, the fixed
// file is imported and enrolled, Excel's encodings (UTF-8 ± BOM, UTF-16, Big5) are read, and
// another unit can neither see nor import into this unit's classes.
import { env } from "cloudflare:test";
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { auditLog, classes, enrollments, people, staff } from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { nationalIdCheckDigit } from "../../src/domain/national-id";
import { nationalIdHmac } from "../../src/services/pii";
import { importRoster, previewRosterImport } from "../../src/services/roster-import";
import { signedIn } from "./admin-helpers";

const db = createDb(env.DB);

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
afterEach(() => vi.restoreAllMocks());

/** A valid ID from nine characters: the tests' people never collide with the demo's. */
const id = (firstNine: string) => `${firstNine}${nationalIdCheckDigit(firstNine)}`;
const wrongDigit = (valid: string) => `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
const HEADER = "班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件";
const csv = (lines: string[]) => new TextEncoder().encode(`${[HEADER, ...lines].join("\r\n")}\r\n`);

type Tab = Awaited<ReturnType<typeof signedIn>>;
const upload = (t: Tab, bytes: Uint8Array, filename = "名冊.csv") =>
	t.postFile("/admin/roster-import", new File([bytes], filename, { type: "text/csv" }));
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

async function enrolledIn(code: string, ids: string[]) {
	const hmacs = await Promise.all(ids.map((i) => nationalIdHmac(env.PII_HMAC_KEY, i)));
	return db
		.select({ name: people.name, seatNo: enrollments.seatNo, masked: people.nationalIdMasked })
		.from(enrollments)
		.innerJoin(people, eq(people.id, enrollments.personId))
		.innerJoin(classes, eq(classes.id, enrollments.classId))
		.where(and(eq(classes.code, code), inArray(people.nationalIdHmac, hmacs)))
		.orderBy(enrollments.seatNo);
}

describe("a roster CSV with errors", () => {
	const good = id("Z18800011");
	const other = id("Z28800012");
	it("lists every bad row by its Excel row number and imports nothing", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(
			t,
			csv([
				`DEMO-115-01,41,王小明,${wrongDigit(good)},1990-05-25,0912-345-678,wang@example.com`,
				`DEMO-115-01,42,林美華,${other},2026-02-30,0987654321,`,
				`DEMO-115-01,43,陳大同,${id("Y18800013")},114/02/29,,chen@example.com`,
				`DEMO-115-01,44,張雅婷,${other},1992-11-03,0987654321,`,
				`NOPE-999,45,李志明,${id("X18800014")},1988-01-02,0911222333,`,
				`DEMO-114-09,46,吳佳蓉,${id("W28800015")},1995-07-08,0922333444,`,
				`DEMO-115-01,47,黃冠宇,${id("V18800016")},1991-03-04,0933444555,`,
				`DEMO-115-01,47,周怡君,${id("U28800017")},1993-05-06,0944555666,`,
			]),
		);
		expect(res.status).toBe(200);
		const html = await res.text();
		const page = text(html);
		expect(page).toContain("可匯入 1 筆");
		expect(page).toContain("有錯誤 7 筆");
		expect(page).toContain("尚未匯入任何資料");
		expect(page).toMatch(/第 2 列 身分證字號或居留證號檢查碼不正確/);
		expect(page).toMatch(/第 3 列 出生日期「2026-02-30」：沒有這一天/);
		expect(page).toMatch(/第 4 列 出生日期「114\/02\/29」：沒有這一天/);
		expect(page).toMatch(/第 5 列 與第 3 列的身分證字號重複（同一班級）/);
		expect(page).toMatch(/第 6 列 查無班級代碼「NOPE-999」（只能匯入本單位的班級）/);
		// Another unit's class reads exactly like a class that does not exist.
		expect(page).toMatch(/第 7 列 查無班級代碼「DEMO-114-09」（只能匯入本單位的班級）/);
		expect(page).toMatch(/第 9 列 座號 47 與第 8 列重複（同一班級）/);
		expect(page).not.toContain("確認匯入</button>");
		expect(tokenOf(html)).toBeUndefined();
		expect(await enrolledIn("DEMO-115-01", [good, other, id("V18800016")])).toEqual([]);
		expect(
			await db
				.select()
				.from(people)
				.where(eq(people.nationalIdHmac, await nationalIdHmac(env.PII_HMAC_KEY, id("V18800016")))),
		).toEqual([]);
	});

	it("refuses a file without the header row, naming the missing columns", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(t, new TextEncoder().encode("DEMO-115-01,1,王小明\r\n"));
		expect(res.status).toBe(422);
		expect(text(await res.text())).toContain("第 1 列必須是標題列，缺少欄位");
	});
});

describe("the fixed roster CSV", () => {
	const ids = [id("Z18800021"), id("Y28800022"), id("X18800023")];
	const fixed = csv([
		`DEMO-115-01,51,王小明,${ids[0]},1990-05-25,0912-345-678,wang@example.com`,
		`DEMO-115-01,52,林美華,${ids[1]},81/11/03,0987654321,`,
		`"DEMO-115-01",53,"陳 大同",${ids[2]},1985-01-31,,"chen@example.com"`,
	]);

	it("shows the rows with masked IDs, then imports them on 確認匯入 and shows them", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const before = text(await (await t.get("/admin/roster-import")).text());
		const count = Number(/DEMO-115-01 \S+ \S+ (\d+) 人/.exec(before)?.[1]);
		const preview = await upload(t, fixed);
		const html = await preview.text();
		expect(text(html)).toContain("可匯入 3 筆");
		expect(text(html)).toContain("有錯誤 0 筆");
		expect(html).toContain(`${ids[0]?.slice(0, 3)}****${ids[0]?.slice(-3)}`);
		// The clear IDs never reach the page, not even inside the signed token.
		const token = tokenOf(html) as string;
		for (const clear of ids) expect(html).not.toContain(clear as string);
		expect(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))).not.toContain(
			ids[0] as string,
		);
		expect(await enrolledIn("DEMO-115-01", ids as string[])).toEqual([]);

		const done = await t.post("/admin/roster-import/confirm", { token });
		expect(done.status).toBe(200);
		const result = text(await done.text());
		expect(result).toContain("已匯入 3 位學員");
		expect(result).toContain("陳 大同");
		expect(await enrolledIn("DEMO-115-01", ids as string[])).toEqual([
			{ name: "王小明", seatNo: 51, masked: `${ids[0]?.slice(0, 3)}****${ids[0]?.slice(-3)}` },
			{ name: "林美華", seatNo: 52, masked: `${ids[1]?.slice(0, 3)}****${ids[1]?.slice(-3)}` },
			{ name: "陳 大同", seatNo: 53, masked: `${ids[2]?.slice(0, 3)}****${ids[2]?.slice(-3)}` },
		]);
		const after = text(await (await t.get("/admin/roster-import")).text());
		expect(after).toMatch(new RegExp(`DEMO-115-01 \\S+ \\S+ ${count + 3} 人`));
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, "roster.import"));
		expect(audit.at(-1)?.after).toContain('"rows":3');

		// The same file again: everyone is already on the roster and is skipped.
		const again = text(await (await upload(t, fixed)).text());
		expect(again).toContain("可匯入 0 筆");
		expect(again).toContain("已在名冊中，將略過");
		// Confirming the old preview twice enrolls no one twice.
		const twice = text(await (await t.post("/admin/roster-import/confirm", { token })).text());
		expect(twice).toContain("已匯入 0 位學員（3 位已在名冊中，未重複匯入）");
		expect(await enrolledIn("DEMO-115-01", ids as string[])).toHaveLength(3);
	});

	it("refuses a tampered or missing token", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const token = tokenOf(
			await (
				await upload(t, csv([`DEMO-115-01,54,趙子龍,${id("T18800024")},1990-01-01,0912000111,`]))
			).text(),
		) as string;
		const [h, p, s] = token.split(".");
		const forged = await t.post("/admin/roster-import/confirm", { token: `${h}.${p}x.${s}` });
		expect(forged.status).toBe(400);
		expect((await forged.json<{ error: { message: string } }>()).error.message).toContain("請重新上傳檔案");
		expect((await t.post("/admin/roster-import/confirm", {})).status).toBe(400);
	});
});

describe("Excel's encodings", () => {
	const name = "王小明";
	it("reads UTF-8 with a BOM", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const body = csv([`DEMO-115-02,81,${name},${id("S18800031")},1990-05-25,0912345678,`]);
		const res = await upload(t, new Uint8Array([0xef, 0xbb, 0xbf, ...body]));
		const page = text(await res.text());
		expect(page).toContain("可匯入 1 筆");
		expect(page).toContain(name);
	});

	it("reads a UTF-16 LE tab-separated 「Unicode 文字」 file", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const content = `${HEADER.replaceAll(",", "\t")}\r\nDEMO-115-02\t82\t${name}\t${id("R18800032")}\t79/05/25\t0912345678\t\r\n`;
		const bytes = new Uint8Array(2 + content.length * 2);
		bytes.set([0xff, 0xfe]);
		for (let i = 0; i < content.length; i++) {
			bytes[2 + i * 2] = content.charCodeAt(i) & 0xff;
			bytes[3 + i * 2] = content.charCodeAt(i) >> 8;
		}
		const page = text(await (await upload(t, bytes, "名冊.txt")).text());
		expect(page).toContain("可匯入 1 筆");
		expect(page).toContain(name);
		expect(page).toContain("79/05/25");
	});

	it("reads Big5, Excel's default CSV in zh-TW", async () => {
		const t = await signedIn("north.clerk@unit.example");
		// Big5 by hand (there is no Big5 encoder): 王 A4FD 小 A470 明 A9FA and the header's characters.
		const big5: Record<string, number[]> = {
			班: [0xaf, 0x5a],
			級: [0xaf, 0xc5],
			代: [0xa5, 0x4e],
			碼: [0xbd, 0x58],
			座: [0xae, 0x79],
			號: [0xb8, 0xb9],
			姓: [0xa9, 0x6d],
			名: [0xa6, 0x57],
			身: [0xa8, 0xad],
			分: [0xa4, 0xc0],
			證: [0xc3, 0xd2],
			字: [0xa6, 0x72],
			居: [0xa9, 0x7e],
			留: [0xaf, 0x64],
			出: [0xa5, 0x58],
			生: [0xa5, 0xcd],
			日: [0xa4, 0xe9],
			期: [0xb4, 0xc1],
			手: [0xa4, 0xe2],
			機: [0xbe, 0xf7],
			電: [0xb9, 0x71],
			子: [0xa4, 0x6c],
			郵: [0xb6, 0x6c],
			件: [0xa5, 0xf3],
			王: [0xa4, 0xfd],
			小: [0xa4, 0x70],
			明: [0xa9, 0xfa],
		};
		const content = `${HEADER}\r\nDEMO-115-02,83,${name},${id("Q18800033")},1990-05-25,0912345678,\r\n`;
		const bytes = new Uint8Array(
			[...content].flatMap((ch) => big5[ch] ?? (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : [0x3f])),
		);
		expect(new TextDecoder("big5").decode(bytes)).toBe(content);
		const page = text(await (await upload(t, bytes)).text());
		expect(page).toContain("可匯入 1 筆");
		expect(page).toContain(name);
	});

	it("refuses a file that is neither, telling how to save it as CSV UTF-8", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(t, new Uint8Array([0x41, 0xff, 0xfe, 0x80, 0x0d, 0x0a]));
		expect(res.status).toBe(422);
		expect(text(await res.text())).toContain("CSV UTF-8（逗號分隔）");
	});
});

describe("another unit", () => {
	it("cannot import into this unit's class, not even with this unit's preview", async () => {
		const south = await signedIn("south.admin@unit.example");
		const ids = [id("P18800041")];
		const line = `DEMO-115-01,61,王小明,${ids[0]},1990-05-25,0912345678,`;
		const page = text(await (await upload(south, csv([line]))).text());
		expect(page).toContain("查無班級代碼「DEMO-115-01」（只能匯入本單位的班級）");
		expect(page).not.toContain("本單位班級 班級代碼 班級名稱 結訓日 在訓學員 DEMO-115-01");

		// A preview signed for the north clerk is refused when the south admin sends it.
		const north = await signedIn("north.clerk@unit.example");
		const token = tokenOf(await (await upload(north, csv([line]))).text()) as string;
		expect((await south.post("/admin/roster-import/confirm", { token })).status).toBe(400);
		// And the service itself refuses another unit's class.
		const preview = await previewRosterImport(
			{ db, piiKey: env.PII_HMAC_KEY },
			{ unitId: null },
			csv([line]),
		);
		if (!preview.ok) throw new Error(preview.message);
		const southAdmin = await db.select().from(staff).where(eq(staff.email, "south.admin@unit.example")).get();
		const refused = await importRoster(
			{ db, now: Date.now() },
			{ staffId: southAdmin?.id ?? 0, unitId: southAdmin?.unitId ?? 0 },
			preview.rows,
		);
		expect(refused).toEqual({ ok: false, message: "查無班級（只能匯入本單位的班級）" });
		expect(await enrolledIn("DEMO-115-01", ids)).toEqual([]);
	});
});

describe("a failed write", () => {
	it("leaves no enrollment without its person, and no audit entry; importing again works", async () => {
		const ids = [id("N18800051"), id("M28800052")];
		const preview = await previewRosterImport(
			{ db, piiKey: env.PII_HMAC_KEY },
			{ unitId: null },
			csv([
				`DEMO-115-02,71,王小明,${ids[0]},1990-05-25,0912345678,`,
				`DEMO-115-02,72,林美華,${ids[1]},1992-11-03,0987654321,`,
			]),
		);
		if (!preview.ok) throw new Error(preview.message);
		const clerk = await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get();
		const actor = { staffId: clerk?.id ?? 0, unitId: clerk?.unitId ?? 0 };
		const audits = async () =>
			(await db.select().from(auditLog).where(eq(auditLog.action, "roster.import"))).length;
		const auditsBefore = await audits();
		// The people batch goes through; the enrollment batch fails.
		const realBatch = db.batch.bind(db);
		let calls = 0;
		vi.spyOn(db, "batch").mockImplementation(((statements: Parameters<typeof db.batch>[0]) => {
			calls++;
			if (calls === 2) return Promise.reject(new Error("D1 is gone"));
			return realBatch(statements);
		}) as unknown as typeof db.batch);
		await expect(importRoster({ db, now: Date.now() }, actor, preview.rows)).rejects.toThrow("D1 is gone");
		expect(await enrolledIn("DEMO-115-02", ids)).toEqual([]);
		expect(await audits()).toBe(auditsBefore);
		vi.restoreAllMocks();

		expect(await importRoster({ db, now: Date.now() }, actor, preview.rows)).toEqual({
			ok: true,
			enrolled: 2,
			skipped: 0,
		});
		expect((await enrolledIn("DEMO-115-02", ids)).map((r) => r.seatNo)).toEqual([71, 72]);
		expect(await audits()).toBe(auditsBefore + 1);
	});
});

describe("the page and the sample", () => {
	it("refuses a file over 2 MB", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const res = await upload(t, new Uint8Array(2 * 1024 * 1024 + 80 * 1024).fill(0x41));
		expect(res.status).toBe(413);
		expect((await res.json<{ error: { message: string } }>()).error.message).toContain("上傳的資料太大");
	});

	it("explains the columns and offers a sample CSV (UTF-8 with BOM) that passes the checks", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const page = text(await (await t.get("/admin/roster-import")).text());
		for (const column of ["班級代碼", "座號", "姓名", "身分證字號/居留證號", "出生日期", "手機", "電子郵件"])
			expect(page).toContain(column);
		expect(page).toContain("學員名冊匯入");
		expect(page).toContain("下載範例檔");
		const sample = await t.get("/admin/roster-import/sample.csv");
		expect(sample.headers.get("content-type")).toBe("text/csv; charset=utf-8");
		expect(sample.headers.get("content-disposition")).toContain("attachment");
		const bytes = new Uint8Array(await sample.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder().decode(bytes)).toContain(HEADER);
		const preview = await previewRosterImport({ db, piiKey: env.PII_HMAC_KEY }, { unitId: null }, bytes);
		// Its rows are well-formed; only their seats may be taken in the demo's class already.
		if (!preview.ok) throw new Error(preview.message);
		expect(preview.rows.length + preview.errors.length).toBe(2);
		for (const e of preview.errors)
			expect(e.reasons).toEqual([expect.stringMatching(/^座號 \d 在 DEMO-115-01 已有其他學員$/)]);
	});
});
