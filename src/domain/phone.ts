// Taiwan mobile numbers: normalized to E.164 (+8869XXXXXXXX); landlines and short numbers refused.

import { toHalfWidth } from "./half-width";
import { fail, ok, type Result } from "./result";

const SEPARATORS = /[\s\-().]/g;
const LOCAL_MOBILE = /^09\d{8}$/;
// "+886912345678", "886912345678", and the common mistake of keeping the trunk 0: "+8860912345678".
const INTERNATIONAL_MOBILE = /^\+?8860?(9\d{8})$/;

/**
 * Normalizes a Taiwan mobile number written in any usual way ("0912-345-678", "0912 345 678",
 * "+886912345678", "+8860912345678", "886912345678", full-width digits) to "+886912345678".
 */
export function normalizeTaiwanMobile(input: string): Result<string> {
	const text = toHalfWidth(input).trim().replace(SEPARATORS, "");
	if (LOCAL_MOBILE.test(text)) return ok(`+886${text.slice(1)}`);
	const intl = INTERNATIONAL_MOBILE.exec(text);
	if (intl) return ok(`+886${intl[1]}`);
	if (/^(?:0[2-8]|\+?8860?[2-8])\d+$/.test(text)) {
		return fail("PHONE_NOT_MOBILE", "請填寫手機號碼（09 開頭共 10 碼），市話無法接收簡訊");
	}
	return fail("PHONE_FORMAT", "手機號碼格式不正確，請輸入 09 開頭共 10 碼，例如 0912-345-678");
}

/** "+886912345678" → "0912-345-678" for display to the owner. */
export function formatTaiwanMobile(e164: string): string {
	const local = `0${e164.replace(/^\+886/, "")}`;
	return `${local.slice(0, 4)}-${local.slice(4, 7)}-${local.slice(7)}`;
}

/** "+886912345678" → "09xx-xxx-678": enough for the owner to recognize, useless to anyone else. */
export function maskTaiwanMobile(e164: string): string {
	return `09xx-xxx-${e164.slice(-3)}`;
}
