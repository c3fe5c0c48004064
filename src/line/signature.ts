// LINE webhook signature: base64 HMAC-SHA256 of the exact received bytes with the channel secret.
// crypto.subtle.verify compares in constant time; the body is never re-serialized before checking.

const encoder = new TextEncoder();

function decodeBase64(text: string): Uint8Array | null {
	try {
		return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
	return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		usage,
	]);
}

/** True when `signatureHeader` is the channel's signature of exactly these bytes. */
export async function verifyLineSignature(
	channelSecret: string,
	body: ArrayBuffer | Uint8Array,
	signatureHeader: string | undefined | null,
): Promise<boolean> {
	if (!channelSecret || !signatureHeader) return false;
	const signature = decodeBase64(signatureHeader.trim());
	if (signature?.length !== 32) return false;
	return crypto.subtle.verify("HMAC", await hmacKey(channelSecret, "verify"), signature, body);
}

/** Signs a body as LINE does (the development emulator and tests send signed webhooks). */
export async function signLineBody(channelSecret: string, body: string | Uint8Array): Promise<string> {
	const bytes = typeof body === "string" ? encoder.encode(body) : body;
	const mac = await crypto.subtle.sign("HMAC", await hmacKey(channelSecret, "sign"), bytes);
	return btoa(String.fromCharCode(...new Uint8Array(mac)));
}
