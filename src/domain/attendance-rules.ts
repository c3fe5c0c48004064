// Derived attendance status of one person in one session. The timetable, the live counter, the
// dashboards and exports all read this one rule.

import type { AttendanceStatus } from "./attendance-status";
import type { LeaveKind } from "./leave-types";

const MINUTE_MS = 60_000;

export type AttendanceInput = {
	session: { startsAt: number; endsAt: number };
	plan: { lateGraceMinutes: number; earlyLeaveGraceMinutes: number; checkOutClosesMinutes: number };
	checkInAt: number | null;
	checkOutAt: number | null;
	/** The approved leave covering this session, if any. */
	leave: { kind: LeaveKind } | null;
	now: number;
};

/**
 * - Approved absence leave → 請假, whatever was punched.
 * - 遲到 when the check-in is later than start + grace; 早退 when the check-out is earlier than
 *   end − grace (both exactly at the limit are on time).
 * - Until check-out closes (end + checkOutClosesMinutes) the status is provisional: 尚未結束 without
 *   a check-in, otherwise what the check-in says so far.
 * - After that: no punch at all → 曠課; one punch missing → 未簽到 / 未簽退.
 * - Approved 遲到 leave excuses lateness; approved 未打卡 leave excuses a missing punch.
 */
export function deriveAttendanceStatus(input: AttendanceInput): AttendanceStatus {
	const { session, plan, checkInAt, checkOutAt, leave, now } = input;
	if (leave?.kind === "absence") return "leave";

	const late =
		checkInAt !== null &&
		checkInAt > session.startsAt + plan.lateGraceMinutes * MINUTE_MS &&
		leave?.kind !== "late";
	const early = checkOutAt !== null && checkOutAt < session.endsAt - plan.earlyLeaveGraceMinutes * MINUTE_MS;
	const final = now >= session.endsAt + plan.checkOutClosesMinutes * MINUTE_MS;
	const punchExcused = leave?.kind === "missed_punch";

	if (checkInAt === null && checkOutAt === null) {
		if (!final) return "pending";
		return punchExcused ? "present" : "absent";
	}
	if (checkOutAt === null) {
		if (final && !punchExcused) return "no_check_out";
		return late ? "late" : "present";
	}
	if (checkInAt === null && !punchExcused) return "no_check_in";
	if (late && early) return "late_and_early_leave";
	if (late) return "late";
	if (early) return "early_leave";
	return "present";
}
