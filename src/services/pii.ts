// Keyed hashes of personal data: the roster is matched through HMACs, never through clear values.

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = keyCache.get(secret);
	if (!key) {
		key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
			"sign",
		]);
		keyCache.set(secret, key);
	}
	return key;
}

/** Hex HMAC-SHA256 of `value` under `secret`, with a purpose label so equal inputs of different kinds differ. */
export async function keyedHash(secret: string, purpose: string, value: string): Promise<string> {
	if (!secret) throw new Error("PII_HMAC_KEY is not configured");
	const mac = await crypto.subtle.sign(
		"HMAC",
		await hmacKey(secret),
		encoder.encode(`${purpose}\u0000${value}`),
	);
	return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The matching key of a normalized national ID (see domain/national-id.ts). */
export const nationalIdHmac = (secret: string, normalizedId: string) =>
	keyedHash(secret, "national-id", normalizedId);
