// Staff password hashing: PBKDF2-SHA256 via Web Crypto with a per-user random salt.
// Stored as "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" so the cost can rise later.

/** Workers' Web Crypto caps PBKDF2 at 100,000 iterations. */
export const PBKDF2_ITERATIONS = 100_000;
const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt, iterations },
		key,
		256,
	);
	return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const hash = await derive(password, salt, iterations);
	return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Constant-time comparison of the derived key with the stored one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, iter, saltText, hashText] = stored.split("$");
	const iterations = Number(iter);
	if (
		scheme !== "pbkdf2-sha256" ||
		!saltText ||
		!hashText ||
		!Number.isInteger(iterations) ||
		iterations < 1
	) {
		return false;
	}
	const expected = fromBase64(hashText);
	const actual = await derive(password, fromBase64(saltText), iterations);
	if (actual.length !== expected.length) return false;
	let diff = 0;
	for (let i = 0; i < actual.length; i++) diff |= (actual[i] as number) ^ (expected[i] as number);
	return diff === 0;
}
