// HMAC-SHA256 helpers for the short tokens carried in QR codes (they must stay small to scan well).

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(key: string): Promise<CryptoKey> {
	let cached = keys.get(key);
	if (!cached) {
		cached = crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(key),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		keys.set(key, cached);
	}
	return cached;
}

export async function hmac(key: string, message: string): Promise<Uint8Array> {
	const signature = await crypto.subtle.sign("HMAC", await importKey(key), new TextEncoder().encode(message));
	return new Uint8Array(signature);
}

export const base64url = (bytes: Uint8Array) =>
	btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");

/** An HMAC truncated to `bytes` bytes, base64url. */
export async function shortMac(key: string, message: string, bytes = 10): Promise<string> {
	return base64url((await hmac(key, message)).slice(0, bytes));
}

/** Equal strings in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}
