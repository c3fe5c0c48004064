// 稽核紀錄 as CSV rows (toCsv adds the BOM, quoting and formula guard): the page's columns, times in
// both calendars with seconds, the changes as "key：before → after" joined by "；".
import type { CsvCell } from "../../domain/csv";
import type { AuditEntryView } from "./audit-format";

/** A spreadsheet cell holds far more, but a cell this long is never read. */
const MAX_CELL = 2000;
const cap = (text: string) => {
	const chars = Array.from(text);
	return chars.length > MAX_CELL ? `${chars.slice(0, MAX_CELL).join("")}…` : text;
};

export function auditCsvRows(entries: AuditEntryView[], allUnits: boolean): CsvCell[][] {
	const header = [
		"時間（民國）",
		"時間（西元）",
		...(allUnits ? ["訓練單位"] : []),
		"操作者",
		"動作",
		"對象",
	];
	return [
		[...header, "原因", "變更內容", "請求編號"],
		...entries.map((e) => [
			`${e.rocDate} ${e.time}`,
			`${e.date} ${e.time}`,
			...(allUnits ? [e.unitName ?? "未歸屬單位"] : []),
			e.actor,
			e.action,
			e.entity.map((p) => p.label).join("、"),
			cap(e.reason ?? ""),
			cap(e.changes.map((c) => `${c.key}：${c.before ?? "（無）"} → ${c.after ?? "（無）"}`).join("；")),
			e.requestId ?? "",
		]),
	];
}
