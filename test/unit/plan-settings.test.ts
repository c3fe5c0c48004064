// The warning ratio as people see it (a percentage with one decimal) and as the plan stores it.
import { describe, expect, it } from "vitest";
import { percentToRatio, ratioToPercent, settingUnit } from "../../src/domain/plan-settings";

describe("the leave-hours warning as a percentage", () => {
	it("shows stored ratios without floating-point noise", () => {
		expect(ratioToPercent(0.1)).toBe(10);
		expect(ratioToPercent(0.07)).toBe(7);
		expect(ratioToPercent(0.125)).toBe(12.5);
		expect(ratioToPercent(1)).toBe(100);
	});

	it("gives back every percentage the form accepts (0.1 to 100 by 0.1) after storing it", () => {
		for (let tenths = 1; tenths <= 1000; tenths++) {
			const percent = tenths / 10;
			const ratio = percentToRatio(percent);
			expect(ratio).toBeGreaterThan(0);
			expect(ratio).toBeLessThanOrEqual(1);
			expect(ratioToPercent(ratio)).toBe(percent);
		}
	});
});

it("names each setting's unit by its column", () => {
	expect(settingUnit("lateGraceMinutes")).toBe("分鐘");
	expect(settingUnit("qrRotationSeconds")).toBe("秒");
	expect(settingUnit("cancelWindowDays")).toBe("天");
});
