// The same rows as the CSV exports, as an Excel workbook: the few SpreadsheetML parts one sheet
// needs, zipped with fflate's synchronous zip (its async zip starts Web Workers, which Workers lack).
// Text is written as inline strings, so a remark such as =HYPERLINK(…) is text, never a formula,
// and needs no apostrophe as it does in CSV.
import { strToU8, zipSync } from "fflate";
import type { CsvCell } from "../domain/csv";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/** Excel's limit for one cell's text. */
const MAX_CELL_CHARS = 32_767;

/** One sheet with a bold, frozen header row; column widths fit the longest text (CJK counts double). */
export function toXlsx(rows: readonly (readonly CsvCell[])[], sheetName: string): ArrayBuffer {
	const parts: Record<string, string> = {
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels": `<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="${DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="${MAIN_NS}" xmlns:r="${DOC_REL}"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="${DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${DOC_REL}/styles" Target="styles.xml"/></Relationships>`,
		// Style 1 is the bold header; Excel requires the two default fills.
		"xl/styles.xml": `<styleSheet xmlns="${MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
		"xl/worksheets/sheet1.xml": worksheet(rows),
	};
	const zip = zipSync(
		Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(XML_HEAD + xml)])),
	);
	return zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer;
}

function worksheet(rows: readonly (readonly CsvCell[])[]): string {
	const columns = Math.max(0, ...rows.map((row) => row.length));
	const cols = Array.from({ length: columns }, (_, i) => {
		const width = Math.min(60, Math.max(6, ...rows.map((row) => displayWidth(row[i])))) + 2;
		return `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`;
	}).join("");
	const sheetRows = rows
		.map(
			(row, r) =>
				`<row r="${r + 1}">${row.map((value, c) => cell(`${columnName(c)}${r + 1}`, value, r === 0)).join("")}</row>`,
		)
		.join("");
	return `<worksheet xmlns="${MAIN_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>${cols ? `<cols>${cols}</cols>` : ""}<sheetData>${sheetRows}</sheetData></worksheet>`;
}

function cell(ref: string, value: CsvCell, header: boolean): string {
	if (value === null || value === undefined || value === "") return "";
	const style = header ? ' s="1"' : "";
	if (typeof value === "number" && Number.isFinite(value)) return `<c r="${ref}"${style}><v>${value}</v></c>`;
	const text = xmlText(String(value).slice(0, MAX_CELL_CHARS));
	return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
}

/** A, B, … Z, AA, AB, … */
function columnName(index: number): string {
	let name = "";
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

const NOT_XML =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
	/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes markup and drops what XML 1.0 cannot hold (control characters, lone surrogates). */
function xmlText(text: string): string {
	return text
		.replace(NOT_XML, "")
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;")
		.replaceAll('"', "&quot;");
}

function displayWidth(value: CsvCell): number {
	let width = 0;
	for (const ch of String(value ?? "")) width += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
	return width;
}
