// The first steps of every CSV import: decode the bytes, parse them, read the header on row 1, and
// check that data rows follow, but not too many. Each refusal says what to fix. Pure.
import { type CsvRecord, decodeCsvBytes, parseCsv } from "./csv-parse";
import { fail, ok, type Result } from "./result";

/** One import's header and words; the comments show 學員名冊匯入's. */
export type CsvUploadRules<H> = {
	readHeader: (fields: string[]) => Result<H>;
	/** 班級代碼、座號、姓名… — the first columns, to show what row 1 should hold. */
	headerHint: string;
	/** 學員 — 「沒有學員資料」 */
	item: string;
	/** 筆 — 「一次最多匯入 1000 筆」 */
	unit: string;
	maxRows: number;
};

export function readCsvUpload<H>(
	bytes: Uint8Array,
	rules: CsvUploadRules<H>,
): Result<{ header: H; records: CsvRecord[] }> {
	const decoded = decodeCsvBytes(bytes);
	if (!decoded.ok) return decoded;
	const parsed = parseCsv(decoded.value.text);
	if (!parsed.ok) return parsed;
	const [first, ...records] = parsed.value;
	if (!first) return fail("CSV_EMPTY", "檔案是空的，請確認內容後再上傳");
	if (first.line !== 1) return fail("CSV_HEADER", `第 1 列必須是標題列（${rules.headerHint}），不能空白`);
	const header = rules.readHeader(first.fields);
	if (!header.ok) return header;
	if (records.length === 0) return fail("CSV_NO_ROWS", `檔案只有標題列，沒有${rules.item}資料`);
	if (records.length > rules.maxRows)
		return fail("CSV_TOO_MANY", `一次最多匯入 ${rules.maxRows} ${rules.unit}，請分成幾個檔案上傳`);
	return ok({ header: header.value, records });
}
