// Leave rules (線上請假), pure. Windows are plan settings; dates are Taipei business dates and a
// window "until the Nth day" ends at 23:59:59.999 Taipei of that day (the next day's 00:00 excluded).

import { type AttendanceInput, deriveAttendanceStatus } from "./attendance-rules";
import type { LeaveStatus } from "./leave-status";
import type { LeaveKind } from "./leave-types";
import { addDays, endOfTaipeiDay, taipeiDate } from "./taipei-time";

export type LeavePlan = {
	lateGraceMinutes: number;
	earlyLeaveGraceMinutes: number;
	checkOutClosesMinutes: number;
	cancelWindowDays: number;
	revokeWindowDays: number;
	backdateLimitDays: number;
	reviewWindowDays: number;
	advanceNoticeDays: number;
};

export type LeaveProblemCode =
	| "NO_SESSIONS"
	| "SESSION_NOT_IN_CLASS"
	| "SESSION_CANCELLED"
	| "OUTSIDE_CLASS_PERIOD"
	| "TOO_FAR_BACK"
	| "TYPE_NOT_ENABLED"
	| "ATTENDED_SESSION"
	| "NO_LATE_CHECK_IN"
	| "NO_MISSING_PUNCH"
	| "SESSION_NOT_STARTED";

export type LeaveProblem = { code: LeaveProblemCode; message: string; sessionId?: number };

export type CandidateSession = {
	id: number;
	classId: number;
	date: string;
	startsAt: number;
	endsAt: number;
	cancelled: boolean;
	checkInAt: number | null;
	checkOutAt: number | null;
};

export type LeaveCheckInput = {
	sessions: CandidateSession[];
	klass: { id: number; startDate: string; endDate: string };
	plan: LeavePlan;
	type: { code: string; kind: LeaveKind; planned: boolean; enabled: boolean; name: string };
	now: number;
};

/**
 * Whether a trainee may ask for this leave. Each broken rule is reported with a zh-TW reason:
 * - only sessions of the trainee's own class, not cancelled, within the class period;
 * - back-dated at most plan.backdateLimitDays calendar days (Taipei);
 * - the type must be enabled by the plan;
 * - a full-absence type (病假, 事假, …) is refused for a session the trainee checked in to: they
 *   were there, so 遲到 or 早退 describe it, not an absence;
 * - 遲到 needs a check-in later than start + grace; 未打卡 needs a session that has started and lacks
 *   a check-in or a check-out. Both describe something that happened, so never a future session.
 * Overlap with another pending or approved request is enforced by the database (unique index).
 */
export function leaveProblems(input: LeaveCheckInput): LeaveProblem[] {
	const { sessions, klass, plan, type, now } = input;
	const problems: LeaveProblem[] = [];
	if (sessions.length === 0) return [{ code: "NO_SESSIONS", message: "請至少勾選一堂課程" }];
	if (!type.enabled)
		problems.push({ code: "TYPE_NOT_ENABLED", message: `這個計畫不提供「${type.name}」，請選擇其他假別` });
	const earliest = addDays(taipeiDate(now), -plan.backdateLimitDays);
	for (const s of sessions) {
		const at = { sessionId: s.id };
		if (s.classId !== klass.id) {
			problems.push({ ...at, code: "SESSION_NOT_IN_CLASS", message: "只能為自己班級的課程請假" });
			continue;
		}
		if (s.cancelled)
			problems.push({ ...at, code: "SESSION_CANCELLED", message: `${s.date} 的課程已停課，不需請假` });
		if (s.date < klass.startDate || s.date > klass.endDate) {
			problems.push({ ...at, code: "OUTSIDE_CLASS_PERIOD", message: "只能為開訓日到結訓日之間的課程請假" });
		}
		if (s.date < earliest) {
			problems.push({
				...at,
				code: "TOO_FAR_BACK",
				message: `${s.date} 已超過可補請假的期限（${plan.backdateLimitDays} 天內），請聯繫訓練單位`,
			});
		}
		if (type.kind === "absence" && s.checkInAt !== null) {
			problems.push({
				...at,
				code: "ATTENDED_SESSION",
				message: `${s.date} 這堂課您有簽到，不能請「${type.name}」；遲到或早退請選「遲到」或洽訓練單位`,
			});
		}
		if (type.kind !== "absence" && s.startsAt > now) {
			problems.push({ ...at, code: "SESSION_NOT_STARTED", message: `「${type.name}」只能用在已開始的課程` });
			continue;
		}
		if (type.kind === "late") {
			const late = s.checkInAt !== null && s.checkInAt > s.startsAt + plan.lateGraceMinutes * 60_000;
			if (!late)
				problems.push({
					...at,
					code: "NO_LATE_CHECK_IN",
					message: `${s.date} 這堂課沒有遲到的簽到紀錄，不需請「遲到」`,
				});
		}
		if (type.kind === "missed_punch" && s.checkInAt !== null && s.checkOutAt !== null) {
			problems.push({
				...at,
				code: "NO_MISSING_PUNCH",
				message: `${s.date} 這堂課簽到、簽退都有紀錄，不需請「未打卡」`,
			});
		}
	}
	return problems;
}

