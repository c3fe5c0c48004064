// The same rows as the CSV exports, as an Excel workbook (write-excel-file, whose universal build
// runs in Workers). Text stays text: a cell is only a formula when typed as one, so a remark such
// as =HYPERLINK(…) needs no apostrophe here, unlike in CSV.
import writeXlsxFile from "write-excel-file/universal";
import type { CsvCell } from "../domain/csv";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** One sheet with a bold, frozen header row; column widths fit the longest text (CJK counts double). */
export async function toXlsx(rows: readonly (readonly CsvCell[])[], sheetName: string): Promise<ArrayBuffer> {
	const [header = [], ...body] = rows;
	const data = [
		header.map((value) => ({ value: String(value ?? ""), type: String, fontWeight: "bold" as const })),
		...body.map((row) =>
			row.map((value) =>
				value === null || value === undefined
					? null
					: typeof value === "number"
						? { value, type: Number }
						: { value, type: String },
			),
		),
	];
	const widths = header.map((_, i) => Math.min(60, Math.max(6, ...rows.map((row) => displayWidth(row[i])))));
	const blob = await writeXlsxFile(data, {
		sheet: sheetName,
		stickyRowsCount: 1,
		columns: widths.map((width) => ({ width: width + 2 })),
	}).toBlob();
	return blob.arrayBuffer();
}

function displayWidth(value: CsvCell): number {
	let width = 0;
	for (const ch of String(value ?? "")) width += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
	return width;
}
