// Masks personal data in text meant for display (audit log, exports): national IDs, e-mail addresses,
// Taiwan mobile numbers and LINE user IDs wherever they appear, and whole values under keys that name
// personal data. Defensive: remarks and reasons are free text a clerk may have pasted anything into.

import { maskEmail } from "./email";
import { toHalfWidth } from "./half-width";
import { maskNationalId } from "./national-id";

export const HIDDEN = "（已隱藏）";

const maskLineUserId = (id: string) => `U****${id.slice(-4)}`;
const maskMobile = (digits: string) => `09xx-xxx-${digits.replace(/\D/g, "").slice(-3)}`;

/** In order: a LINE user ID holds digit runs an ID pattern would otherwise take for its own. */
const PATTERNS: [RegExp, (match: string) => string][] = [
	[/U[0-9a-f]{32}/g, maskLineUserId],
	[/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, maskEmail],
	[/(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\d{8}(?!\d)/g, maskNationalId],
	[/(?<!\d)(?:\+?886[-\s]?0?|0)9\d{2}[-\s]?\d{3}[-\s]?\d{3}(?!\d)/g, maskMobile],
];

/**
 * The text with every national ID, e-mail, mobile number and LINE user ID masked. Full-width forms
 * (Ａ１２３…) are found too: toHalfWidth maps one UTF-16 unit to one, so positions line up.
 */
export function maskPersonalText(text: string): string {
	let out = text;
	for (const [pattern, mask] of PATTERNS) {
		const plain = toHalfWidth(out);
		let masked = "";
		let last = 0;
		for (const m of plain.matchAll(pattern)) {
			masked += out.slice(last, m.index) + mask(m[0]);
			last = m.index + m[0].length;
		}
		out = masked + out.slice(last);
	}
	return out;
}

const SECRET_KEY = /password|secret|token|hmac|otp|nonce|hash/i;
const NATIONAL_ID_KEY = /national|idno|id_?number|身分證|居留證/i;
const EMAIL_KEY = /e-?mail|郵件/i;
const PHONE_KEY = /phone|mobile|tel\b|手機|電話/i;
const BIRTH_KEY = /birth|生日|出生/i;
const LINE_ID_KEY = /user_?id$/i;

/** What a value stored under `key` may show: masked by what the key says it is, then by its text. */
export function maskField(key: string, value: unknown): unknown {
	if (value === null || value === undefined) return value;
	if (SECRET_KEY.test(key) || BIRTH_KEY.test(key)) return HIDDEN;
	if (typeof value === "string") {
		const text = toHalfWidth(value).trim();
		if (NATIONAL_ID_KEY.test(key)) return text.length >= 6 ? maskNationalId(text) : HIDDEN;
		if (EMAIL_KEY.test(key)) return text.includes("@") ? maskEmail(text) : HIDDEN;
		if (PHONE_KEY.test(key)) return /\d{3}/.test(text) ? maskMobile(text) : HIDDEN;
		if (LINE_ID_KEY.test(key)) return text.length > 4 ? maskLineUserId(text) : HIDDEN;
		return maskPersonalText(value);
	}
	if (NATIONAL_ID_KEY.test(key) || EMAIL_KEY.test(key) || PHONE_KEY.test(key) || LINE_ID_KEY.test(key))
		return HIDDEN;
	if (Array.isArray(value)) return value.map((item) => maskField(key, item));
	if (typeof value === "object")
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskField(k, v)]));
	return value;
}
