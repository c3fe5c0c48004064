// E-mail addresses: one normal form for matching against the roster, and a masked form for display.

import { toHalfWidth } from "./half-width";
import { fail, ok, type Result } from "./result";

// Deliberately plain: one @, no spaces, a dot in the domain. Mailbox existence is proven by the code.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Trims, converts full-width characters an IME may produce (＠, ．) and lower-cases the address. */
export function normalizeEmail(input: string): Result<string> {
	const text = toHalfWidth(input).trim().toLowerCase();
	if (text.length > 254 || !EMAIL.test(text)) {
		return fail("EMAIL_FORMAT", "電子郵件格式不正確，例如 name@example.com");
	}
	return ok(text);
}

/** "alice@example.com" → "a***@example.com". */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf("@");
	if (at < 1) return "***";
	return `${email.slice(0, 1)}***${email.slice(at)}`;
}
