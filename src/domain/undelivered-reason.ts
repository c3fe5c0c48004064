// Why a LINE notice was not delivered, in words a clerk can act on (今日's undelivered list).

/** The outbox's error for a push not attempted because the user blocked the official account. */
export const USER_BLOCKED_ERROR = "USER_BLOCKED: the user blocked the official account";

export type UndeliveredReason = "blocked" | "refused" | "gave_up";

export const UNDELIVERED_REASON_LABELS: Record<UndeliveredReason, string> = {
	blocked: "學員已封鎖官方帳號",
	refused: "LINE 拒收此通知",
	gave_up: "多次重試仍無法送達",
};

/**
 * "failed" is a give-up without retrying (the user blocked us, or LINE refused the message);
 * "dead" is a give-up after the maximum tries.
 */
export function undeliveredReason(status: "failed" | "dead", lastError: string | null): UndeliveredReason {
	if (status === "dead") return "gave_up";
	return lastError?.startsWith("USER_BLOCKED") ? "blocked" : "refused";
}
