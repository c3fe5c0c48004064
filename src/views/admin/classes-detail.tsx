// One class: its data, the attendance matrix (trainees × sessions) for a date range, the timetable
// of that range, the roster, and links to the CSV exports.
import type { FC } from "hono/jsx";
import { ATTENDANCE_STATUS_LABELS, type AttendanceStatus } from "../../domain/attendance-status";
import { maskEmail } from "../../domain/email";
import { maskTaiwanMobile } from "../../domain/phone";
import { formatRocDate } from "../../domain/roc-date";
import { taipeiTime, weekdayLabel } from "../../domain/taipei-time";
import {
	type AttendanceCell,
	type ClassAttendance,
	type ClassSession,
	MATRIX_MAX_SESSIONS,
	type UnitClass,
} from "../../services/class-overview";
import type { UnitTeacher } from "../../services/session-schedule";
import type { StaffMember } from "../../services/staff-auth";
import type { TimetableClass } from "../../services/timetable-rows";
import { period } from "./classes";
import { AdminLayout, Notice } from "./layout";
import { AddSessionForm, emptySessionForm } from "./session-edit";

export type ClassDetailView = {
	staff: StaffMember;
	unitName: string;
	klass: UnitClass;
	range: { from: string; to: string };
	data: ClassAttendance;
	error?: string | undefined;
	/** The 新增節次 form's class and teachers; the page shows no form without it. */
	scheduling?: { klass: TimetableClass; teachers: UnitTeacher[] } | null;
	/** What was just done to a session (新增, 編輯, 停課). */
	notice?: { kind: "ok" | "error"; text: string } | undefined;
};

/** The matrix's one-letter marks; 遲到早退 shows as 遲 (its title says both). */
const MARK: Record<AttendanceStatus, { letter: string; tone: string }> = {
	present: { letter: "出", tone: "present" },
	late: { letter: "遲", tone: "late" },
	early_leave: { letter: "早", tone: "early" },
	late_and_early_leave: { letter: "遲", tone: "late" },
	no_check_in: { letter: "未", tone: "missing" },
	no_check_out: { letter: "未", tone: "missing" },
	leave: { letter: "假", tone: "leave" },
	absent: { letter: "曠", tone: "absent" },
	pending: { letter: "", tone: "pending" },
};

const LEGEND: [string, string, string][] = [
	["出", "present", "出席"],
	["遲", "late", "遲到"],
	["早", "early", "早退"],
	["假", "leave", "請假"],
	["曠", "absent", "曠課"],
	["未", "missing", "未簽到／未簽退"],
	["", "pending", "尚未結束"],
];

const sessionTime = (s: ClassSession) => `${taipeiTime(s.startsAt)}–${taipeiTime(s.endsAt)}`;
const shortDate = (date: string) => formatRocDate(date).slice(-5);

/** "115/12/04 09:00–12:00 工業安全衛生": built once per session, not per cell of the matrix. */
const sessionLabel = (s: ClassSession) => `${formatRocDate(s.date)} ${sessionTime(s)} ${s.subject}`;

function cellTitle(name: string, s: ClassSession, when: string, cell: AttendanceCell): string {
	if (s.cancelled) return `${when}：停課`;
	if (!cell) return `${name} ${when}：—`;
	const leave = cell.leaveTypeName ? `（${cell.leaveTypeName}）` : "";
	return `${name} ${when}：${ATTENDANCE_STATUS_LABELS[cell.status]}${leave}`;
}

