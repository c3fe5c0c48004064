// Row checks of the roster import: what the clerk is told for each bad row of a CSV.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv-parse";
import { nationalIdCheckDigit } from "../../src/domain/national-id";
import { readRosterHeader, validateRosterRecords } from "../../src/services/roster-import";

const id = (firstNine: string) => `${firstNine}${nationalIdCheckDigit(firstNine)}`;
const wrongDigit = (valid: string) => `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
const HEADER = "班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件";
const known = new Map([
	["C-01", { id: 1, code: "C-01", name: "甲班" }],
	["C-02", { id: 2, code: "C-02", name: "乙班" }],
]);

function check(lines: string[]) {
	const parsed = parseCsv([HEADER, ...lines].join("\r\n"));
	if (!parsed.ok) throw new Error(parsed.message);
	const [head, ...records] = parsed.value;
	const header = readRosterHeader(head?.fields ?? []);
	if (!header.ok) throw new Error(header.message);
	return validateRosterRecords(records, header.value, known);
}

describe("readRosterHeader", () => {
	it("finds the columns in any order, with spaces or full-width slashes", () => {
		const r = readRosterHeader([
			"電子郵件",
			" 姓名 ",
			"身分證字號／居留證號",
			"座號",
			"手機",
			"出生日期",
			"班級代碼",
			"備註",
		]);
		expect(r).toEqual({
			ok: true,
			value: { email: 0, name: 1, nationalId: 2, seatNo: 3, phone: 4, birthDate: 5, classCode: 6 },
		});
	});

	it("names the missing columns", () => {
		expect(readRosterHeader(["班級代碼", "姓名"])).toMatchObject({
			ok: false,
			message:
				"第 1 列必須是標題列，缺少欄位：「座號」、「身分證字號/居留證號」、「出生日期」、「手機」、「電子郵件」",
		});
	});
});

describe("validateRosterRecords", () => {
	const a = id("Z18800001");
	const b = id("Z28800002");
	const c = id("Y18800003");

	it("normalizes a valid row (ROC date, phone to E.164, e-mail lower case, ID upper case)", () => {
		const { rows, errors } = check([
			`c-01,１,王 小明,${a.toLowerCase()},79/05/25,0912-345-678,Wang@Example.com`,
		]);
		expect(errors).toEqual([]);
		expect(rows).toEqual([
			{
				line: 2,
				classId: 1,
				classCode: "C-01",
				seatNo: 1,
				name: "王 小明",
				nationalId: a,
				kind: "national",
				birthDate: "1990-05-25",
				phone: "+886912345678",
				email: "wang@example.com",
			},
		]);
	});

	it("lists every problem of a row in zh-TW, with Excel's row number", () => {
		const { rows, errors } = check([
			`C-01,1,王小明,${wrongDigit(a)},2026-02-30,0212345678,not-an-email`,
			`C-09,0,,${b},114/02/29,,`,
			`C-01,2,林美華,${b},1992-11-03,0987654321,`,
		]);
		expect(rows.map((r) => r.line)).toEqual([4]);
		expect(errors).toEqual([
			{
				line: 2,
				reasons: [
					"身分證字號或居留證號檢查碼不正確，請確認是否輸入錯誤",
					"出生日期「2026-02-30」：沒有這一天，請確認年、月、日是否正確",
					"請填寫手機號碼（09 開頭共 10 碼），市話無法接收簡訊",
					"電子郵件格式不正確，例如 name@example.com",
				],
			},
			{
				line: 3,
				reasons: [
					"查無班級代碼「C-09」（只能匯入本單位的班級）",
					"座號「0」應為正整數",
					"「姓名」未填寫",
					"出生日期「114/02/29」：沒有這一天，請確認年、月、日是否正確",
					"「手機」與「電子郵件」至少填寫一項（學員綁定 LINE 時以此接收驗證碼）",
				],
			},
		]);
	});

	it("refuses the same ID or seat twice in a class, but allows one person in two classes", () => {
		const { rows, errors } = check([
			`C-01,1,王小明,${a},1990-05-25,0912345678,`,
			`C-01,2,王小明,${a},1990-05-25,0912345678,`,
			`C-01,1,陳大同,${c},1985-01-01,,chen@example.com`,
			`C-02,1,王小明,${a},1990-05-25,0912345678,`,
			`C-02,2,王曉明,${a},1990-05-26,0912345678,`,
		]);
		expect(rows.map((r) => r.line)).toEqual([2, 5]);
		expect(errors).toEqual([
			{ line: 3, reasons: ["與第 2 列的身分證字號重複（同一班級）"] },
			{ line: 4, reasons: ["座號 1 與第 2 列重複（同一班級）"] },
			{
				line: 6,
				reasons: ["與第 5 列的身分證字號重複（同一班級）", "與第 2 列的身分證字號相同，但姓名或出生日期不同"],
			},
		]);
	});
});
