import { describe, expect, it } from "vitest";
import { hasUnshowableCharacters } from "../../src/domain/plain-text";

describe("hasUnshowableCharacters", () => {
	it.each([
		"發燒就醫\n附診斷證明",
		"🤒 看醫生",
		"👨‍👩‍👧",
		"𠀀𡃁 罕用字",
		"<script>alert(1)</script>",
		"tab\there",
		"",
	])("accepts %j", (text) => expect(hasUnshowableCharacters(text)).toBe(false));
	it.each([
		"\ud800x",
		"x\udc00",
		"a\u0000b",
		"bell\u0007",
		"\u007f",
		"頭痛\ufffd",
		"\u202egpj.exe",
		"a\u2066b\u2069",
	])("refuses %j", (text) => expect(hasUnshowableCharacters(text)).toBe(true));
});
