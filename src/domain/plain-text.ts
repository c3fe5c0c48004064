// Free text people type (remarks): anything readable, including emoji and rare CJK, but no control
// characters and no broken UTF-16 (a lone surrogate would be stored as "�").

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text has characters that cannot be shown: control characters or half an emoji. */
export function hasUnshowableCharacters(text: string): boolean {
	return CONTROL.test(text) || LONE_SURROGATE.test(text);
}

export const UNSHOWABLE_MESSAGE = "內容含有無法顯示的字元，請刪除後再送出";
