import { describe, expect, it } from "vitest";
import { leaveWarning } from "../../src/domain/leave-hours";

describe("leaveWarning", () => {
	it.each([
		[7.9, "ok"],
		[8, "near"],
		[9.9, "near"],
		[10, "over"],
		[12, "over"],
	])("at %s of 10 hours is %s", (hours, level) => {
		expect(leaveWarning(hours, 100, 0.1)).toEqual({ threshold: 10, level });
	});
	it("rounds the threshold to one decimal", () => {
		expect(leaveWarning(0, 333, 0.1).threshold).toBe(33.3);
	});
});
