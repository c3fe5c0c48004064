// Attendance vocabulary shared by the timetable, the live counter, the dashboards and exports.

export const ATTENDANCE_STATUSES = [
	"present",
	"late",
	"early_leave",
	"late_and_early_leave",
	"no_check_in",
	"no_check_out",
	"leave",
	"absent",
	"pending",
] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** "pending" means the session has not ended yet and nothing final can be said. */
export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = {
	present: "出席",
	late: "遲到",
	early_leave: "早退",
	late_and_early_leave: "遲到早退",
	no_check_in: "未簽到",
	no_check_out: "未簽退",
	leave: "請假",
	absent: "曠課",
	pending: "尚未結束",
};

export const PUNCH_ACTIONS = ["check_in", "check_out"] as const;
export type PunchAction = (typeof PUNCH_ACTIONS)[number];

export const PUNCH_METHODS = ["session_qr", "personal_qr", "short_code", "manual"] as const;
export type PunchMethod = (typeof PUNCH_METHODS)[number];
