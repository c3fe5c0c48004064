// 出勤 of one session: everyone expected with their 簽到/簽退 and status, an inline correction form
// per person, and the session's punch log (accepted and refused) newest first.
import type { FC } from "hono/jsx";
import { ATTENDANCE_STATUS_LABELS, type PunchAction, type PunchMethod } from "../../domain/attendance-status";
import { PUNCH_REFUSAL_MESSAGES, type PunchRefusal } from "../../domain/punch-rules";
import { formatRocDate } from "../../domain/roc-date";
import { LINE_ROLE_LABELS } from "../../domain/roles";
import { taipeiDate, taipeiTime, weekdayLabel } from "../../domain/taipei-time";
import type { PunchLogEntry, SessionSheetHead, SheetPerson } from "../../services/session-punches";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

export const PUNCH_METHOD_LABELS: Record<PunchMethod, string> = {
	session_qr: "QR",
	personal_qr: "個人QR",
	short_code: "數字碼",
	manual: "人工",
};
const ACTION_LABELS: Record<PunchAction, string> = { check_in: "簽到", check_out: "簽退" };

/** What the clerk typed, shown again when the correction was refused. */
export type CorrectionFormValues = { checkIn: string; checkOut: string; mark: string; reason: string };

export type SessionPunchesView = {
	staff: StaffMember;
	unitName: string;
	head: SessionSheetHead;
	people: SheetPerson[];
	leaveOptions: { code: string; name: string }[];
	log: PunchLogEntry[];
	page: number;
	hasMore: boolean;
	message?: { kind: "ok" | "error"; text: string } | undefined;
	/** The person whose correction was refused, with what was typed. */
	failed?: { personId: number; values: CorrectionFormValues; message: string } | undefined;
};

const stamp = (instant: number, sessionDate: string) => {
	const date = taipeiDate(instant);
	return date === sessionDate ? taipeiTime(instant) : `${formatRocDate(date)} ${taipeiTime(instant)}`;
};

const refusalText = (reason: string | null) =>
	reason && reason in PUNCH_REFUSAL_MESSAGES
		? PUNCH_REFUSAL_MESSAGES[reason as PunchRefusal]
		: (reason ?? "");

const Punch: FC<{ at: number | null; method: PunchMethod | null; date: string }> = ({ at, method, date }) =>
	at === null ? (
		<span class="muted">—</span>
	) : (
		<>
			<span class="time">{stamp(at, date)}</span>
			{method && <span class={`method ${method}`}>{PUNCH_METHOD_LABELS[method]}</span>}
		</>
	);

const defaultValues = (p: SheetPerson): CorrectionFormValues => ({
	checkIn: p.checkInAt === null ? "" : taipeiTime(p.checkInAt),
	checkOut: p.checkOutAt === null ? "" : taipeiTime(p.checkOutAt),
	mark: p.leaveType
		? `leave:${p.leaveType.code}`
		: p.correction && (p.status === "present" || p.status === "absent")
			? p.status
			: "punches",
	reason: "",
});

const CorrectionForm: FC<{
	v: SessionPunchesView;
	person: SheetPerson;
	values: CorrectionFormValues;
	error?: string | undefined;
}> = ({ v, person, values, error }) => {
	const id = `c${person.personId}`;
	return (
		<details class="correct" open={error !== undefined}>
			<summary aria-label={`更正 ${person.name} 的出勤`}>更正</summary>
			<form
				method="post"
				action={`/admin/sessions/${v.head.id}/punches/${person.personId}/correct`}
				class="correct-form"
			>
				{error && <p class="notice error">{error}</p>}
				<label for={`${id}-in`}>簽到時間</label>
				<input id={`${id}-in`} type="time" name="checkIn" value={values.checkIn} />
				<label for={`${id}-out`}>簽退時間</label>
				<input id={`${id}-out`} type="time" name="checkOut" value={values.checkOut} />
				<label for={`${id}-mark`}>出勤狀態</label>
				<select id={`${id}-mark`} name="mark">
					<option value="punches" selected={values.mark === "punches"}>
						依簽到退時間判定
					</option>
					<option value="present" selected={values.mark === "present"}>
						出席
					</option>
					<option value="absent" selected={values.mark === "absent"}>
						曠課
					</option>
					<optgroup label="請假（假別）">
						{v.leaveOptions.map((t) => (
							<option value={`leave:${t.code}`} selected={values.mark === `leave:${t.code}`}>
								{t.name}
							</option>
						))}
					</optgroup>
				</select>
				<label for={`${id}-reason`}>更正原因</label>
				<input
					id={`${id}-reason`}
					type="text"
					name="reason"
					value={values.reason}
					maxlength={200}
					required
					placeholder="例：手機沒電，經教師確認 09:05 到課"
				/>
				<p class="hint">時間為 {formatRocDate(v.head.date)} 當天（台北時間）；留空表示沒有這筆打卡。</p>
				<button type="submit" class="primary">
					儲存更正
				</button>
			</form>
		</details>
	);
};

