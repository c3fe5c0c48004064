// 今日: today's sessions of the unit with attendance so far, and what needs attention.
import type { Child, FC } from "hono/jsx";
import { LEAVE_WARNING_LABELS } from "../../domain/leave-hours";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiDate, taipeiTime } from "../../domain/taipei-time";
import { UNDELIVERED_REASON_LABELS } from "../../domain/undelivered-reason";
import type { StaffMember } from "../../services/staff-auth";
import type { Listed, UnitAlerts } from "../../services/unit-alerts";
import type { UnitToday } from "../../services/unit-today";
import { AdminLayout } from "./layout";

/** One attention list: a heading with its count, the first rows, and how many more there are. */
const AlertList = <T,>({
	title,
	listed,
	head,
	row,
}: {
	title: string;
	listed: Listed<T>;
	head: string[];
	row: (item: T) => Child;
}) =>
	listed.total === 0 ? null : (
		<section class="alert-list" aria-label={title}>
			<h2>
				{title}（{listed.total}）
			</h2>
			<table class="grid">
				<thead>
					<tr>
						{head.map((h) => (
							<th scope="col">{h}</th>
						))}
					</tr>
				</thead>
				<tbody>{listed.items.map(row)}</tbody>
			</table>
			{listed.total > listed.items.length && (
				<p class="hint">另有 {listed.total - listed.items.length} 筆未列出。</p>
			)}
		</section>
	);

export const TodayPage: FC<{
	staff: StaffMember;
	unitName: string;
	date: string;
	today: UnitToday;
	alerts: UnitAlerts;
}> = ({ staff, unitName, date, today, alerts }) => (
	<AdminLayout title={`今日 ${formatRocDate(date)}`} staff={staff} unitName={unitName} current="/admin">
		<section class="alerts" aria-label="待處理">
			<a class="alert-tile" href="/admin/leave?status=pending">
				<strong>{today.pendingLeave}</strong> 張待審核假單
			</a>
			<span class="alert-tile">
				<strong>{alerts.absent.total}</strong> 人次曠課（已結束的課程）
			</span>
			<span class="alert-tile">
				<strong>{alerts.leaveHours.total}</strong> 位學員請假時數接近或超過上限
			</span>
			<span class="alert-tile">
				<strong>{alerts.undelivered.total}</strong> 則 LINE 通知未送達（7 天內）
			</span>
		</section>
		{today.sessions.length === 0 ? (
			<p>今天沒有課程。</p>
		) : (
			<table class="grid">
				<thead>
					<tr>
						<th scope="col">時間</th>
						<th scope="col">班級</th>
						<th scope="col">課程</th>
						<th scope="col">教室</th>
						<th scope="col">已簽到</th>
						<th scope="col">簽到退</th>
					</tr>
				</thead>
				<tbody>
					{today.sessions.map((s) => (
						<tr class={s.cancelled ? "cancelled" : ""}>
							<td>
								{taipeiTime(s.startsAt)}–{taipeiTime(s.endsAt)}
							</td>
							<td>
								{s.class.code} {s.class.name}
							</td>
							<td>{s.cancelled ? `${s.subject}（停課）` : s.subject}</td>
							<td>{s.room ?? "—"}</td>
							<td>
								<span class="count">
									{s.checkedIn} / {s.expected}
								</span>
							</td>
							<td class="tools">
								{!s.cancelled && (
									<>
										<a href={`/admin/sessions/${s.id}/display`}>顯示簽到QR</a>
										<a href={`/admin/sessions/${s.id}/scanner`}>掃描學員QR</a>
									</>
								)}
								<a href={`/admin/sessions/${s.id}/punches`}>出缺勤</a>
							</td>
						</tr>
					))}
				</tbody>
			</table>
		)}
		<AlertList
			title="今日曠課"
			listed={alerts.absent}
			head={["時間", "班級", "課程", "學員", ""]}
			row={(a) => (
				<tr>
					<td>{taipeiTime(a.startsAt)}</td>
					<td>{a.classCode}</td>
					<td>{a.subject}</td>
					<td>{a.name}</td>
					<td class="tools">
						<a href={`/admin/sessions/${a.sessionId}/punches`}>出缺勤</a>
					</td>
				</tr>
			)}
		/>
		<AlertList
			title="請假時數警示"
			listed={alerts.leaveHours}
			head={["學員", "班級", "已核准請假", "上限", ""]}
			row={(a) => (
				<tr>
					<td>{a.name}</td>
					<td>
						<a href={`/admin/classes/${a.classId}`}>{a.classCode}</a>
					</td>
					<td>{a.approvedHours} 小時</td>
					<td>{a.threshold} 小時</td>
					<td>
						<span class={`badge ${a.level}`}>{LEAVE_WARNING_LABELS[a.level]}</span>
					</td>
				</tr>
			)}
		/>
		<AlertList
			title="LINE 通知未送達（請改以電話聯絡）"
			listed={alerts.undelivered}
			head={["學員", "時間", "原因"]}
			row={(m) => (
				<tr>
					<td>{m.name}</td>
					<td>
						{formatRocDate(taipeiDate(m.createdAt))} {taipeiTime(m.createdAt)}
					</td>
					<td>{UNDELIVERED_REASON_LABELS[m.reason]}</td>
				</tr>
			)}
		/>
	</AdminLayout>
);
