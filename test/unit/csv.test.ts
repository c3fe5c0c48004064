import { describe, expect, it } from "vitest";
import { attachmentDisposition, CSV_BOM, csvCell, toCsv } from "../../src/domain/csv";

describe("csvCell", () => {
	it("leaves plain text and numbers alone and empties null", () => {
		expect(csvCell("王小明")).toBe("王小明");
		expect(csvCell(3.5)).toBe("3.5");
		expect(csvCell(null)).toBe("");
		expect(csvCell(undefined)).toBe("");
	});

	it("quotes a comma, a quote or a newline, doubling quotes", () => {
		expect(csvCell("陳,大文")).toBe('"陳,大文"');
		expect(csvCell('說"好"')).toBe('"說""好"""');
		expect(csvCell("第一行\n第二行")).toBe('"第一行\n第二行"');
		expect(csvCell("a\r\nb")).toBe('"a\r\nb"');
	});

	it.each([
		["=1+1", "'=1+1"],
		["+886912345678", "'+886912345678"],
		["-2", "'-2"],
		["@SUM(A1)", "'@SUM(A1)"],
		["\tx", "'\tx"],
	])("neutralises a formula %j", (input, output) => {
		expect(csvCell(input)).toBe(output);
	});

	it("neutralises and quotes a formula with a comma", () => {
		expect(csvCell('=HYPERLINK("http://x",1)')).toBe(`"'=HYPERLINK(""http://x"",1)"`);
	});

	it("does not touch a number that is negative (only text can be a formula)", () => {
		expect(csvCell(-1)).toBe("-1");
	});
});

describe("toCsv", () => {
	it("starts with a BOM and ends every line with CRLF", () => {
		const csv = toCsv([
			["姓名", "備註"],
			["林,一", "=cmd"],
		]);
		expect(csv.startsWith(CSV_BOM)).toBe(true);
		expect(csv).toBe(`${CSV_BOM}姓名,備註\r\n"林,一",'=cmd\r\n`);
		expect(toCsv([])).toBe(CSV_BOM);
	});
});

describe("attachmentDisposition", () => {
	it("encodes the UTF-8 name and keeps an ASCII fallback", () => {
		expect(attachmentDisposition("DEMO-115-01_出勤_20261203.csv", "DEMO-115-01_attendance.csv")).toBe(
			`attachment; filename="DEMO-115-01_attendance.csv"; filename*=UTF-8''DEMO-115-01_%E5%87%BA%E5%8B%A4_20261203.csv`,
		);
		expect(attachmentDisposition("a'b.csv", 'x"; y.csv')).toBe(
			`attachment; filename="x___y.csv"; filename*=UTF-8''a%27b.csv`,
		);
	});
});
