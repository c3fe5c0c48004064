// Short signed tokens besides the rotating session QR: the personal QR (簽到退 mode 2) and scan
// tickets, each with an id (jti) the SessionRoom takes once; and tickets that open a live display.
import type { LineRole } from "../domain/roles";
import { sameText, shortMac } from "./hmac";

/** A personal QR lives at most a minute; the page renews it while open. */
export const PERSONAL_TOKEN_SECONDS = 60;
/** A session QR that was valid when the page got it stays usable this long through sign-in. */
export const SCAN_TICKET_SECONDS = 120;

const ROLE_LETTER: Record<LineRole, string> = { trainee: "t", teacher: "s" };
const LETTER_ROLE: Record<string, LineRole> = { t: "trainee", s: "teacher" };

const jtiOf = () =>
	crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36).padStart(7, "0"), "");

export type PersonalToken = { personId: number; role: LineRole; expiresAt: number; jti: string };

/** `p1.<person>.<t|s>.<expiry>.<jti>.<mac>`, valid for PERSONAL_TOKEN_SECONDS. */
export async function mintPersonalToken(key: string, personId: number, role: LineRole, now: number) {
	const expiresAt = now + PERSONAL_TOKEN_SECONDS * 1000;
	const body = `p1.${personId.toString(36)}.${ROLE_LETTER[role]}.${expiresAt.toString(36)}.${jtiOf()}`;
	return { token: `${body}.${await shortMac(key, body)}`, expiresAt };
}

export type TokenCheck<T> =
	| { ok: true; value: T }
	| { ok: false; reason: "malformed" | "forged" | "expired" };

export async function verifyPersonalToken(
	key: string,
	token: string,
	now: number,
): Promise<TokenCheck<PersonalToken>> {
	const m = /^(p1\.([0-9a-z]{1,12})\.([ts])\.([0-9a-z]{1,12})\.([0-9a-z]{14}))\.([A-Za-z0-9_-]{14})$/.exec(
		token.trim(),
	);
	if (!m) return { ok: false, reason: "malformed" };
	if (!sameText(await shortMac(key, m[1] as string), m[6] as string)) return { ok: false, reason: "forged" };
	const expiresAt = Number.parseInt(m[4] as string, 36);
	if (now >= expiresAt) return { ok: false, reason: "expired" };
	return {
		ok: true,
		value: {
			personId: Number.parseInt(m[2] as string, 36),
			role: LETTER_ROLE[m[3] as string] as LineRole,
			expiresAt,
			jti: m[5] as string,
		},
	};
}

export type ScanTicket = { sessionId: number; expiresAt: number; jti: string };

/** `k1.<session>.<expiry>.<jti>.<mac>`: a session QR seen valid, carried through sign-in. */
export async function mintScanTicket(key: string, sessionId: number, now: number) {
	const expiresAt = now + SCAN_TICKET_SECONDS * 1000;
	const body = `k1.${sessionId.toString(36)}.${expiresAt.toString(36)}.${jtiOf()}`;
	return { ticket: `${body}.${await shortMac(key, body)}`, expiresAt };
}

export async function verifyScanTicket(
	key: string,
	ticket: string,
	now: number,
): Promise<TokenCheck<ScanTicket>> {
	const m = /^(k1\.([0-9a-z]{1,12})\.([0-9a-z]{1,12})\.([0-9a-z]{14}))\.([A-Za-z0-9_-]{14})$/.exec(
		ticket.trim(),
	);
	if (!m) return { ok: false, reason: "malformed" };
	if (!sameText(await shortMac(key, m[1] as string), m[5] as string)) return { ok: false, reason: "forged" };
	const expiresAt = Number.parseInt(m[3] as string, 36);
	if (now >= expiresAt) return { ok: false, reason: "expired" };
	return {
		ok: true,
		value: { sessionId: Number.parseInt(m[2] as string, 36), expiresAt, jti: m[4] as string },
	};
}

/** A display may open its live WebSocket within this time of asking (the URL carries the ticket). */
export const LIVE_TICKET_SECONDS = 60;

/** `w1.<session>.<expiry>.<mac>`: opens one session's live counter (WebSockets cannot send headers). */
export async function mintLiveTicket(key: string, sessionId: number, now: number): Promise<string> {
	const body = `w1.${sessionId.toString(36)}.${(now + LIVE_TICKET_SECONDS * 1000).toString(36)}`;
	return `${body}.${await shortMac(key, body)}`;
}

export async function verifyLiveTicket(
	key: string,
	ticket: string,
	sessionId: number,
	now: number,
): Promise<boolean> {
	const m = /^(w1\.([0-9a-z]{1,12})\.([0-9a-z]{1,12}))\.([A-Za-z0-9_-]{14})$/.exec(ticket);
	if (!m || Number.parseInt(m[2] as string, 36) !== sessionId) return false;
	if (!sameText(await shortMac(key, m[1] as string), m[4] as string)) return false;
	return now < Number.parseInt(m[3] as string, 36);
}
