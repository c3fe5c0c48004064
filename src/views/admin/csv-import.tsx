// The page skeleton the CSV imports (學員名冊匯入, 課表匯入) share: the upload page (columns, sample,
// form, the unit's classes) and the preview (counts, line-numbered errors, 確認匯入, the checked rows).
// Each import brings its words, its help texts and its own row and class tables.
import type { Child, FC } from "hono/jsx";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

/** The words and places of one import; the comments show 學員名冊匯入's. */
export type CsvImportKind = {
	/** 學員名冊匯入 — the page title and NAV entry. */
	title: string;
	/** /admin/roster-import — the page; the sample is at `${path}/sample.csv`, confirm at `${path}/confirm`. */
	path: string;
	/** 名冊檔案（CSV，最大 2 MB） */
	fileLabel: string;
	/** 學員名冊範例.csv — the sample's file name. */
	sampleName: string;
	/** 筆 — what valid and skipped rows are counted in. */
	unit: string;
	/** 筆 — what rows with errors are counted in. */
	errorUnit: string;
	/** 學員 — what one row becomes. */
	item: string;
	/** 資料 — what the file holds (「尚未匯入任何資料」). */
	content: string;
	/** 名冊 — where the rows go (「已在名冊中」). */
	book: string;
};

type Frame = { kind: CsvImportKind; staff: StaffMember; unitName: string };
type RowError = { line: number; reasons: string[] };

export const CsvImportForm: FC<{ kind: CsvImportKind }> = ({ kind }) => (
	<form method="post" action={kind.path} enctype="multipart/form-data" class="roster-upload">
		<label>
			{kind.fileLabel}
			<input type="file" name="file" accept=".csv,.txt,text/csv,text/plain" required />
		</label>
		<button type="submit" class="primary">
			上傳並檢查
		</button>
	</form>
);

/** The upload page: `intro` and `rules` are the paragraphs above and below the column table. */
export function CsvImportPage<C>(
	v: Frame & {
		columns: [string, string][];
		intro: Child;
		rules: Child;
		classes: C[];
		ClassTable: FC<{ classes: C[] }>;
		error?: string | undefined;
	},
) {
	const { kind, ClassTable } = v;
	return (
		<AdminLayout title={kind.title} staff={v.staff} unitName={v.unitName} current={kind.path}>
			{v.error && <Notice kind="error">{v.error}</Notice>}
			<section class="roster-help">
				<h2>檔案格式</h2>
				<p>{v.intro}</p>
				<table class="grid">
					<thead>
						<tr>
							<th scope="col">欄位</th>
							<th scope="col">說明</th>
						</tr>
					</thead>
					<tbody>
						{v.columns.map(([name, help]) => (
							<tr>
								<td>{name}</td>
								<td>{help}</td>
							</tr>
						))}
					</tbody>
				</table>
				<p>
					<a href={`${kind.path}/sample.csv`} download={kind.sampleName}>
						下載範例檔（CSV）
					</a>
				</p>
				<p class="muted">{v.rules}</p>
			</section>
			<CsvImportForm kind={kind} />
			<section>
				<h2>本單位班級</h2>
				{v.classes.length === 0 ? <p>目前沒有班級。</p> : <ClassTable classes={v.classes} />}
			</section>
		</AdminLayout>
	);
}

/** The preview: nothing is written yet; `token` (only when every row is fine) is what 確認匯入 posts. */
export function CsvPreviewPage<R, S>(
	v: Frame & {
		rows: R[];
		skipped: S[];
		errors: RowError[];
		token: string | null;
		RowsTable: FC<{ rows: (R | S)[]; label: string }>;
	},
) {
	const { kind, RowsTable } = v;
	return (
		<AdminLayout title={`${kind.title}：檢查結果`} staff={v.staff} unitName={v.unitName} current={kind.path}>
			<p class="roster-counts">
				<strong>
					可匯入 {v.rows.length} {kind.unit}
				</strong>
				<strong class={v.errors.length ? "bad" : ""}>
					有錯誤 {v.errors.length} {kind.errorUnit}
				</strong>
				{v.skipped.length > 0 && (
					<strong>
						已在{kind.book}中 {v.skipped.length} {kind.unit}（將略過）
					</strong>
				)}
			</p>
			{v.errors.length > 0 ? (
				<>
					<Notice kind="error">
						檔案中有 {v.errors.length} 列錯誤，尚未匯入任何{kind.content}。請依下表在 Excel 修正（列號即 Excel
						左側的列號）後重新上傳。
					</Notice>
					<table class="grid roster-errors" aria-label="錯誤">
						<thead>
							<tr>
								<th scope="col">列</th>
								<th scope="col">錯誤原因</th>
							</tr>
						</thead>
						<tbody>
							{v.errors.map((e) => (
								<tr>
									<td class="roster-line">第 {e.line} 列</td>
									<td>
										<ul>
											{e.reasons.map((reason) => (
												<li>{reason}</li>
											))}
										</ul>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</>
			) : v.rows.length === 0 ? (
				<Notice kind="error">
					沒有需要匯入的{kind.item}（檔案中的{kind.item}都已在{kind.book}中）。
				</Notice>
			) : (
				<Notice>檢查完成，沒有錯誤。確認下列{kind.content}無誤後，請按「確認匯入」。</Notice>
			)}
			{v.token && (
				<form method="post" action={`${kind.path}/confirm`} class="roster-confirm">
					<input type="hidden" name="token" value={v.token} />
					<button type="submit" class="primary">
						確認匯入
					</button>
					<a href={kind.path}>取消</a>
				</form>
			)}
			{v.rows.length > 0 && (
				<section>
					<h2>{v.errors.length ? "沒有錯誤的列" : `將匯入的${kind.item}`}</h2>
					<RowsTable rows={v.rows} label="可匯入" />
				</section>
			)}
			{v.skipped.length > 0 && (
				<section>
					<h2>已在{kind.book}中（將略過）</h2>
					<RowsTable rows={v.skipped} label="將略過" />
				</section>
			)}
			<h2>重新上傳</h2>
			<CsvImportForm kind={kind} />
		</AdminLayout>
	);
}
