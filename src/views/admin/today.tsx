// 今日: today's sessions of the unit with attendance so far, and what needs attention.
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiTime } from "../../domain/taipei-time";
import type { StaffMember } from "../../services/staff-auth";
import type { UnitToday } from "../../services/unit-today";
import { AdminLayout } from "./layout";

export const TodayPage: FC<{ staff: StaffMember; unitName: string; date: string; today: UnitToday }> = ({
	staff,
	unitName,
	date,
	today,
}) => (
	<AdminLayout title={`今日 ${formatRocDate(date)}`} staff={staff} unitName={unitName} current="/admin">
		<section class="alerts" aria-label="待處理">
			<a class="alert-tile" href="/admin/leave?status=pending">
				<strong>{today.pendingLeave}</strong> 張待審核假單
			</a>
			<span class="alert-tile">
				<strong>{today.sessions.reduce((n, s) => n + s.absent, 0)}</strong> 人次曠課（已結束的課程）
			</span>
			{staff.role === "agency_admin" && (
				<span class="alert-tile">
					<strong>{today.undeliveredMessages}</strong> 則 LINE 訊息無法送達
				</span>
			)}
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
	</AdminLayout>
);
