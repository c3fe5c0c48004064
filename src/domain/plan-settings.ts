// A plan's settings (設定 → 計畫) as the agency edits them: which columns, their bounds, and the
// warning ratio shown to people as a percentage. Pure; the form, the page and the service share it.

/** The integer settings, in the order the form shows them, with the bounds the form accepts. */
export const PLAN_NUMBER_SETTINGS = {
	lateGraceMinutes: { min: 0, max: 60 },
	earlyLeaveGraceMinutes: { min: 0, max: 60 },
	checkInOpensMinutes: { min: 0, max: 180 },
	checkOutClosesMinutes: { min: 0, max: 240 },
	// The schema's CHECK: 5–300 seconds.
	qrRotationSeconds: { min: 5, max: 300 },
	cancelWindowDays: { min: 0, max: 60 },
	revokeWindowDays: { min: 0, max: 90 },
	backdateLimitDays: { min: 0, max: 60 },
	reviewWindowDays: { min: 0, max: 90 },
	advanceNoticeDays: { min: 0, max: 30 },
} as const;

export type PlanNumberSetting = keyof typeof PLAN_NUMBER_SETTINGS;

/** The unit a setting is counted in, by its name. */
export const settingUnit = (key: PlanNumberSetting) =>
	key.endsWith("Minutes") ? "分鐘" : key.endsWith("Seconds") ? "秒" : "天";

/** The warning ratio as a percentage: the schema's CHECK is ratio in (0, 1], one decimal is enough. */
export const WARNING_PERCENT = { min: 0.1, max: 100, step: 0.1 } as const;

export type PlanSettings = Record<PlanNumberSetting, number> & { leaveHoursWarningRatio: number };

export const PLAN_SETTING_KEYS = [
	...(Object.keys(PLAN_NUMBER_SETTINGS) as PlanNumberSetting[]),
	"leaveHoursWarningRatio",
] as const;

/** 0.1 → 10, 0.07 → 7 (not 7.000000000000001). */
export const ratioToPercent = (ratio: number) => Math.round(ratio * 1000) / 10;

/** 10 → 0.1; rounded to the one decimal of a percentage the form accepts. */
export const percentToRatio = (percent: number) => Math.round(percent * 10) / 1000;

/** Only the settings' own keys (a plan row also has id, code, name, times). */
export function pickPlanSettings(row: PlanSettings): PlanSettings {
	return Object.fromEntries(PLAN_SETTING_KEYS.map((k) => [k, row[k]])) as PlanSettings;
}
