// The session's rotating QR token (簽到/簽退 mode 1): names the session and a time window, signed
// with QR_SIGNING_KEY. The window is a pure function of server time, so every display shows the
// same code at the same moment; the current and the previous window are accepted, a future one not.
import { hmac, sameText, shortMac } from "./hmac";

/** Default rotation: a new code every 15 seconds (a plan setting). */
export const DEFAULT_ROTATION_SECONDS = 15;
/** Truncated HMAC-SHA256: 80 bits keeps the QR small and is far beyond guessing within 30 s. */
const MAC_BYTES = 10;
const PREFIX = "q1";

export type QrWindow = { index: number; startsAt: number; endsAt: number };

/** The window `now` falls in, for a rotation of `seconds`. */
export function qrWindow(now: number, seconds = DEFAULT_ROTATION_SECONDS): QrWindow {
	const length = seconds * 1000;
	const index = Math.floor(now / length);
	return { index, startsAt: index * length, endsAt: (index + 1) * length };
}

const macOf = (key: string, sessionId: number, index: number, seconds: number) =>
	shortMac(key, `${PREFIX}|${sessionId}|${index}|${seconds}`, MAC_BYTES);

/** The token of a session for the window `now` is in: `q1.<session>.<window>.<seconds>.<mac>`. */
export async function mintSessionQrToken(
	key: string,
	sessionId: number,
	now: number,
	seconds = DEFAULT_ROTATION_SECONDS,
): Promise<{ token: string; window: QrWindow }> {
	const window = qrWindow(now, seconds);
	const mac = await macOf(key, sessionId, window.index, seconds);
	return {
		token: `${PREFIX}.${sessionId.toString(36)}.${window.index.toString(36)}.${seconds}.${mac}`,
		window,
	};
}

export type QrTokenCheck =
	| { ok: true; sessionId: number; window: QrWindow }
	| { ok: false; reason: "malformed" | "forged" | "expired" | "future" };

/** Verifies a scanned token against server time: the current or the previous window only. */
export async function verifySessionQrToken(key: string, token: string, now: number): Promise<QrTokenCheck> {
	const parts = /^q1\.([0-9a-z]{1,12})\.([0-9a-z]{1,12})\.([0-9]{1,4})\.([A-Za-z0-9_-]{14})$/.exec(
		token.trim(),
	);
	if (!parts) return { ok: false, reason: "malformed" };
	const sessionId = Number.parseInt(parts[1] as string, 36);
	const index = Number.parseInt(parts[2] as string, 36);
	const seconds = Number(parts[3]);
	if (!Number.isSafeInteger(sessionId) || !Number.isSafeInteger(index) || seconds < 5 || seconds > 600)
		return { ok: false, reason: "malformed" };
	if (!sameText(await macOf(key, sessionId, index, seconds), parts[4] as string))
		return { ok: false, reason: "forged" };
	const current = qrWindow(now, seconds).index;
	if (index > current) return { ok: false, reason: "future" };
	if (index < current - 1) return { ok: false, reason: "expired" };
	const length = seconds * 1000;
	return { ok: true, sessionId, window: { index, startsAt: index * length, endsAt: (index + 1) * length } };
}

/**
 * The 6-digit code shown under the QR for typing in when a camera fails. It names no session: the
 * server tries the trainee's own sessions of the day, so it only needs to be unguessable for 30 s.
 */
export async function sessionShortCode(
	key: string,
	sessionId: number,
	now: number,
	seconds = DEFAULT_ROTATION_SECONDS,
): Promise<string> {
	return shortCodeFor(key, sessionId, qrWindow(now, seconds).index, seconds);
}

async function shortCodeFor(key: string, sessionId: number, index: number, seconds: number): Promise<string> {
	const bytes = await hmac(key, `code|${sessionId}|${index}|${seconds}`);
	const value = new DataView(bytes.buffer).getUint32(0) % 1_000_000;
	return value.toString().padStart(6, "0");
}

/** Whether a typed code is this session's code of the current or the previous window. */
export async function matchesShortCode(
	key: string,
	sessionId: number,
	code: string,
	now: number,
	seconds = DEFAULT_ROTATION_SECONDS,
): Promise<boolean> {
	const typed = code.replace(/\s/g, "");
	if (!/^\d{6}$/.test(typed)) return false;
	const current = qrWindow(now, seconds).index;
	const [a, b] = await Promise.all([
		shortCodeFor(key, sessionId, current, seconds),
		shortCodeFor(key, sessionId, current - 1, seconds),
	]);
	return sameText(a, typed) || sameText(b, typed);
}
