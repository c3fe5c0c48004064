// Leave request life cycle: pending → approved | rejected | cancelled | expired; approved → revoked.

export const LEAVE_STATUSES = ["pending", "approved", "rejected", "cancelled", "revoked", "expired"] as const;
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];

/** Labels trainees see (the manual's 審核結果). "cancelled" is the trainee's own 銷假. */
export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
	pending: "待審核",
	approved: "已通過",
	rejected: "已拒絕",
	cancelled: "已銷假",
	revoked: "已撤銷",
	expired: "已逾期",
};

/** Pending and approved requests hold their sessions: no second request may cover them. */
export const ACTIVE_LEAVE_STATUSES: readonly LeaveStatus[] = ["pending", "approved"];

const TRANSITIONS: Record<LeaveStatus, readonly LeaveStatus[]> = {
	pending: ["approved", "rejected", "cancelled", "expired"],
	approved: ["revoked"],
	rejected: [],
	cancelled: [],
	revoked: [],
	expired: [],
};

/** Whether the life cycle allows `from` → `to` at all (time windows are checked by the leave policy). */
export function canTransition(from: LeaveStatus, to: LeaveStatus): boolean {
	return TRANSITIONS[from].includes(to);
}

export function isActiveLeaveStatus(status: LeaveStatus): boolean {
	return ACTIVE_LEAVE_STATUSES.includes(status);
}
