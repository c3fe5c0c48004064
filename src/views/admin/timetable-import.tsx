// 課表匯入: the columns and a sample, the upload form, the preview (errors by row, valid sessions,
// 確認匯入) and the result. The upload and preview pages are csv-import.tsx's skeleton (and the
// roster import's CSS).
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiTime, weekdayLabel } from "../../domain/taipei-time";
import type { StaffMember } from "../../services/staff-auth";
import { MAX_TIMETABLE_ROWS } from "../../services/timetable-import";
import {
	type RowError,
	type SkippedRow,
	TIMETABLE_COLUMNS,
	type TimetableRow,
} from "../../services/timetable-rows";
import { type CsvImportKind, CsvImportPage, CsvPreviewPage } from "./csv-import";
import { AdminLayout, Notice } from "./layout";

export const TIMETABLE_IMPORT_PATH = "/admin/timetable-import";

const TIMETABLE_IMPORT: CsvImportKind = {
	title: "課表匯入",
	path: TIMETABLE_IMPORT_PATH,
	fileLabel: "課表檔案（CSV，最大 512 KB）",
	sampleName: "課表範例.csv",
	unit: "節",
	errorUnit: "列",
	item: "節次",
	content: "節次",
	book: "課表",
};

type Frame = { staff: StaffMember; unitName: string };
export type TimetableClassItem = {
	id: number;
	code: string;
	name: string;
	startDate: string;
	endDate: string;
};

const COLUMN_HELP: [string, string][] = [
	[TIMETABLE_COLUMNS.classCode, "必填。本單位的班級代碼（見下方「本單位班級」）"],
	[TIMETABLE_COLUMNS.date, "必填。西元 2026-03-02 或民國 115/03/02 皆可，須在班級的訓練期間內"],
	[TIMETABLE_COLUMNS.start, "必填。台北時間，24 小時制，例如 09:00；Excel 的「上午 09:00:00」也可以"],
	[TIMETABLE_COLUMNS.end, "必填。須晚於開始時間，同一天內（不跨午夜）"],
	[
		TIMETABLE_COLUMNS.hours,
		"選填。未填時以開始到結束的時間計算（09:00–12:00 為 3 小時）；含休息時間時請填寫",
	],
	[TIMETABLE_COLUMNS.subject, "必填。課程（科目）名稱，最多 60 字"],
	[TIMETABLE_COLUMNS.teacher, "選填。本單位教師的姓名；同名時請改填教師的身分證字號"],
	[TIMETABLE_COLUMNS.room, "選填。上課教室或地點，最多 40 字"],
];

const ClassTable: FC<{ classes: TimetableClassItem[] }> = ({ classes }) => (
	<table class="grid">
		<thead>
			<tr>
				<th scope="col">班級代碼</th>
				<th scope="col">班級名稱</th>
				<th scope="col">訓練期間</th>
			</tr>
		</thead>
		<tbody>
			{classes.map((c) => (
				<tr>
					<td>{c.code}</td>
					<td>
						<a href={`/admin/classes/${c.id}#timetable`}>{c.name}</a>
					</td>
					<td>
						{formatRocDate(c.startDate)}～{formatRocDate(c.endDate)}
					</td>
				</tr>
			))}
		</tbody>
	</table>
);

export const TimetableImportPage: FC<
	Frame & { classes: TimetableClassItem[]; error?: string | undefined }
> = (v) => (
	<CsvImportPage
		{...v}
		kind={TIMETABLE_IMPORT}
		columns={COLUMN_HELP}
		ClassTable={ClassTable}
		intro={
			<>
				CSV 檔，第 1 列為標題列，一列一節課，欄位名稱如下（順序不拘）。可用 Excel 編輯後「另存新檔」選 「CSV
				UTF-8（逗號分隔）」；也接受 Excel 的「Unicode 文字」（Tab 分隔）與 Big5 編碼的 CSV。一次最多{" "}
				{MAX_TIMETABLE_ROWS} 節。
			</>
		}
		rules={
			<>
				上傳後會先顯示檢查結果，按「確認匯入」才會寫入。檔案中只要有一列錯誤就不會匯入任何節次，請修正後重新上傳。
				同一班級的節次時間不能重疊；課表中已有的同一節課（同一時間、同一課程）會略過。已排入的節次可在班級頁的「課表」修改或停課。
			</>
		}
	/>
);

const RowsTable: FC<{ rows: (TimetableRow | SkippedRow)[]; label: string }> = ({ rows, label }) => (
	<table class="grid" aria-label={label}>
		<thead>
			<tr>
				<th scope="col">列</th>
				<th scope="col">班級代碼</th>
				<th scope="col">日期</th>
				<th scope="col">時間</th>
				<th scope="col">時數</th>
				<th scope="col">課程名稱</th>
				<th scope="col">授課教師</th>
				<th scope="col">教室</th>
				{rows.some((r) => "reason" in r) && <th scope="col">說明</th>}
			</tr>
		</thead>
		<tbody>
			{rows.map((r) => (
				<tr>
					<td>第 {r.line} 列</td>
					<td>{r.classCode}</td>
					<td>
						{formatRocDate(r.date)}（{weekdayLabel(r.date).slice(1)}）
					</td>
					<td>
						{taipeiTime(r.startsAt)}–{taipeiTime(r.endsAt)}
					</td>
					<td>{r.hours}</td>
					<td class="wrap">{r.subject}</td>
					<td>{r.teacherName ?? "—"}</td>
					<td class="wrap">{r.room ?? "—"}</td>
					{"reason" in r && <td>{r.reason}</td>}
				</tr>
			))}
		</tbody>
	</table>
);

export const TimetablePreviewPage: FC<
	Frame & { rows: TimetableRow[]; skipped: SkippedRow[]; errors: RowError[]; token: string | null }
> = (v) => <CsvPreviewPage kind={TIMETABLE_IMPORT} {...v} RowsTable={RowsTable} />;

export const TimetableResultPage: FC<
	Frame & {
		added: number;
		skipped: number;
		rows: TimetableRow[];
		links: { id: number; code: string; from: string }[];
	}
> = (v) => (
	<AdminLayout title="課表匯入：完成" staff={v.staff} unitName={v.unitName} current={TIMETABLE_IMPORT_PATH}>
		<Notice>
			已匯入 {v.added} 節課{v.skipped > 0 ? `（${v.skipped} 節已在課表中，未重複匯入）` : ""}。
		</Notice>
		<RowsTable rows={v.rows} label="已匯入" />
		<ul class="plain-links">
			{v.links.map((c) => (
				<li>
					<a href={`/admin/classes/${c.id}?from=${c.from}#timetable`}>查看 {c.code} 的課表</a>
				</li>
			))}
			<li>
				<a href={TIMETABLE_IMPORT_PATH}>回到課表匯入</a>
			</li>
		</ul>
	</AdminLayout>
);
