// CSV files people export from Excel: byte decoding (UTF-8 ± BOM, UTF-16 with BOM, Big5) and an
// RFC 4180 parser (quoted fields, doubled quotes, CRLF/LF/CR, comma or tab) that keeps Excel's row numbers.

import { fail, ok, type Result } from "./result";

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "big5";

/** One record with the row number Excel shows for it (the first record is row 1). */
export type CsvRecord = { line: number; fields: string[] };

export const SAVE_AS_UTF8_HINT =
	"請在 Excel 選「檔案 → 另存新檔」，存檔類型選「CSV UTF-8（逗號分隔）(*.csv)」後再上傳。";

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

function tryDecode(label: string, bytes: Uint8Array): string | null {
	try {
		return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		// RangeError: the runtime does not know the encoding; TypeError: the bytes are not valid in it.
		return null;
	}
}

/** Whether this runtime decodes Big5 (workerd builds with full ICU do). */
export function supportsBig5(): boolean {
	return tryDecode("big5", new Uint8Array([0xa4, 0xfd])) === "王";
}

/**
 * Bytes that are not UTF-8 but read as Big5 double-byte characters: a lead byte 0x81–0xFE followed
 * by a trail byte 0x40–0x7E or 0xA1–0xFE, with at least one such pair and no stray high bytes.
 */
export function looksLikeBig5(bytes: Uint8Array): boolean {
	let pairs = 0;
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i] as number;
		if (b < 0x80) continue;
		const trail = bytes[i + 1];
		if (b < 0x81 || b > 0xfe || trail === undefined) return false;
		if (!((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe))) return false;
		pairs++;
		i++;
	}
	return pairs > 0;
}

/**
 * Decodes an uploaded CSV: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise UTF-8, then Big5 when the
 * runtime supports it. Big5 the runtime cannot read, and anything else, is refused with how to save
 * the file as CSV UTF-8 in Excel. The BOM is never part of the text.
 */
export function decodeCsvBytes(
	bytes: Uint8Array,
	big5 = supportsBig5(),
): Result<{ text: string; encoding: CsvEncoding }> {
	const done = (text: string | null, encoding: CsvEncoding) =>
		text === null
			? fail("CSV_ENCODING", `檔案內容無法以 ${encoding.toUpperCase()} 讀取。${SAVE_AS_UTF8_HINT}`)
			: ok({ text: text.replace(/^\uFEFF/, ""), encoding });
	if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return done(tryDecode("utf-8", bytes), "utf-8");
	if (startsWith(bytes, [0xff, 0xfe])) return done(tryDecode("utf-16le", bytes), "utf-16le");
	if (startsWith(bytes, [0xfe, 0xff])) return done(tryDecode("utf-16be", bytes), "utf-16be");
	const utf8 = tryDecode("utf-8", bytes);
	if (utf8 !== null) return ok({ text: utf8, encoding: "utf-8" });
	if (looksLikeBig5(bytes)) {
		const text = big5 ? tryDecode("big5", bytes) : null;
		if (text !== null) return ok({ text, encoding: "big5" });
		return fail(
			"CSV_BIG5",
			`這個檔案是 Big5 編碼（Excel 預設的「CSV（逗號分隔）」），系統無法讀取。${SAVE_AS_UTF8_HINT}`,
		);
	}
	return fail("CSV_ENCODING", `無法辨識檔案的文字編碼，請確認上傳的是 CSV 檔。${SAVE_AS_UTF8_HINT}`);
}

/** Tab when the first line (outside quotes) has more tabs than commas, as Excel's 「Unicode 文字」 does. */
export function detectDelimiter(text: string): "," | "\t" {
	let commas = 0;
	let tabs = 0;
	let quoted = false;
	for (const ch of text) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (ch === "\n" || ch === "\r")) break;
		else if (!quoted && ch === ",") commas++;
		else if (!quoted && ch === "\t") tabs++;
	}
	return tabs > commas ? "\t" : ",";
}

/**
 * Parses CSV text into records. Quoted fields may hold delimiters, line breaks and doubled quotes;
 * a quote inside an unquoted field is kept as written. Rows that are entirely empty (blank lines,
 * Excel's trailing empty rows) are left out but still counted, so `line` is the row Excel shows.
 * An unclosed quote is an error naming the row where it starts.
 */
export function parseCsv(text: string, delimiter: string = detectDelimiter(text)): Result<CsvRecord[]> {
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = "";
	let line = 1;
	let quoted = false;
	let fieldStarted = false;
	const endRecord = () => {
		fields.push(field);
		if (fields.some((f) => f.trim() !== "")) records.push({ line, fields });
		fields = [];
		field = "";
		fieldStarted = false;
		line++;
	};
	for (let i = 0; i < text.length; i++) {
		const ch = text[i] as string;
		if (quoted) {
			if (ch !== '"') field += ch;
			else if (text[i + 1] === '"') {
				field += '"';
				i++;
			} else quoted = false;
			continue;
		}
		if (ch === '"' && !fieldStarted) {
			quoted = true;
			fieldStarted = true;
		} else if (ch === delimiter) {
			fields.push(field);
			field = "";
			fieldStarted = false;
		} else if (ch === "\r" || ch === "\n") {
			if (ch === "\r" && text[i + 1] === "\n") i++;
			endRecord();
		} else {
			field += ch;
			fieldStarted = true;
		}
	}
	if (quoted) return fail("CSV_UNCLOSED_QUOTE", `第 ${line} 列的引號（"）沒有結束，請檢查檔案內容`);
	if (field !== "" || fields.length > 0) endRecord();
	return ok(records);
}
