// Pure rules of the 簽到/簽退 pages (no DOM): what a scanned text means, countdowns on the server's
// clock, ignoring a QR the camera keeps seeing, reconnect backoff, and the result's wording.
import { clock } from "./format";

export type PunchAction = "check_in" | "check_out";
export const ACTION_LABEL: Record<PunchAction, string> = { check_in: "簽到", check_out: "簽退" };

export type PunchResult = {
	action: PunchAction;
	at: number;
	timing: "on_time" | "late" | "early";
	timingLabel: string;
	repeated: boolean;
	name: string;
	/** The session it was recorded for: a trainee may have two open at once. */
	subject: string;
};

/**
 * The token in a scanned text: the `t` parameter of a session QR's URL (…/liff/trainee/scan?t=…), or
 * the text itself when it is a bare token (a personal QR). Null for anything else.
 */
export function tokenFromScan(text: string | null | undefined): string | null {
	const value = (text ?? "").trim();
	if (!value) return null;
	if (/^https?:\/\//i.test(value)) {
		try {
			return new URL(value).searchParams.get("t")?.trim() || null;
		} catch {
			return null;
		}
	}
	return /^[A-Za-z0-9._~-]{1,200}$/.test(value) ? value : null;
}

/** A 6-digit short code as typed (spaces and dashes allowed), or null. */
export function shortCodeOf(text: string): string | null {
	const digits = text.replace(/[\s-]/g, "");
	return /^\d{6}$/.test(digits) ? digits : null;
}

/** How far the server's clock is ahead of this device's, from a response's serverNow. */
export const clockOffset = (serverNow: number, receivedAt: number) => serverNow - receivedAt;

/** Whole seconds left until a server instant, never negative. */
export function secondsLeft(endsAt: number, offset: number, deviceNow: number): number {
	return Math.max(0, Math.ceil((endsAt - (deviceNow + offset)) / 1000));
}

/** Milliseconds (device time) to wait before renewing something that ends at a server instant. */
export function renewDelay(endsAt: number, offset: number, deviceNow: number, leadMs: number): number {
	return Math.max(0, endsAt - leadMs - (deviceNow + offset));
}

/** Reconnect delay after the n-th failed attempt (0-based): 1 s, 2 s, 4 s … at most 30 s. */
export const backoffMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));

/** True when the same text was already seen within the window (the camera sees a QR many times). */
export function recentFilter(windowMs: number): (text: string, now: number) => boolean {
	const seen = new Map<string, number>();
	return (text, now) => {
		for (const [key, at] of seen) if (now - at >= windowMs) seen.delete(key);
		if (seen.has(text)) return true;
		seen.set(text, now);
		return false;
	};
}

/** 「簽到成功 09:02（準時）・工業安全衛生」, or 「已簽到過（09:01，遲到）…」 when the first check-in stands. */
export function resultText(result: PunchResult): string {
	if (result.repeated)
		return `已${ACTION_LABEL[result.action]}過（${clock(result.at)}，${result.timingLabel}）・${result.subject}`;
	return `${ACTION_LABEL[result.action]}成功 ${clock(result.at)}（${result.timingLabel}）・${result.subject}`;
}

/** What the staff scanner shows: 「王小明 簽到 09:02」, or 「王小明 已簽到過（09:01）」. */
export function scannerText(result: PunchResult): string {
	if (result.repeated) return `${result.name} 已${ACTION_LABEL[result.action]}過（${clock(result.at)}）`;
	return `${result.name} ${ACTION_LABEL[result.action]} ${clock(result.at)}`;
}

/** The short code as shown under the QR: 123 456. */
export const spacedCode = (code: string) => code.replace(/^(\d{3})(\d{3})$/, "$1 $2");