export const ClassDetailPage: FC<ClassDetailView> = ({
	staff,
	unitName,
	klass,
	range,
	data,
	error,
	scheduling,
	notice,
}) => {
	const base = `/admin/classes/${klass.id}`;
	const rangeQuery = `from=${range.from}&to=${range.to}`;
	const active = data.roster.filter((p) => p.status === "active").length;
	const labels = new Map(data.sessions.map((s) => [s.id, sessionLabel(s)]));
	return (
		<AdminLayout
			title={`${klass.code} ${klass.name}`}
			staff={staff}
			unitName={unitName}
			current="/admin/classes"
		>
			<p class="muted">
				<a href="/admin/classes">← 班級列表</a>
			</p>
			{error && <Notice kind="error">{error}</Notice>}
			<dl class="facts card">
				<div>
					<dt>訓練單位</dt>
					<dd>{klass.unitName}</dd>
				</div>
				<div>
					<dt>計畫</dt>
					<dd>{klass.plan.name}</dd>
				</div>
				<div>
					<dt>訓練期間</dt>
					<dd>{period(klass.startDate, klass.endDate)}</dd>
				</div>
				<div>
					<dt>上課地點</dt>
					<dd>{klass.location ?? "—"}</dd>
				</div>
				<div>
					<dt>總時數</dt>
					<dd>{klass.totalHours} 小時</dd>
				</div>
				<div>
					<dt>在訓人數</dt>
					<dd>{active} 人</dd>
				</div>
			</dl>

			<form method="get" action={base} class="filters" aria-label="日期範圍">
				<label>
					日期從
					<input type="date" name="from" value={range.from} required />
				</label>
				<label>
					到
					<input type="date" name="to" value={range.to} required />
				</label>
				<button type="submit">顯示</button>
				<span class="exports">
					<a href={`${base}/export.csv?kind=attendance&${rangeQuery}`} download>
						匯出出勤 CSV
					</a>
					<a href={`${base}/export.xlsx?kind=attendance&${rangeQuery}`} download>
						匯出出勤 Excel
					</a>
					<a href={`${base}/export.csv?kind=leave&${rangeQuery}`} download>
						匯出請假 CSV
					</a>
					<a href={`${base}/export.xlsx?kind=leave&${rangeQuery}`} download>
						匯出請假 Excel
					</a>
				</span>
			</form>
			<nav class="jump" aria-label="本頁內容">
				<a href="#attendance">出缺勤</a>
				<a href="#timetable">課表</a>
				<a href="#roster">學員名冊</a>
			</nav>

			<section id="attendance" aria-labelledby="attendance-title">
				<h2 id="attendance-title">
					出缺勤 {formatRocDate(range.from)}～{formatRocDate(range.to)}
				</h2>
				<ul class="legend" aria-label="圖例">
					{LEGEND.map(([letter, tone, label]) => (
						<li>
							<span class={`att ${tone}`}>{letter}</span>
							{label}
						</li>
					))}
					<li>
						<span class="att off">／</span>停課
					</li>
				</ul>
				{data.truncated && (
					<Notice kind="error">
						這段期間超過 {MATRIX_MAX_SESSIONS} 節課，只顯示前 {MATRIX_MAX_SESSIONS} 節，請縮小日期範圍。
					</Notice>
				)}
				{data.sessions.length === 0 || data.roster.length === 0 ? (
					<p>{data.roster.length === 0 ? "這個班級還沒有學員。" : "這段期間沒有課程。"}</p>
				) : (
					<section class="matrix-wrap" tabindex={0} aria-label="出缺勤表（可左右捲動）">
						<table class="matrix">
							<thead>
								<tr>
									<th scope="col" class="who">
										座號 姓名
									</th>
									{data.sessions.map((s) => (
										<th
											scope="col"
											class={s.cancelled ? "off" : ""}
											title={`${labels.get(s.id)}${s.cancelled ? "（停課）" : ""}`}
										>
											<span class="d">{shortDate(s.date)}</span>
											<span class="w">{weekdayLabel(s.date).slice(1)}</span>
											<span class="t">{taipeiTime(s.startsAt)}</span>
										</th>
									))}
								</tr>
							</thead>
							<tbody>
								{data.roster.map((p) => (
									<tr class={p.status === "withdrawn" ? "withdrawn" : ""}>
										<th scope="row" class="who">
											<span class="seat">{p.seatNo ?? "—"}</span> {p.name}
											{p.status === "withdrawn" && <span class="muted">（退訓）</span>}
										</th>
										{data.sessions.map((s) => {
											const cell = data.cells.get(p.personId)?.get(s.id) ?? null;
											const mark = s.cancelled
												? { letter: "／", tone: "off" }
												: cell
													? MARK[cell.status]
													: { letter: "—", tone: "off" };
											return (
												<td
													class={`att ${mark.tone}`}
													title={cellTitle(p.name, s, labels.get(s.id) ?? "", cell)}
												>
													{mark.letter}
												</td>
											);
										})}
									</tr>
								))}
							</tbody>
						</table>
					</section>
				)}
			</section>

			<section id="timetable" aria-labelledby="timetable-title">
				<h2 id="timetable-title">課表</h2>
				{notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
				{scheduling && (
					<AddSessionForm
						klass={scheduling.klass}
						teachers={scheduling.teachers}
						values={emptySessionForm()}
					/>
				)}
				{data.sessions.length === 0 ? (
					<p>這段期間沒有課程。</p>
				) : (
					<table class="grid">
						<thead>
							<tr>
								<th scope="col">日期</th>
								<th scope="col">時間</th>
								<th scope="col">課程</th>
								<th scope="col">教師</th>
								<th scope="col">教室</th>
								<th scope="col">狀態</th>
								<th scope="col">修改</th>
							</tr>
						</thead>
						<tbody>
							{data.sessions.map((s) => (
								<tr class={s.cancelled ? "cancelled" : ""}>
									<td>
										{formatRocDate(s.date)}（{weekdayLabel(s.date).slice(1)}）
									</td>
									<td>{sessionTime(s)}</td>
									<td class="wrap">{s.subject}</td>
									<td>{s.teacherName ?? "—"}</td>
									<td class="wrap">{s.room ?? "—"}</td>
									<td class="wrap">
										{s.cancelled ? `停課${s.cancelReason ? `：${s.cancelReason}` : ""}` : "上課"}
									</td>
									<td>
										{!s.cancelled && (
											<a href={`/admin/sessions/${s.id}/edit`} aria-label={`編輯或停課 ${labels.get(s.id)}`}>
												編輯／停課
											</a>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</section>

			<section id="roster" aria-labelledby="roster-title">
				<h2 id="roster-title">學員名冊（{data.roster.length} 人）</h2>
				{data.roster.length === 0 ? (
					<p>這個班級還沒有學員。</p>
				) : (
					<table class="grid">
						<thead>
							<tr>
								<th scope="col">座號</th>
								<th scope="col">姓名</th>
								<th scope="col">身分證字號</th>
								<th scope="col">手機</th>
								<th scope="col">電子郵件</th>
								<th scope="col">狀態</th>
							</tr>
						</thead>
						<tbody>
							{data.roster.map((p) => (
								<tr>
									<td>{p.seatNo ?? "—"}</td>
									<td>{p.name}</td>
									<td>{p.nationalIdMasked}</td>
									<td>{p.phone ? maskTaiwanMobile(p.phone) : "—"}</td>
									<td>{p.email ? maskEmail(p.email) : "—"}</td>
									<td>{p.status === "active" ? "在訓" : "退訓"}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</section>
		</AdminLayout>
	);
};
