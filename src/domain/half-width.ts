// Full-width to half-width conversion for codes people type on CJK keyboards (IDs, phones, dates).
// Never apply this to names: a name is stored exactly as the person writes it.

/** Maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space (U+3000) to their ASCII forms. */
export function toHalfWidth(input: string): string {
	return input.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
		ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
	);
}
