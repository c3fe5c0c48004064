// What must never appear in a log line (ARCHITECTURE §6: no personal data in logs), and the lines the
// test isolate logged so far. The setup file test/log-privacy-setup.ts records every console line and
// fails a test file whose lines hold any of it; test/unit/log-privacy.test.ts pins the patterns.
import { parseNationalId } from "../src/domain/national-id";

export type Leak = { kind: string; match: string };

const PATTERNS: [string, RegExp][] = [
	// National IDs and both resident-certificate layouts; confirmed by the checksum below, so the
	// masked form (A12****789) and random letters-and-digits do not count.
	["national ID", /(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?![A-Za-z0-9])/g],
	// Taiwan mobiles as people type them and as stored (E.164); 09xx-xxx-678 is the masked form.
	// Not inside ids: a request id's hex ("…-0912-345678ab…") is not a phone.
	["phone", /(?<![\w+-])(?:\+?8860?9\d{8}|09\d{2}[-\s]?\d{3}[-\s]?\d{3})(?![\w-])/g],
	// An address needs a letter, digit or sign right before the @: a***@example.com is masked.
	["e-mail", /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
	// A six-digit one-time or short code right after a key that says it is one.
	["code", /\b\w*(?:code|otp|pin)\w*["']?\s*[:=]\s*["']?\d{3}\s?\d{3}(?!\d)/gi],
	// Signed tokens: JWTs (binding link, staff session cookie, LIFF ID token) and the QR formats
	// (q1 session QR, p1 personal QR, k1 scan ticket, w1 live ticket).
	["token", /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g],
	["token", /\b[qpkw]1\.[0-9a-z]{1,12}(?:\.[0-9a-z]{1,12}){1,3}\.[A-Za-z0-9_-]{8,}/g],
	// Links that carry a token (/bind?t=…, the staff password link ?token=…).
	["token", /[?&](?:t|token|ticket)=[A-Za-z0-9._~-]{16,}/g],
	// A value under a key naming a secret (password, token, nonce …), in a JSON log line.
	["secret field", /"[A-Za-z_]*(?:password|token|ticket|secret|nonce)[A-Za-z_]*"\s*:\s*"[^"]{6,}"/gi],
];

/** Everything in `line` that looks like personal data or a credential. */
export function leaksIn(line: string): Leak[] {
	const leaks: Leak[] = [];
	for (const [kind, pattern] of PATTERNS)
		for (const m of line.matchAll(pattern)) {
			if (kind === "national ID" && !parseNationalId(m[0]).ok) continue;
			leaks.push({ kind, match: m[0] });
		}
	return leaks;
}

/** The console lines of the test isolate, kept on globalThis so every module instance shares them. */
const STORE = Symbol.for("training-line.logged-lines");
type Store = { lines: string[]; wrapped: boolean };

export function logStore(): Store {
	const g = globalThis as unknown as Record<symbol, Store | undefined>;
	g[STORE] ??= { lines: [], wrapped: false };
	return g[STORE];
}

/** Lines logged since the current test file started. */
export const loggedLines = (): readonly string[] => logStore().lines;

/** Drops lines a test logged on purpose (e.g. a fake ID to prove the check works). */
export function forgetLoggedLines(drop: (line: string) => boolean): void {
	const store = logStore();
	store.lines = store.lines.filter((line) => !drop(line));
}

/** Each logged line that leaks something, with what it leaks. */
export function leakingLines(lines: readonly string[] = loggedLines()): { line: string; leaks: Leak[] }[] {
	return lines.map((line) => ({ line, leaks: leaksIn(line) })).filter((l) => l.leaks.length > 0);
}
