// One-time codes for binding: 6 digits from the CSPRNG, stored only as a keyed hash.
import { keyedHash } from "./pii";

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_TRIES = 5;
export const CODE_RESEND_AFTER_MS = 60_000;
export const CODE_SENDS_PER_DESTINATION_PER_DAY = 5;
export const CODE_SENDS_PER_LINE_USER_PER_DAY = 10;

/** Uniform 000000–999999: rejection sampling avoids the bias of a plain modulo. */
export function generateCode(): string {
	const limit = 4_294_000_000; // largest multiple of 1,000,000 below 2^32
	const buffer = new Uint32Array(1);
	for (;;) {
		crypto.getRandomValues(buffer);
		const n = buffer[0] as number;
		if (n < limit) return String(n % 1_000_000).padStart(6, "0");
	}
}

/** Bound to its challenge, so a hash leaked from one row matches nothing else. */
export const hashCode = (secret: string, challengeId: string, code: string) =>
	keyedHash(secret, "otp", `${challengeId}:${code}`);

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}
