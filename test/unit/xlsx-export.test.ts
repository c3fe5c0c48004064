import { describe, expect, it } from "vitest";
import { toXlsx } from "../../src/services/xlsx-export";
import { readXlsx } from "../integration/xlsx-reader";

describe("toXlsx", () => {
	it("keeps markup, quotes and formula-looking text as text, and numbers as numbers", () => {
		const book = readXlsx(
			toXlsx(
				[
					["姓名", "時數", "備註"],
					['<b>王&"小明"</b>', 3.5, "=1+1"],
					["😀𠀀", null, "-2"],
				],
				"請假",
			),
		);
		expect(book.sheetName).toBe("請假");
		expect(book.rows).toEqual([
			["姓名", "時數", "備註"],
			['<b>王&"小明"</b>', "3.5", "=1+1"],
			["😀𠀀", "", "-2"],
		]);
		expect(book.hasFormula).toBe(false);
	});

	it("drops characters XML cannot hold instead of writing a file Excel must repair", () => {
		const book = readXlsx(toXlsx([["a\u0001b\ud800c"]], "x"));
		expect(book.rows).toEqual([["abc"]]);
	});

	it("names columns past Z as Excel does (AA, AB…)", () => {
		const row = Array.from({ length: 28 }, (_, i) => `c${i}`);
		expect(readXlsx(toXlsx([row], "x")).rows[0]).toEqual(row);
	});
});