export const SessionPunchesPage: FC<SessionPunchesView> = (v) => {
	const { head } = v;
	const trainees = v.people.filter((p) => p.role === "trainee");
	const checkedIn = trainees.filter((p) => p.checkInAt !== null).length;
	const corrected = v.people.filter((p) => p.correction).length;
	const base = `/admin/sessions/${head.id}/punches`;
	return (
		<AdminLayout title={`出勤 ${head.class.name}`} staff={v.staff} unitName={v.unitName} current="/admin">
			<p class="back">
				<a href="/admin">← 回今日</a>
			</p>
			<section class="card session-head" aria-label="課程">
				<dl>
					<div>
						<dt>日期</dt>
						<dd>
							{formatRocDate(head.date)}（{weekdayLabel(head.date).slice(1)}）
						</dd>
					</div>
					<div>
						<dt>時間</dt>
						<dd>
							{taipeiTime(head.startsAt)}–{taipeiTime(head.endsAt)}
						</dd>
					</div>
					<div>
						<dt>班級</dt>
						<dd>
							{head.class.code} {head.class.name}
						</dd>
					</div>
					<div>
						<dt>課程</dt>
						<dd>{head.cancelled ? `${head.subject}（停課）` : head.subject}</dd>
					</div>
					<div>
						<dt>教室</dt>
						<dd>{head.room ?? "—"}</dd>
					</div>
					<div>
						<dt>教師</dt>
						<dd>{head.teacherName ?? "—"}</dd>
					</div>
				</dl>
				<p class="session-counts">
					已簽到 <span class="count">{checkedIn}</span> / <span class="count">{trainees.length}</span>
					{corrected > 0 && <span class="muted">（已更正 {corrected} 人）</span>}
				</p>
				{!head.cancelled && (
					<p class="tools">
						<a href={`/admin/sessions/${head.id}/display`}>顯示簽到QR</a>
						<a href={`/admin/sessions/${head.id}/scanner`}>掃描學員QR</a>
					</p>
				)}
			</section>

			{v.message && <Notice kind={v.message.kind}>{v.message.text}</Notice>}

			<h2>出缺勤</h2>
			<table class="grid attendance-sheet">
				<thead>
					<tr>
						<th scope="col">座號</th>
						<th scope="col">姓名</th>
						<th scope="col">簽到</th>
						<th scope="col">簽退</th>
						<th scope="col">狀態</th>
						<th scope="col">假別</th>
						<th scope="col">更正</th>
					</tr>
				</thead>
				<tbody>
					{v.people.map((p) => {
						const failed = v.failed?.personId === p.personId ? v.failed : undefined;
						return (
							<tr id={`p-${p.personId}`} class={p.correction ? "corrected" : ""}>
								<td>{p.seatNo ?? "—"}</td>
								<td>
									{p.name}
									{p.role === "teacher" && <span class="badge role">{LINE_ROLE_LABELS.teacher}</span>}
								</td>
								<td>
									<Punch at={p.checkInAt} method={p.checkInMethod} date={head.date} />
								</td>
								<td>
									<Punch at={p.checkOutAt} method={p.checkOutMethod} date={head.date} />
								</td>
								<td>
									<span class={`att-status att-${p.status}`}>{ATTENDANCE_STATUS_LABELS[p.status]}</span>
									{p.correction && (
										<div class="corrected-note">
											<span class="badge corrected">已更正</span>
											<span class="muted">
												{p.correction.byName ?? "—"}・{stamp(p.correction.at, head.date)}
											</span>
											<br />
											<span class="reason">{p.correction.reason}</span>
										</div>
									)}
								</td>
								<td>{p.leaveType?.name ?? "—"}</td>
								<td class="correct-cell">
									{head.cancelled ? (
										<span class="muted">停課</span>
									) : (
										<CorrectionForm
											v={v}
											person={p}
											values={failed?.values ?? defaultValues(p)}
											error={failed?.message}
										/>
									)}
								</td>
							</tr>
						);
					})}
				</tbody>
			</table>

			<h2 id="log">打卡紀錄</h2>
			{v.log.length === 0 ? (
				<p class="muted">這堂課還沒有打卡紀錄。</p>
			) : (
				<table class="grid punch-log">
					<thead>
						<tr>
							<th scope="col">時間</th>
							<th scope="col">姓名</th>
							<th scope="col">動作</th>
							<th scope="col">方式</th>
							<th scope="col">結果</th>
							<th scope="col">操作人員</th>
						</tr>
					</thead>
					<tbody>
						{v.log.map((e) => (
							<tr class={e.accepted ? "" : "refused"}>
								<td>{stamp(e.at, head.date)}</td>
								<td>
									{e.personName ?? "—"}
									{e.role === "teacher" && <span class="badge role">{LINE_ROLE_LABELS.teacher}</span>}
								</td>
								<td>{ACTION_LABELS[e.action]}</td>
								<td>{PUNCH_METHOD_LABELS[e.method]}</td>
								<td>
									{e.accepted ? (
										<span class="accepted">受理</span>
									) : (
										<span class="refused">未受理：{refusalText(e.reason)}</span>
									)}
								</td>
								<td>{e.byStaffName ?? "—"}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{(v.page > 1 || v.hasMore) && (
				<nav class="pager" aria-label="打卡紀錄分頁">
					{v.page > 1 && <a href={`${base}?page=${v.page - 1}#log`}>← 較新的紀錄</a>}
					<span class="muted">第 {v.page} 頁</span>
					{v.hasMore && <a href={`${base}?page=${v.page + 1}#log`}>較舊的紀錄 →</a>}
				</nav>
			)}
		</AdminLayout>
	);
};
