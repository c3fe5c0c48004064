import { describe, expect, it } from "vitest";
import { maskEmail, normalizeEmail } from "../../src/domain/email";
import { maskPersonName, normalizePersonName } from "../../src/domain/person-name";
import { formatTaiwanMobile, maskTaiwanMobile, normalizeTaiwanMobile } from "../../src/domain/phone";

describe("normalizeTaiwanMobile", () => {
	it.each([
		"0912-345-678",
		"0912 345 678",
		"0912345678",
		"+886912345678",
		"+8860912345678",
		"886912345678",
		"０９１２３４５６７８",
		"(0912)345-678",
		"+886 912 345 678",
	])("%s → +886912345678", (input) => {
		expect(normalizeTaiwanMobile(input)).toEqual({ ok: true, value: "+886912345678" });
	});

	it.each(["02-2345-6789", "0223456789", "+886223456789", "07-345-6789"])(
		"refuses the landline %s with a hint",
		(input) => {
			const result = normalizeTaiwanMobile(input);
			expect(result).toMatchObject({ ok: false, code: "PHONE_NOT_MOBILE" });
			if (!result.ok) expect(result.message).toContain("09 開頭");
		},
	);

	it.each(["0912-345-67", "091234567890", "12345", "", "0912abc678", "+1 415 555 0100"])(
		"refuses %j",
		(input) => {
			const result = normalizeTaiwanMobile(input);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.message).toMatch(/手機號碼/);
		},
	);

	it("formats and masks for display", () => {
		expect(formatTaiwanMobile("+886912345678")).toBe("0912-345-678");
		expect(maskTaiwanMobile("+886912345678")).toBe("09xx-xxx-678");
	});
});

describe("normalizeEmail", () => {
	it("trims, lower-cases and converts full-width characters", () => {
		expect(normalizeEmail("  Alice@Example.COM ")).toEqual({ ok: true, value: "alice@example.com" });
		expect(normalizeEmail("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")).toEqual({
			ok: true,
			value: "alice@example.com",
		});
	});
	it.each(["", "alice", "alice@", "@example.com", "alice@example", "a b@example.com", "a@b@example.com"])(
		"refuses %j",
		(input) => {
			expect(normalizeEmail(input)).toMatchObject({ ok: false, code: "EMAIL_FORMAT" });
		},
	);
	it("masks all but the first character of the mailbox", () => {
		expect(maskEmail("alice@example.com")).toBe("a***@example.com");
	});
});

describe("normalizePersonName", () => {
	it("trims and collapses white space, including the ideographic space", () => {
		expect(normalizePersonName("　王　　小明 ")).toEqual({ ok: true, value: "王 小明" });
		expect(normalizePersonName("Mary\t Ann\u3000Lee")).toEqual({ ok: true, value: "Mary Ann Lee" });
	});
	it("never NFKC-normalizes: compatibility ideographs, full-width Latin and rare CJK stay as written", () => {
		for (const name of ["林\uF9F4明", "ＡＢＣ", "𠀋𡈽", "陳㐂"]) {
			expect(normalizePersonName(name)).toEqual({ ok: true, value: name });
		}
	});
	it("refuses empty and overlong names", () => {
		expect(normalizePersonName("   ")).toMatchObject({ ok: false, code: "NAME_REQUIRED" });
		expect(normalizePersonName("王".repeat(51))).toMatchObject({ ok: false, code: "NAME_TOO_LONG" });
		expect(normalizePersonName("𠀋".repeat(50)).ok).toBe(true);
	});
	it("refuses control characters and the replacement character of bytes that were not UTF-8", () => {
		expect(normalizePersonName("王\u0007明")).toMatchObject({ ok: false, code: "NAME_INVALID" });
		expect(normalizePersonName("王\ufffd明")).toMatchObject({ ok: false, code: "NAME_INVALID" });
		// A right-to-left override would make "‮明小王" display as another name.
		expect(normalizePersonName("\u202e明小王")).toMatchObject({ ok: false, code: "NAME_INVALID" });
	});
	it("masks names for shared screens", () => {
		expect(maskPersonName("王小明")).toBe("王○明");
		expect(maskPersonName("王明")).toBe("王○");
		expect(maskPersonName("歐陽小明")).toBe("歐○○明");
		expect(maskPersonName("𠀋小𡈽")).toBe("𠀋○𡈽");
	});
});
