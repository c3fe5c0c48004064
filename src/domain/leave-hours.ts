// The plan's leave-hour warning: trainees and units are warned as leave nears a share of the hours.

export type LeaveWarningLevel = "ok" | "near" | "over";
export type LeaveWarning = { threshold: number; level: LeaveWarningLevel };

export const LEAVE_WARNING_LABELS: Record<LeaveWarningLevel, string> = {
	ok: "",
	near: "接近上限",
	over: "超過上限",
};

/** Warned from this share of the threshold on ("near"), and at or past it ("over"). */
export const NEAR_SHARE = 0.8;

/** The threshold in hours (one decimal) and where `leaveHours` stands against it. */
export function leaveWarning(leaveHours: number, totalHours: number, warningRatio: number): LeaveWarning {
	const threshold = Math.round(totalHours * warningRatio * 10) / 10;
	const level = leaveHours >= threshold ? "over" : leaveHours >= threshold * NEAR_SHARE ? "near" : "ok";
	return { threshold, level };
}
