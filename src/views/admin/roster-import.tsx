// 學員名冊匯入: the columns and a sample, the upload form, the preview (errors by row, valid rows with
// masked IDs, 確認匯入) and the result. The upload and preview pages are csv-import.tsx's skeleton.
import type { FC } from "hono/jsx";
import { formatTaiwanMobile } from "../../domain/phone";
import { formatRocDate } from "../../domain/roc-date";
import type { PreparedRow, RowError, SkippedRow } from "../../services/roster-import";
import { MAX_ROSTER_ROWS, ROSTER_COLUMNS } from "../../services/roster-import";
import type { StaffMember } from "../../services/staff-auth";
import { type CsvImportKind, CsvImportPage, CsvPreviewPage } from "./csv-import";
import { AdminLayout, Notice } from "./layout";

export const ROSTER_IMPORT_PATH = "/admin/roster-import";

const ROSTER_IMPORT: CsvImportKind = {
	title: "學員名冊匯入",
	path: ROSTER_IMPORT_PATH,
	fileLabel: "名冊檔案（CSV，最大 2 MB）",
	sampleName: "學員名冊範例.csv",
	unit: "筆",
	errorUnit: "筆",
	item: "學員",
	content: "資料",
	book: "名冊",
};

type Frame = { staff: StaffMember; unitName: string };
export type RosterClassItem = { id: number; code: string; name: string; endDate: string; trainees: number };

const COLUMN_HELP: [string, string][] = [
	[ROSTER_COLUMNS.classCode, "本單位的班級代碼，例如 DEMO-115-01（見下方「本單位班級」）"],
	[ROSTER_COLUMNS.seatNo, "正整數，同一班級不可重複"],
	[ROSTER_COLUMNS.name, "學員姓名，照身分證件填寫"],
	[ROSTER_COLUMNS.nationalId, "身分證字號或居留證號（新式、舊式皆可），系統會檢查檢查碼；只保存雜湊與遮罩"],
	[ROSTER_COLUMNS.birthDate, "西元 1990-05-25 或民國 79/05/25 皆可"],
	[ROSTER_COLUMNS.phone, "手機號碼，09 開頭共 10 碼（與電子郵件至少填一項）"],
	[ROSTER_COLUMNS.email, "電子郵件（與手機至少填一項）"],
];

const ClassTable: FC<{ classes: RosterClassItem[] }> = ({ classes }) => (
	<table class="grid">
		<thead>
			<tr>
				<th scope="col">班級代碼</th>
				<th scope="col">班級名稱</th>
				<th scope="col">結訓日</th>
				<th scope="col">在訓學員</th>
			</tr>
		</thead>
		<tbody>
			{classes.map((c) => (
				<tr>
					<td>{c.code}</td>
					<td>{c.name}</td>
					<td>{formatRocDate(c.endDate)}</td>
					<td>{c.trainees} 人</td>
				</tr>
			))}
		</tbody>
	</table>
);

export const RosterImportPage: FC<Frame & { classes: RosterClassItem[]; error?: string | undefined }> = (
	v,
) => (
	<CsvImportPage
		{...v}
		kind={ROSTER_IMPORT}
		columns={COLUMN_HELP}
		ClassTable={ClassTable}
		intro={
			<>
				CSV 檔，第 1 列為標題列，欄位名稱如下（順序不拘）。可用 Excel 編輯後「另存新檔」選 「CSV
				UTF-8（逗號分隔）」；也接受 Excel 的「Unicode 文字」（Tab 分隔）。一次最多 {MAX_ROSTER_ROWS} 筆。
			</>
		}
		rules={
			<>
				上傳後會先顯示檢查結果，按「確認匯入」才會寫入。檔案中只要有一列錯誤就不會匯入任何資料，請修正後重新上傳。
				已在該班名冊中的學員會略過；系統中已有資料的學員沿用既有的個人資料。
			</>
		}
	/>
);

const RowsTable: FC<{ rows: (PreparedRow | SkippedRow)[]; label: string }> = ({ rows, label }) => (
	<table class="grid" aria-label={label}>
		<thead>
			<tr>
				<th scope="col">列</th>
				<th scope="col">班級代碼</th>
				<th scope="col">座號</th>
				<th scope="col">姓名</th>
				<th scope="col">身分證字號</th>
				<th scope="col">出生日期</th>
				<th scope="col">手機</th>
				<th scope="col">電子郵件</th>
				{rows.some((r) => "reason" in r) && <th scope="col">說明</th>}
			</tr>
		</thead>
		<tbody>
			{rows.map((r) => (
				<tr>
					<td>第 {r.line} 列</td>
					<td>{r.classCode}</td>
					<td>{r.seatNo}</td>
					<td>{r.name}</td>
					<td>{r.masked}</td>
					<td>{formatRocDate(r.birthDate)}</td>
					<td>{r.phone ? formatTaiwanMobile(r.phone) : "—"}</td>
					<td>{r.email ?? "—"}</td>
					{"reason" in r && <td>{r.reason}</td>}
				</tr>
			))}
		</tbody>
	</table>
);

export const RosterPreviewPage: FC<
	Frame & { rows: PreparedRow[]; skipped: SkippedRow[]; errors: RowError[]; token: string | null }
> = (v) => <CsvPreviewPage kind={ROSTER_IMPORT} {...v} RowsTable={RowsTable} />;

export const RosterResultPage: FC<Frame & { enrolled: number; skipped: number; rows: PreparedRow[] }> = (
	v,
) => (
	<AdminLayout title="學員名冊匯入：完成" staff={v.staff} unitName={v.unitName} current={ROSTER_IMPORT_PATH}>
		<Notice>
			已匯入 {v.enrolled} 位學員
			{v.skipped > 0 ? `（${v.skipped} 位已在名冊中，未重複匯入）` : ""}。學員可用 LINE 完成身分綁定。
		</Notice>
		<RowsTable rows={v.rows} label="已匯入" />
		<p>
			<a href={ROSTER_IMPORT_PATH}>回到學員名冊匯入</a>
		</p>
	</AdminLayout>
);
