import { describe, expect, it } from "vitest";
import { formatRocDate, formatRocDateLong, parseDateInput, parseRocDate } from "../../src/domain/roc-date";

describe("formatRocDate", () => {
	it("shows ROC year with zero-padded month and day", () => {
		expect(formatRocDate("2026-12-03")).toBe("115/12/03");
		expect(formatRocDate("1990-05-25")).toBe("79/05/25");
		expect(formatRocDateLong("2026-01-05")).toBe("民國115年1月5日");
	});
});

describe("parseRocDate", () => {
	it.each([
		["79/05/25", "1990-05-25"],
		["115/1/5", "2026-01-05"],
		["115/01/05", "2026-01-05"],
		["115.1.5", "2026-01-05"],
		["115-01-05", "2026-01-05"],
		["民國115年1月5日", "2026-01-05"],
		["115年1月5日", "2026-01-05"],
		["１１５／０１／０５", "2026-01-05"],
		[" 113/02/29 ", "2024-02-29"],
	])("%s → %s", (input, expected) => {
		expect(parseRocDate(input)).toEqual({ ok: true, value: expected });
	});

	it.each(["114/02/29", "115/02/30", "115/13/01", "115/00/10", "115/04/31", "0/01/01"])(
		"refuses the day that does not exist: %s (never rolled over)",
		(input) => {
			const result = parseRocDate(input);
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.code).toBe("DATE_INVALID");
				expect(result.message).toMatch(/沒有這一天/);
			}
		},
	);

	it.each(["", "abc", "115/1", "1150105", "2026-01-05", "民國115年1月"])("refuses malformed %j", (input) => {
		const result = parseRocDate(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.code).toBe("DATE_FORMAT");
	});
});

describe("parseDateInput (西元 or 民國)", () => {
	it("reads four-digit years as Western and shorter ones as ROC", () => {
		expect(parseDateInput("1990-05-25")).toEqual({ ok: true, value: "1990-05-25" });
		expect(parseDateInput("1990/5/25")).toEqual({ ok: true, value: "1990-05-25" });
		expect(parseDateInput("79/05/25")).toEqual({ ok: true, value: "1990-05-25" });
		expect(parseDateInput("民國79年5月25日")).toEqual({ ok: true, value: "1990-05-25" });
	});
	it("is strict for Western dates too", () => {
		expect(parseDateInput("2026-02-30").ok).toBe(false);
		expect(parseDateInput("2025/02/29").ok).toBe(false);
	});
});
