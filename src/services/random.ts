// Unguessable identifiers from the platform CSPRNG.

/** `bytes` random bytes as base64url (16 bytes = 128 bits by default). */
export function randomToken(bytes = 16): string {
	const data = crypto.getRandomValues(new Uint8Array(bytes));
	return btoa(String.fromCharCode(...data))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");
}
