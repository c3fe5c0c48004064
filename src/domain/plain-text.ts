// Free text people type (remarks): anything readable, including emoji and rare CJK, but no control
// characters, no broken UTF-16 (a lone surrogate would be stored as "�") and no "�" itself: it only
// ever comes from bytes that were not UTF-8 (a form decodes them to it), never from typing.

// Bidi overrides and isolates count too: they make text display as something else.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const REPLACEMENT = "\uFFFD";

/** True when the text has characters that cannot be shown: control characters, half an emoji, "�". */
export function hasUnshowableCharacters(text: string): boolean {
	return CONTROL.test(text) || LONE_SURROGATE.test(text) || text.includes(REPLACEMENT);
}

export const UNSHOWABLE_MESSAGE = "內容含有無法顯示的字元，請刪除後再送出";
