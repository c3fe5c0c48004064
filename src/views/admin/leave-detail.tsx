// One leave request for the clerk: who, which sessions, remark and proof files, its history, and
// what can still be done (approve / reject while pending, revoke within the window when approved).
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiDate, taipeiTime } from "../../domain/taipei-time";
import type { LeaveDetail } from "../../services/leave-queue";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

const when = (instant: number) => `${formatRocDate(taipeiDate(instant))} ${taipeiTime(instant)}`;

export const LeaveDetailPage: FC<{
	staff: StaffMember;
	unitName: string;
	request: LeaveDetail;
	message?: { kind: "ok" | "error"; text: string } | undefined;
}> = ({ staff, unitName, request: r, message }) => (
	<AdminLayout title={`假單 #${r.id}`} staff={staff} unitName={unitName} current="/admin/leave">
		{message && <Notice kind={message.kind}>{message.text}</Notice>}
		<dl class="card detail-list">
			<dt>學員</dt>
			<dd>
				{r.trainee.name}（{r.trainee.nationalIdMasked}）
			</dd>
			<dt>班級</dt>
			<dd>
				{r.class.code} {r.class.name}
			</dd>
			<dt>假別</dt>
			<dd>{r.typeName}</dd>
			<dt>時段</dt>
			<dd>
				{r.sessions.map((s) => (
					<div>
						{formatRocDate(s.date)} {taipeiTime(s.startsAt)}–{taipeiTime(s.endsAt)} {s.subject}（{s.hours}{" "}
						小時）
					</div>
				))}
				<div>共 {r.hours} 小時</div>
			</dd>
			<dt>申請時間</dt>
			<dd>{when(r.submittedAt)}</dd>
			<dt>備註</dt>
			<dd class="remark">{r.remark ?? "（無）"}</dd>
			<dt>證明文件</dt>
			<dd>
				{r.files.length === 0
					? "（無）"
					: r.files.map((f) => (
							<div>
								<a href={`/admin/leave/${r.id}/attachments/${f.id}`} target="_blank" rel="noopener">
									{f.fileName}
								</a>{" "}
								<span class="muted">（{Math.max(1, Math.round(f.size / 1024))} KB）</span>
							</div>
						))}
			</dd>
			<dt>狀態</dt>
			<dd>
				<span class={`status ${r.status}`}>{r.statusLabel}</span>
				{r.reviewedAt && <span class="muted"> 審核於 {when(r.reviewedAt)}</span>}
			</dd>
			<dt>審核備註</dt>
			<dd class="remark">{r.reviewRemark ?? "（無）"}</dd>
			<dt>已核准請假時數</dt>
			<dd>
				{r.approvedHours}
				{r.status === "pending" && ` → 核准後 ${r.hoursIfApproved}`}（計畫上限提醒 {r.warning.threshold}{" "}
				小時）
			</dd>
		</dl>

		{r.status === "pending" && (
			<form method="post" action="/admin/leave/review" class="actions">
				<input type="hidden" name="ids" value={String(r.id)} />
				<input type="hidden" name="back" value={`/admin/leave/${r.id}`} />
				<label class="field">
					審核備註（駁回時請說明原因）
					<input type="text" name="remark" maxlength={200} />
				</label>
				<button type="submit" name="decision" value="approved" class="primary">
					核准
				</button>
				<button
					type="submit"
					name="decision"
					value="rejected"
					class="danger"
					data-confirm="確定要駁回這張假單嗎？"
				>
					駁回
				</button>
			</form>
		)}
		{r.revokeUntil !== null && Date.now() < r.revokeUntil && (
			<form method="post" action={`/admin/leave/${r.id}/revoke`} class="actions">
				<label class="field">
					撤銷原因（必填，學員會收到通知）
					<input type="text" name="reason" maxlength={200} required />
				</label>
				<button type="submit" class="danger" data-confirm="確定要撤銷這張已通過的假單嗎？">
					撤銷已通過的假單
				</button>
				<span class="muted">可撤銷至 {when(r.revokeUntil - 1000)}</span>
			</form>
		)}
		<p>
			<a href="/admin/leave">回請假審核</a>
		</p>
	</AdminLayout>
);
