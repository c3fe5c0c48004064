// 請假審核: the unit's requests with filters; tick several and approve or reject them at once.
import type { FC } from "hono/jsx";
import { LEAVE_WARNING_LABELS } from "../../domain/leave-hours";
import { LEAVE_STATUS_LABELS, LEAVE_STATUSES } from "../../domain/leave-status";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiDate, taipeiTime } from "../../domain/taipei-time";
import type { LeaveQueueFilters, LeaveQueueItem } from "../../services/leave-queue";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

export type LeaveReviewView = {
	staff: StaffMember;
	unitName: string;
	filters: LeaveQueueFilters;
	classes: { id: number; code: string; name: string }[];
	types: { code: string; name: string }[];
	items: LeaveQueueItem[];
	page: number;
	hasMore: boolean;
	message?: { kind: "ok" | "error"; text: string } | undefined;
};

const dateRange = (r: LeaveQueueItem) =>
	r.firstDate === r.lastDate
		? formatRocDate(r.firstDate)
		: `${formatRocDate(r.firstDate)}～${formatRocDate(r.lastDate)}`;

export const LeaveReviewPage: FC<LeaveReviewView> = (v) => {
	const query = (page: number) =>
		`?${new URLSearchParams(
			Object.entries({ ...v.filters, page: String(page) }).filter(
				([, value]) => value !== undefined && value !== "",
			) as [string, string][],
		).toString()}`;
	return (
		<AdminLayout title="請假審核" staff={v.staff} unitName={v.unitName} current="/admin/leave">
			{v.message && <Notice kind={v.message.kind}>{v.message.text}</Notice>}
			<form method="get" action="/admin/leave" class="filters" aria-label="篩選">
				<label>
					狀態
					<select name="status">
						<option value="">全部</option>
						{LEAVE_STATUSES.map((s) => (
							<option value={s} selected={v.filters.status === s}>
								{LEAVE_STATUS_LABELS[s]}
							</option>
						))}
					</select>
				</label>
				<label>
					班級
					<select name="classId">
						<option value="">全部</option>
						{v.classes.map((c) => (
							<option value={String(c.id)} selected={v.filters.classId === c.id}>
								{c.code} {c.name}
							</option>
						))}
					</select>
				</label>
				<label>
					假別
					<select name="typeCode">
						<option value="">全部</option>
						{v.types.map((t) => (
							<option value={t.code} selected={v.filters.typeCode === t.code}>
								{t.name}
							</option>
						))}
					</select>
				</label>
				<label>
					請假日期從
					<input type="date" name="from" value={v.filters.from ?? ""} />
				</label>
				<label>
					到
					<input type="date" name="to" value={v.filters.to ?? ""} />
				</label>
				<button type="submit">篩選</button>
			</form>

			<form method="post" action="/admin/leave/review" class="review">
				<input type="hidden" name="back" value={`/admin/leave${query(v.page)}`} />
				{v.items.length === 0 ? (
					<p>沒有符合條件的假單。</p>
				) : (
					<table class="grid">
						<thead>
							<tr>
								<th scope="col">
									<input type="checkbox" data-select-all="ids" aria-label="全選待審核" />
								</th>
								<th scope="col">學員</th>
								<th scope="col">班級</th>
								<th scope="col">假別</th>
								<th scope="col">請假日期</th>
								<th scope="col">時數</th>
								<th scope="col">已核准請假時數</th>
								<th scope="col">申請時間</th>
								<th scope="col">備註</th>
								<th scope="col">證明</th>
								<th scope="col">狀態</th>
							</tr>
						</thead>
						<tbody>
							{v.items.map((r) => (
								<tr>
									<td>
										{r.status === "pending" && (
											<input
												type="checkbox"
												name="ids"
												value={String(r.id)}
												aria-label={`選取 ${r.trainee.name} 的假單`}
											/>
										)}
									</td>
									<td>
										<a href={`/admin/leave/${r.id}`}>{r.trainee.name}</a>
										<br />
										<span class="muted">{r.trainee.nationalIdMasked}</span>
									</td>
									<td>{r.class.name}</td>
									<td>{r.typeName}</td>
									<td>{dateRange(r)}</td>
									<td>{r.hours}</td>
									<td>
										{r.approvedHours}
										{r.status === "pending" && ` → ${r.hoursIfApproved}`}
										{r.warning.level !== "ok" && (
											<span class={`badge ${r.warning.level}`} title={`上限 ${r.warning.threshold} 小時`}>
												{LEAVE_WARNING_LABELS[r.warning.level]}
											</span>
										)}
									</td>
									<td>
										{formatRocDate(taipeiDate(r.submittedAt))} {taipeiTime(r.submittedAt)}
									</td>
									<td class="remark">{r.remark ?? ""}</td>
									<td>{r.attachments > 0 ? `${r.attachments} 個檔案` : "—"}</td>
									<td>
										<span class={`status ${r.status}`}>{r.statusLabel}</span>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
				<div class="actions">
					<label class="field">
						審核備註（駁回時請說明原因）
						<input type="text" name="remark" maxlength={200} />
					</label>
					<button type="submit" name="decision" value="approved" class="primary">
						核准勾選的假單
					</button>
					<button
						type="submit"
						name="decision"
						value="rejected"
						class="danger"
						data-confirm="確定要駁回勾選的假單嗎？"
					>
						駁回勾選的假單
					</button>
				</div>
			</form>
			<nav class="pager" aria-label="分頁">
				{v.page > 1 && <a href={`/admin/leave${query(v.page - 1)}`}>上一頁</a>}
				<span>第 {v.page} 頁</span>
				{v.hasMore && <a href={`/admin/leave${query(v.page + 1)}`}>下一頁</a>}
			</nav>
		</AdminLayout>
	);
};
