// Person names: only white space is normalized. No NFKC and no case change: a name is kept as written
// (rare CJK characters, compatibility ideographs and full-width Latin all survive).

import { fail, ok, type Result } from "./result";

const WHITE_SPACE_RUN = /[\s\u3000]+/gu;
export const MAX_NAME_LENGTH = 50;

/** Trims and collapses runs of white space (including the ideographic space U+3000) to one space. */
export function normalizePersonName(input: string): Result<string> {
	const name = input.replace(WHITE_SPACE_RUN, " ").trim();
	if (name.length === 0) return fail("NAME_REQUIRED", "請填寫姓名");
	if ([...name].length > MAX_NAME_LENGTH) return fail("NAME_TOO_LONG", `姓名最多 ${MAX_NAME_LENGTH} 個字`);
	// "\uFFFD" only comes from bytes that were not UTF-8 (a mangled form or file), never from typing;
	// bidi overrides and isolates would make one name display as another ("‮abc" shows as "cba").
	if (/[\p{Cc}\uFFFD\u202A-\u202E\u2066-\u2069]/u.test(name))
		return fail("NAME_INVALID", "姓名含有無法使用的字元");
	return ok(name);
}

/** "王小明" → "王○明", "王明" → "王○": shown on shared screens such as the check-in display. */
export function maskPersonName(name: string): string {
	const chars = [...name];
	if (chars.length <= 1) return name;
	if (chars.length === 2) return `${chars[0]}○`;
	return `${chars[0]}${"○".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
