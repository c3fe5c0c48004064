// Reads back the first sheet of one of our .xlsx files the way a spreadsheet shows it: rows of cell
// texts (inline strings or numbers), the sheet's name, and whether any cell holds a formula.
import { strFromU8, unzipSync } from "fflate";

const unescapeXml = (text: string) =>
	text
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&quot;", '"')
		.replaceAll("&apos;", "'")
		.replaceAll("&amp;", "&");

export function readXlsx(bytes: ArrayBuffer): { rows: string[][]; hasFormula: boolean; sheetName: string } {
	const files = unzipSync(new Uint8Array(bytes));
	const xml = (name: string) => {
		const file = files[name];
		if (!file) throw new Error(`${name} missing from the workbook`);
		return strFromU8(file);
	};
	for (const part of ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
		xml(part);
	const sheet = xml("xl/worksheets/sheet1.xml");
	const rows = [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
		const cells: string[] = [];
		for (const cell of (row[1] ?? "").matchAll(/<c r="([A-Z]+)\d+"[^>]*>([\s\S]*?)<\/c>/g)) {
			const column = [...(cell[1] ?? "")].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
			cells[column] = unescapeXml(/<(?:t|v)[^>]*>([\s\S]*?)<\/(?:t|v)>/.exec(cell[2] ?? "")?.[1] ?? "");
		}
		return Array.from(cells, (c) => c ?? "");
	});
	const sheetName = unescapeXml(/<sheet [^>]*name="([^"]*)"/.exec(xml("xl/workbook.xml"))?.[1] ?? "");
	return { rows, hasFormula: /<f[ >]/.test(sheet), sheetName };
}
