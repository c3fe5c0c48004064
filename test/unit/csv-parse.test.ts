// The CSV decoder and parser the roster import reads Excel files with.
import { describe, expect, it } from "vitest";
import {
	decodeCsvBytes,
	detectDelimiter,
	looksLikeBig5,
	parseCsv,
	supportsBig5,
} from "../../src/domain/csv-parse";

const fields = (text: string) => {
	const r = parseCsv(text);
	if (!r.ok) throw new Error(r.message);
	return r.value;
};

describe("parseCsv", () => {
	it("reads quoted fields with commas, line breaks and doubled quotes", () => {
		expect(fields('a,"b,c","say ""hi"""\r\n"x\ny",2,\r\n')).toEqual([
			{ line: 1, fields: ["a", "b,c", 'say "hi"'] },
			{ line: 2, fields: ["x\ny", "2", ""] },
		]);
	});

	it("accepts LF, CRLF and CR alike and no final line break", () => {
		expect(fields("a,b\nc,d\r\ne,f\rg,h").map((r) => r.fields)).toEqual([
			["a", "b"],
			["c", "d"],
			["e", "f"],
			["g", "h"],
		]);
	});

	it("drops empty rows but keeps Excel's row numbers", () => {
		expect(fields("h1,h2\r\n\r\n1,2\r\n,\r\n3,4\r\n\r\n\r\n")).toEqual([
			{ line: 1, fields: ["h1", "h2"] },
			{ line: 3, fields: ["1", "2"] },
			{ line: 5, fields: ["3", "4"] },
		]);
	});

	it("counts a record with a line break inside quotes as one row, as Excel shows it", () => {
		expect(fields('h\r\n"two\r\nlines"\r\nnext').map((r) => r.line)).toEqual([1, 2, 3]);
	});

	it("keeps a quote inside an unquoted field and reports an unclosed quote with its row", () => {
		expect(fields('a 5"b,c')).toEqual([{ line: 1, fields: ['a 5"b', "c"] }]);
		expect(parseCsv('h\nok\n"broken,x\n')).toEqual({
			ok: false,
			code: "CSV_UNCLOSED_QUOTE",
			message: '第 3 列的引號（"）沒有結束，請檢查檔案內容',
		});
	});

	it("detects tab-separated files from the header line", () => {
		expect(detectDelimiter("班級代碼\t座號\t姓名\r\nA,B\tC")).toBe("\t");
		expect(detectDelimiter('班級代碼,座號,"a\tb"\n')).toBe(",");
		expect(fields("a\tb,c\td\r\n1\t2")).toEqual([
			{ line: 1, fields: ["a", "b,c", "d"] },
			{ line: 2, fields: ["1", "2"] },
		]);
	});
});

describe("decodeCsvBytes", () => {
	const utf8 = (text: string) => new TextEncoder().encode(text);
	const utf16 = (text: string, bigEndian: boolean) => {
		const out = new Uint8Array(2 + text.length * 2);
		out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
		for (let i = 0; i < text.length; i++) {
			const code = text.charCodeAt(i);
			out[2 + i * 2] = bigEndian ? code >> 8 : code & 0xff;
			out[3 + i * 2] = bigEndian ? code & 0xff : code >> 8;
		}
		return out;
	};
	// 王 = A4FD, 小 = A470, 明 = A9FA in Big5.
	const big5 = new Uint8Array([0x41, 0x2c, 0xa4, 0xfd, 0xa4, 0x70, 0xa9, 0xfa, 0x0d, 0x0a]);

	it("reads UTF-8 with and without a BOM, never keeping the BOM", () => {
		expect(decodeCsvBytes(utf8("\uFEFF王小明,1"))).toEqual({
			ok: true,
			value: { text: "王小明,1", encoding: "utf-8" },
		});
		expect(decodeCsvBytes(utf8("王小明,1"))).toEqual({
			ok: true,
			value: { text: "王小明,1", encoding: "utf-8" },
		});
	});

	it("reads UTF-16 LE and BE with their BOM", () => {
		expect(decodeCsvBytes(utf16("姓名\t王", false))).toEqual({
			ok: true,
			value: { text: "姓名\t王", encoding: "utf-16le" },
		});
		expect(decodeCsvBytes(utf16("姓名\t王", true))).toEqual({
			ok: true,
			value: { text: "姓名\t王", encoding: "utf-16be" },
		});
	});

	it("recognizes Big5 bytes", () => {
		expect(looksLikeBig5(big5)).toBe(true);
		expect(looksLikeBig5(utf8("abc"))).toBe(false);
		expect(looksLikeBig5(new Uint8Array([0x41, 0xa4]))).toBe(false);
	});

	it("decodes Big5 when the runtime can, and otherwise refuses it with how to save as CSV UTF-8", () => {
		const refused = decodeCsvBytes(big5, false);
		expect(refused.ok).toBe(false);
		if (!refused.ok) {
			expect(refused.message).toContain("Big5");
			expect(refused.message).toContain("CSV UTF-8（逗號分隔）");
		}
		const decoded = decodeCsvBytes(big5, true);
		if (supportsBig5())
			expect(decoded).toEqual({ ok: true, value: { text: "A,王小明\r\n", encoding: "big5" } });
		else expect(decoded.ok).toBe(false);
	});

	it("refuses bytes that are neither UTF-8 nor Big5", () => {
		const result = decodeCsvBytes(new Uint8Array([0x41, 0xff, 0x20, 0x80]));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toContain("無法辨識檔案的文字編碼");
	});

	it("runs where workerd decodes Big5 (so Excel's default zh-TW CSV is read as it is)", () => {
		expect(supportsBig5()).toBe(true);
	});
});
