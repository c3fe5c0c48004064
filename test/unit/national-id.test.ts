import { describe, expect, it } from "vitest";
import { maskNationalId, nationalIdCheckDigit, parseNationalId } from "../../src/domain/national-id";

describe("parseNationalId", () => {
	it.each([
		["A123456789", "national"],
		["F131104093", "national"],
		["A800000014", "resident_new"],
		["AC01234567", "resident_old"],
	])("accepts %s as %s", (id, kind) => {
		expect(parseNationalId(id)).toEqual({ ok: true, value: { value: id, kind } });
	});

	it("accepts IDs whose check digit is 0", () => {
		expect(parseNationalId("A110000040")).toEqual({
			ok: true,
			value: { value: "A110000040", kind: "national" },
		});
		expect(parseNationalId("B210000070").ok).toBe(true);
	});

	it("normalizes lower case, full-width characters, spaces and hyphens", () => {
		for (const input of [
			"a123456789",
			"Ａ１２３４５６７８９",
			" A123 456 789 ",
			"A123-456-789",
			"ａｃ01234567",
		]) {
			const result = parseNationalId(input);
			expect(result.ok, input).toBe(true);
		}
		expect(parseNationalId("ａｃ01234567")).toEqual({
			ok: true,
			value: { value: "AC01234567", kind: "resident_old" },
		});
	});

	it("refuses a wrong check digit with a zh-TW reason", () => {
		const result = parseNationalId("A123456788");
		expect(result).toMatchObject({ ok: false, code: "NATIONAL_ID_CHECKSUM" });
		if (!result.ok) expect(result.message).toContain("檢查碼");
		expect(parseNationalId("A800000015")).toMatchObject({ ok: false, code: "NATIONAL_ID_CHECKSUM" });
		expect(parseNationalId("AC01234568")).toMatchObject({ ok: false, code: "NATIONAL_ID_CHECKSUM" });
	});

	it.each(["", "A12345678", "A1234567890", "A323456789", "1123456789", "AE01234567", "A12345678X"])(
		"refuses the malformed %j",
		(input) => {
			expect(parseNationalId(input)).toMatchObject({ ok: false, code: "NATIONAL_ID_FORMAT" });
		},
	);
});

describe("nationalIdCheckDigit", () => {
	it("completes IDs, including a check digit of 0", () => {
		expect(nationalIdCheckDigit("A12345678")).toBe(9);
		expect(nationalIdCheckDigit("A11000004")).toBe(0);
		expect(nationalIdCheckDigit("AC0123456")).toBe(7);
		expect(nationalIdCheckDigit("A80000001")).toBe(4);
	});
});

describe("maskNationalId", () => {
	it("keeps the first three and last three characters", () => {
		expect(maskNationalId("A123456789")).toBe("A12****789");
		expect(maskNationalId("ａ１２３４５６７８９")).toBe("A12****789");
	});
});
