import { describe, expect, it } from "vitest";
import { inMaintenance, maintenanceWindow } from "../../src/domain/maintenance";
import { taipeiInstant } from "../../src/domain/taipei-time";

describe("monthly maintenance window (first Sunday 00:00–06:00 Taipei)", () => {
	it("finds the first Sunday of the month; 00:00 Taipei is 16:00 UTC on Saturday", () => {
		// 2027-01-03 is the first Sunday of January 2027.
		const { start, end } = maintenanceWindow(taipeiInstant("2026-12-20", "12:00"));
		expect(new Date(start).toISOString()).toBe("2027-01-02T16:00:00.000Z");
		expect(new Date(end).toISOString()).toBe("2027-01-02T22:00:00.000Z");
	});
	it("is on from 00:00 to 05:59:59 Taipei and off at 06:00", () => {
		expect(inMaintenance(taipeiInstant("2026-12-06", "00:00"))).toBe(true);
		expect(inMaintenance(taipeiInstant("2026-12-06", "05:59:59"))).toBe(true);
		expect(inMaintenance(taipeiInstant("2026-12-06", "06:00"))).toBe(false);
		expect(inMaintenance(taipeiInstant("2026-12-05", "23:59:59"))).toBe(false);
		expect(inMaintenance(taipeiInstant("2026-12-13", "01:00"))).toBe(false);
	});
});
