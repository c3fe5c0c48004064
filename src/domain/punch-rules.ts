// When a punch (簽到/簽退) is taken, and what the person is told. Pure; the SessionRoom applies it.
import type { PunchAction } from "./attendance-status";

const MINUTE_MS = 60_000;

export type PunchWindowPlan = {
	checkInOpensMinutes: number;
	checkOutClosesMinutes: number;
	lateGraceMinutes: number;
	earlyLeaveGraceMinutes: number;
};

export type PunchRefusal =
	| "SESSION_CANCELLED"
	| "CHECK_IN_NOT_OPEN"
	| "CHECK_IN_CLOSED"
	| "CHECK_OUT_NOT_OPEN"
	| "CHECK_OUT_CLOSED"
	| "NOT_IN_CLASS"
	| "CHECK_IN_AFTER_CHECK_OUT"
	| "SHORT_CODE_WRONG"
	| "TOO_MANY_CODE_TRIES"
	| "TOKEN_REUSED"
	| "TOKEN_FORGED"
	| "TOKEN_EXPIRED";

/** What each refusal tells the person, in zh-TW. */
export const PUNCH_REFUSAL_MESSAGES: Record<PunchRefusal, string> = {
	SESSION_CANCELLED: "這堂課已停課，不需簽到退。",
	CHECK_IN_NOT_OPEN: "還沒到簽到時間，請在課程開始前不久再簽到。",
	CHECK_IN_CLOSED: "這堂課已經結束，不能再簽到；如有問題請洽訓練單位。",
	CHECK_OUT_NOT_OPEN: "課程開始後才能簽退。",
	CHECK_OUT_CLOSED: "已超過簽退時間；如有問題請洽訓練單位。",
	NOT_IN_CLASS: "您不在這堂課的名單中，請確認掃描的是自己班級的 QR Code。",
	CHECK_IN_AFTER_CHECK_OUT: "您已經簽退了，不能再簽到；如有問題請洽訓練單位。",
	SHORT_CODE_WRONG: "數字不正確，請輸入螢幕上 QR Code 下方最新的 6 位數字。",
	TOO_MANY_CODE_TRIES: "數字輸入錯誤太多次，請 10 分鐘後再試，或改用掃描 QR Code。",
	TOKEN_REUSED: "這個 QR Code 已使用過，請重新產生。",
	TOKEN_FORGED: "這不是 Training LINE 的簽到 QR Code。",
	TOKEN_EXPIRED: "QR Code 已過期，請掃描畫面上最新的 QR Code（截圖或轉傳的 QR Code 無法使用）。",
};

/**
 * Punch windows, half-open: check-in from `checkInOpensMinutes` before the start until the end;
 * check-out from the start until `checkOutClosesMinutes` after the end. Returns the refusal or null.
 */
export function punchWindowRefusal(
	action: PunchAction,
	session: { startsAt: number; endsAt: number; cancelled: boolean },
	plan: PunchWindowPlan,
	at: number,
): PunchRefusal | null {
	if (session.cancelled) return "SESSION_CANCELLED";
	if (action === "check_in") {
		if (at < session.startsAt - plan.checkInOpensMinutes * MINUTE_MS) return "CHECK_IN_NOT_OPEN";
		if (at >= session.endsAt) return "CHECK_IN_CLOSED";
		return null;
	}
	if (at < session.startsAt) return "CHECK_OUT_NOT_OPEN";
	if (at >= session.endsAt + plan.checkOutClosesMinutes * MINUTE_MS) return "CHECK_OUT_CLOSED";
	return null;
}

export type PunchTiming = "on_time" | "late" | "early";
export const PUNCH_TIMING_LABELS: Record<PunchTiming, string> = {
	on_time: "準時",
	late: "遲到",
	early: "早退",
};

/** Wrong short codes a person may type within SHORT_CODE_WINDOW_MS before typing is paused. */
export const MAX_SHORT_CODE_MISSES = 5;
export const SHORT_CODE_WINDOW_MS = 10 * MINUTE_MS;

/** 準時 / 遲到 (check-in after start + grace) / 早退 (check-out before end − grace). */
export function punchTiming(
	action: PunchAction,
	session: { startsAt: number; endsAt: number },
	plan: PunchWindowPlan,
	at: number,
): PunchTiming {
	if (action === "check_in")
		return at > session.startsAt + plan.lateGraceMinutes * MINUTE_MS ? "late" : "on_time";
	return at < session.endsAt - plan.earlyLeaveGraceMinutes * MINUTE_MS ? "early" : "on_time";
}

/** A name for a public screen: 王小明 → 王○明, 王明 → 王○, longer names keep first and last. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length <= 1) return chars.join("");
	if (chars.length === 2) return `${chars[0]}○`;
	return `${chars[0]}${"○".repeat(chars.length - 2)}${chars.at(-1)}`;
}
