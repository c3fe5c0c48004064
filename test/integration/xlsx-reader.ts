// Reads back the first sheet of an .xlsx the way a spreadsheet shows it: rows of cell texts, with
// whether any cell holds a formula (an export must never produce one).
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
	const shared = [...xml("xl/sharedStrings.xml").matchAll(/<si><t[^>]*>([\s\S]*?)<\/t><\/si>/g)].map((m) =>
		unescapeXml(m[1] ?? ""),
	);
	const sheet = xml("xl/worksheets/sheet1.xml");
	const rows = [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
		const cells: string[] = [];
		for (const cell of (row[1] ?? "").matchAll(/<c r="([A-Z]+)\d+"([^>]*)>(?:<v>([\s\S]*?)<\/v>)?<\/c>/g)) {
			const column = [...(cell[1] ?? "")].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
			const value = cell[3] ?? "";
			cells[column] = /t="s"/.test(cell[2] ?? "") ? (shared[Number(value)] ?? "") : value;
		}
		return Array.from(cells, (c) => c ?? "");
	});
	const sheetName = unescapeXml(/<sheet [^>]*name="([^"]*)"/.exec(xml("xl/workbook.xml"))?.[1] ?? "");
	return { rows, hasFormula: /<f>/.test(sheet), sheetName };
}
