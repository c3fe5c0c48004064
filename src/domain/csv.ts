// CSV for spreadsheets (Excel in Taiwan): UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting, and
// cells that a spreadsheet would run as a formula neutralised with a leading apostrophe.

export type CsvCell = string | number | null | undefined;

/** Excel reads a UTF-8 file without a BOM as Big5 and garbles every Chinese character. */
export const CSV_BOM = "\uFEFF";

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell: null and undefined are empty; numbers as they are; text starting with = + - @, a tab or
 * a carriage return gets a leading ' so it stays text; quoted when it holds a comma, quote or newline.
 */
export function csvCell(value: CsvCell): string {
	if (value === null || value === undefined) return "";
	let text = typeof value === "number" ? String(value) : value;
	if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
	return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: BOM, one CRLF-terminated line per row (the header is simply the first row). */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
	return CSV_BOM + rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}

/**
 * Content-Disposition for a download with a non-ASCII name: an ASCII fallback for old clients and
 * the real name as RFC 5987 filename*=UTF-8''….
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
	const fallback = asciiFallback.replace(/[^A-Za-z0-9._-]/g, "_");
	const encoded = encodeURIComponent(fileName).replace(
		/['()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
	);
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
