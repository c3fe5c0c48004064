// 稽核紀錄: the filter form (GET, so a filtered view is a link one can share), the entries newest
// first with what changed, and 較舊 pages. Long values are cut with the whole text in a tooltip.
import type { FC } from "hono/jsx";
import {
	AUDIT_ACTION_LABELS,
	AUDIT_ACTIONS,
	AUDIT_ENTITY_LABELS,
	AUDIT_ENTITY_TYPES,
} from "../../domain/audit-vocabulary";
import type { AuditFilterOptions } from "../../services/audit-log-filters";
import { AUDIT_EXPORT_MAX } from "../../services/audit-log-query";
import type { StaffMember } from "../../services/staff-auth";
import type { AuditEntryView } from "./audit-format";
import { AdminLayout, Notice } from "./layout";

export const AUDIT_PATH = "/admin/audit";

/** The filter fields as the query string carries them (what was typed, shown again as is). */
export const AUDIT_FORM_FIELDS = [
	"from",
	"to",
	"action",
	"actor",
	"entityType",
	"entityId",
	"unitId",
] as const;
export type AuditFormValues = Record<(typeof AUDIT_FORM_FIELDS)[number], string>;

export type AuditLogView = {
	staff: StaffMember;
	unitName: string;
	values: AuditFormValues;
	options: AuditFilterOptions;
	entries: AuditEntryView[];
	/** The query of the next (older) page's cursor, or null on the last page. */
	next: string | null;
	firstPage: boolean;
	error?: string | undefined;
};

/** The filters as a query string ("" when none), the page cursor left out. */
export function auditQuery(values: Partial<AuditFormValues>, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) params.set(k, v);
	const text = params.toString();
	return text ? `?${text}` : "";
}

const MAX_SHOWN = 80;

/** At most `max` characters (whole emoji kept), the full text in a tooltip when cut. */
const Short: FC<{ text: string; max?: number }> = ({ text, max = MAX_SHOWN }) => {
	const chars = Array.from(text);
	if (chars.length <= max) return <>{text}</>;
	return <span title={chars.slice(0, 1000).join("")}>{`${chars.slice(0, max).join("")}…`}</span>;
};

const Changes: FC<{ entry: AuditEntryView }> = ({ entry }) =>
	entry.changes.length === 0 ? (
		<span class="muted">—</span>
	) : (
		<ul class="audit-diff">
			{entry.changes.map((c) => (
				<li>
					<span class="audit-key">{c.key}</span>{" "}
					{c.before === null ? (
						<span class="muted">（無）</span>
					) : (
						<del>
							<Short text={c.before} />
						</del>
					)}
					<span class="audit-arrow"> → </span>
					{c.after === null ? (
						<span class="muted">（無）</span>
					) : (
						<ins>
							<Short text={c.after} />
						</ins>
					)}
				</li>
			))}
		</ul>
	);

const Entry: FC<{ entry: AuditEntryView; allUnits: boolean }> = ({ entry, allUnits }) => (
	<tr id={`a-${entry.id}`} data-audit-id={String(entry.id)}>
		<td class="audit-when">
			<time datetime={entry.iso}>
				{entry.rocDate} {entry.time.slice(0, 5)}
			</time>
			<span class="western muted">{entry.date}</span>
		</td>
		{allUnits && <td>{entry.unitName ?? <span class="muted">未歸屬單位</span>}</td>}
		<td class="audit-actor">
			<Short text={entry.actor} max={40} />
		</td>
		<td>{entry.action}</td>
		<td class="audit-what">
			{entry.entity.map((part) =>
				part.href ? (
					<a class="audit-part" href={part.href}>
						<Short text={part.label} max={60} />
					</a>
				) : (
					<span class="audit-part">
						<Short text={part.label} max={60} />
					</span>
				),
			)}
			<a class="audit-history" href={`${AUDIT_PATH}${auditQuery(entry.entityFilter)}`}>
				只看這筆的紀錄
			</a>
		</td>
		<td class="audit-reason">{entry.reason ? <Short text={entry.reason} max={120} /> : "—"}</td>
		<td class="audit-changes">
			<Changes entry={entry} />
		</td>
	</tr>
);