/** Planned types should be asked for plan.advanceNoticeDays ahead: a suggestion, never a refusal. */
export function advanceNoticeSuggestion(
	firstDate: string,
	type: { planned: boolean; name: string },
	plan: LeavePlan,
	now: number,
): string | null {
	if (!type.planned) return null;
	const suggestedBy = addDays(taipeiDate(now), plan.advanceNoticeDays);
	return firstDate < suggestedBy
		? `「${type.name}」建議至少提前 ${plan.advanceNoticeDays} 天申請，以利訓練單位審核。`
		: null;
}

/**
 * 銷假: the trainee may withdraw while the request is pending, until 23:59:59 Taipei of the
 * cancelWindowDays-th day after its last leave date, and never after the class end date.
 * Returns the exclusive deadline instant.
 */
export function withdrawDeadline(
	lastDate: string,
	classEndDate: string,
	plan: Pick<LeavePlan, "cancelWindowDays">,
): number {
	return Math.min(endOfTaipeiDay(addDays(lastDate, plan.cancelWindowDays)), endOfTaipeiDay(classEndDate));
}

export type WithdrawCheck =
	| { ok: true }
	| { ok: false; code: "LEAVE_NOT_PENDING" | "WITHDRAW_WINDOW_PASSED"; message: string };

/**
 * Why a request that is no longer pending cannot be changed by the trainee, by what became of it.
 * revokeWindowDays is the plan's (the manual's 14 days unless 設定 changed it).
 */
export function notPendingMessage(
	status: LeaveStatus,
	doing: "撤銷" | "補附檔案",
	revokeWindowDays = 14,
): string {
	switch (status) {
		case "cancelled":
			return "這張假單已經撤銷了。";
		case "expired":
			return `這張假單已逾期未審核，不能再${doing}；如仍需請假請重新申請。`;
		case "approved":
			return doing === "撤銷"
				? `假單已審核通過，不能再撤銷；若需撤銷，請在請假 ${revokeWindowDays} 天內聯繫訓練單位。`
				: `假單已審核通過，不能再${doing}；如需補件請聯繫訓練單位。`;
		default:
			return `假單已審核完成，不能再${doing}。`;
	}
}

export function canWithdraw(
	request: { status: LeaveStatus; lastDate: string },
	classEndDate: string,
	plan: Pick<LeavePlan, "cancelWindowDays" | "revokeWindowDays">,
	now: number,
): WithdrawCheck {
	if (request.status !== "pending")
		return {
			ok: false,
			code: "LEAVE_NOT_PENDING",
			message: notPendingMessage(request.status, "撤銷", plan.revokeWindowDays),
		};
	if (now >= withdrawDeadline(request.lastDate, classEndDate, plan)) {
		return {
			ok: false,
			code: "WITHDRAW_WINDOW_PASSED",
			message: `已超過可自行銷假的期限（請假 ${plan.cancelWindowDays} 天後或結訓後），請聯繫訓練單位。`,
		};
	}
	return { ok: true };
}

/** Units may revoke an approved request until 23:59:59 Taipei of the revokeWindowDays-th day after its last date. */
export function revokeDeadline(lastDate: string, plan: Pick<LeavePlan, "revokeWindowDays">): number {
	return endOfTaipeiDay(addDays(lastDate, plan.revokeWindowDays));
}

/** Pending requests not reviewed by the end of the reviewWindowDays-th day after their last date expire. */
export function expiresAt(lastDate: string, plan: Pick<LeavePlan, "reviewWindowDays">): number {
	return endOfTaipeiDay(addDays(lastDate, plan.reviewWindowDays));
}

/** A session's status for the trainee's timetable, with leave taken into account. */
export function sessionStatusWithLeave(
	input: Omit<AttendanceInput, "leave">,
	leave: { kind: LeaveKind; status: LeaveStatus } | null,
) {
	const approved = leave?.status === "approved" ? { kind: leave.kind } : null;
	return deriveAttendanceStatus({ ...input, leave: approved });
}
