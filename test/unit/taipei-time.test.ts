import { describe, expect, it } from "vitest";
import {
	addDays,
	daysBetween,
	endOfTaipeiDay,
	isIsoDate,
	taipeiDate,
	taipeiInstant,
	taipeiTime,
	taipeiWeekday,
	weekdayLabel,
	weekdayOf,
} from "../../src/domain/taipei-time";

const utc = (iso: string) => Date.parse(iso);

describe("taipeiDate", () => {
	it("is the next calendar day for 16:00–23:59 UTC (00:00–07:59 Taipei)", () => {
		expect(taipeiDate(utc("2026-12-02T16:00:00Z"))).toBe("2026-12-03");
		expect(taipeiDate(utc("2026-12-02T23:59:59Z"))).toBe("2026-12-03");
	});
	it("is the previous UTC day's Taipei date one millisecond before Taipei midnight", () => {
		expect(taipeiDate(utc("2026-12-02T15:59:59.999Z"))).toBe("2026-12-02");
	});
	it("crosses month and year ends in Taipei before UTC does", () => {
		expect(taipeiDate(utc("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
		expect(taipeiDate(utc("2028-02-28T17:00:00Z"))).toBe("2028-02-29");
	});
});

describe("taipeiInstant", () => {
	it("maps 00:00–08:00 Taipei to the previous UTC day", () => {
		expect(taipeiInstant("2026-12-03", "00:00")).toBe(utc("2026-12-02T16:00:00Z"));
		expect(taipeiInstant("2026-12-03", "07:59:59")).toBe(utc("2026-12-02T23:59:59Z"));
		expect(taipeiInstant("2026-12-03", "08:00")).toBe(utc("2026-12-03T00:00:00Z"));
	});
	it("round-trips with taipeiDate and taipeiTime", () => {
		const at = taipeiInstant("2027-01-01", "03:15");
		expect(taipeiDate(at)).toBe("2027-01-01");
		expect(taipeiTime(at)).toBe("03:15");
	});
	it("refuses dates that do not exist and times out of range", () => {
		expect(() => taipeiInstant("2026-02-29")).toThrow(RangeError);
		expect(() => taipeiInstant("2026-12-03", "24:00")).toThrow(RangeError);
		expect(() => taipeiInstant("2026-12-03", "9:00")).toThrow(RangeError);
	});
});

describe("day arithmetic", () => {
	it("endOfTaipeiDay is the next Taipei midnight, i.e. 16:00 UTC of the same date", () => {
		expect(endOfTaipeiDay("2026-12-10")).toBe(utc("2026-12-10T16:00:00Z"));
	});
	it("adds days across months and leap days", () => {
		expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
		expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
		expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
		expect(daysBetween("2026-12-03", "2026-12-10")).toBe(7);
		expect(daysBetween("2026-12-10", "2026-12-03")).toBe(-7);
	});
	it("validates ISO dates strictly", () => {
		expect(isIsoDate("2026-02-28")).toBe(true);
		expect(isIsoDate("2026-02-30")).toBe(false);
		expect(isIsoDate("2026-2-3")).toBe(false);
		expect(isIsoDate("2026-13-01")).toBe(false);
	});
});

describe("weekday", () => {
	it("of a date and of an instant in the 00:00–08:00 Taipei hours", () => {
		expect(weekdayOf("2026-12-03")).toBe(4);
		expect(weekdayLabel("2026-12-06")).toBe("週日");
		// 2026-12-06T20:00Z is Monday 04:00 in Taipei while still Sunday in UTC.
		expect(taipeiWeekday(utc("2026-12-06T20:00:00Z"))).toBe(1);
		expect(new Date(utc("2026-12-06T20:00:00Z")).getUTCDay()).toBe(0);
	});
});