export const AuditLogPage: FC<AuditLogView> = (v) => {
	const allUnits = v.staff.unitId === null;
	const query = auditQuery(v.values);
	return (
		<AdminLayout title="稽核紀錄" staff={v.staff} unitName={v.unitName} current={AUDIT_PATH}>
			{v.error && <Notice kind="error">{v.error}</Notice>}
			<form method="get" action={AUDIT_PATH} class="filters" aria-label="篩選稽核紀錄">
				<label>
					日期從
					<input type="date" name="from" value={v.values.from} />
				</label>
				<label>
					到
					<input type="date" name="to" value={v.values.to} />
				</label>
				<label>
					動作
					<select name="action">
						<option value="">全部</option>
						{AUDIT_ACTIONS.map((a) => (
							<option value={a} selected={v.values.action === a}>
								{AUDIT_ACTION_LABELS[a]}
							</option>
						))}
					</select>
				</label>
				<label>
					操作者
					<select name="actor">
						<option value="">全部</option>
						<option value="system" selected={v.values.actor === "system"}>
							系統
						</option>
						<option value="line_user" selected={v.values.actor === "line_user"}>
							LINE 使用者
						</option>
						<option value="staff" selected={v.values.actor === "staff"}>
							管理後台人員（全部）
						</option>
						{v.options.staff.length > 0 && (
							<optgroup label="管理後台人員">
								{v.options.staff.map((s) => (
									<option value={`staff:${s.id}`} selected={v.values.actor === `staff:${s.id}`}>
										{s.name}
									</option>
								))}
							</optgroup>
						)}
					</select>
				</label>
				<label>
					對象類型
					<select name="entityType">
						<option value="">全部</option>
						{AUDIT_ENTITY_TYPES.map((t) => (
							<option value={t} selected={v.values.entityType === t}>
								{AUDIT_ENTITY_LABELS[t]}
							</option>
						))}
					</select>
				</label>
				<label>
					對象編號
					<input
						type="text"
						name="entityId"
						value={v.values.entityId}
						maxlength={100}
						inputmode="numeric"
						placeholder="例：假單編號 123"
					/>
				</label>
				{allUnits && (
					<label>
						訓練單位
						<select name="unitId">
							<option value="">全部</option>
							<option value="none" selected={v.values.unitId === "none"}>
								未歸屬單位（勞發署帳號、LINE 綁定）
							</option>
							{v.options.units.map((u) => (
								<option value={String(u.id)} selected={v.values.unitId === String(u.id)}>
									{u.name}
								</option>
							))}
						</select>
					</label>
				)}
				<button type="submit">篩選</button>
				<a href={AUDIT_PATH}>清除條件</a>
			</form>
			<p class="audit-tools">
				<a href={`${AUDIT_PATH}/export.csv${query}`}>匯出 CSV（依目前條件）</a>
				<span class="muted">
					時間皆為台北時間；每頁 50 筆，最新的在前；匯出最多 {AUDIT_EXPORT_MAX.toLocaleString("en-US")} 筆。
				</span>
			</p>
			{v.entries.length === 0 ? (
				<p>{v.error ? "請修正查詢條件後再試。" : "沒有符合條件的紀錄。"}</p>
			) : (
				<div class="audit-wrap">
					<table class="grid audit-log">
						<thead>
							<tr>
								<th scope="col">時間</th>
								{allUnits && <th scope="col">訓練單位</th>}
								<th scope="col">操作者</th>
								<th scope="col">動作</th>
								<th scope="col">對象</th>
								<th scope="col">原因</th>
								<th scope="col">變更內容</th>
							</tr>
						</thead>
						<tbody>
							{v.entries.map((entry) => (
								<Entry entry={entry} allUnits={allUnits} />
							))}
						</tbody>
					</table>
				</div>
			)}
			{(!v.firstPage || v.next) && (
				<nav class="pager" aria-label="稽核紀錄分頁">
					{!v.firstPage && <a href={`${AUDIT_PATH}${query}`}>← 回到最新</a>}
					{v.next && (
						<a href={`${AUDIT_PATH}${v.next}`} rel="next">
							較舊 →
						</a>
					)}
				</nav>
			)}
		</AdminLayout>
	);
};
