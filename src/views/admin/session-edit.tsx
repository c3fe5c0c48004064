// 新增節次 (form on the class page, and its own page when the form had errors), and one session's
// 編輯 page with 停課. Fields that may no longer change are shown read-only, with the reason.
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { MAX_ROOM_LENGTH, MAX_SUBJECT_LENGTH } from "../../domain/session-draft";
import { taipeiTime, weekdayLabel } from "../../domain/taipei-time";
import type { EditableSession, SessionForm } from "../../services/session-edit";
import type { UnitTeacher } from "../../services/session-schedule";
import type { StaffMember } from "../../services/staff-auth";
import type { TimetableClass } from "../../services/timetable-rows";
import { AdminLayout, Notice } from "./layout";

export const emptySessionForm = (date = ""): SessionForm => ({
	date,
	start: "",
	end: "",
	hours: "",
	subject: "",
	teacherId: "",
	room: "",
});

export const sessionFormOf = (s: EditableSession): SessionForm => ({
	date: s.date,
	start: taipeiTime(s.startsAt),
	end: taipeiTime(s.endsAt),
	hours: String(s.hours),
	subject: s.subject,
	teacherId: s.teacherPersonId === null ? "" : String(s.teacherPersonId),
	room: s.room ?? "",
});

const Reasons: FC<{ reasons?: string[] | undefined }> = ({ reasons }) =>
	reasons?.length ? (
		<div class="notice error" role="alert">
			<ul>
				{reasons.map((r) => (
					<li>{r}</li>
				))}
			</ul>
		</div>
	) : null;

/** The session fields; `timesLocked` makes date, times and hours read-only (still sent, unchanged). */
export const SessionFields: FC<{
	idPrefix: string;
	values: SessionForm;
	teachers: UnitTeacher[];
	klass: { startDate: string; endDate: string };
	timesLocked?: string | null | undefined;
}> = ({ idPrefix, values, teachers, klass, timesLocked }) => {
	const id = (name: string) => `${idPrefix}-${name}`;
	const locked = Boolean(timesLocked);
	return (
		<div class="session-fields">
			{timesLocked && <p class="hint">{timesLocked}</p>}
			<label class="field" for={id("date")}>
				日期
				<input
					id={id("date")}
					type="date"
					name="date"
					value={values.date}
					min={klass.startDate}
					max={klass.endDate}
					required
					readonly={locked}
				/>
			</label>
			<label class="field" for={id("start")}>
				開始時間
				<input id={id("start")} type="time" name="start" value={values.start} required readonly={locked} />
			</label>
			<label class="field" for={id("end")}>
				結束時間
				<input id={id("end")} type="time" name="end" value={values.end} required readonly={locked} />
			</label>
			<label class="field" for={id("hours")}>
				時數（空白＝依時間計算）
				<input
					id={id("hours")}
					type="text"
					inputmode="decimal"
					name="hours"
					value={values.hours}
					maxlength={6}
					readonly={locked}
				/>
			</label>
			<label class="field wide" for={id("subject")}>
				課程名稱
				<input
					id={id("subject")}
					type="text"
					name="subject"
					value={values.subject}
					maxlength={MAX_SUBJECT_LENGTH}
					required
				/>
			</label>
			<label class="field" for={id("teacher")}>
				授課教師
				<select id={id("teacher")} name="teacherId">
					<option value="" selected={values.teacherId === ""}>
						（未指定）
					</option>
					{teachers.map((t) => (
						<option value={String(t.id)} selected={values.teacherId === String(t.id)}>
							{t.name}
						</option>
					))}
				</select>
			</label>
			<label class="field" for={id("room")}>
				教室
				<input id={id("room")} type="text" name="room" value={values.room} maxlength={MAX_ROOM_LENGTH} />
			</label>
		</div>
	);
};

export const sessionsPath = (classId: number) => `/admin/classes/${classId}/sessions`;

/** The 新增節次 form as the class page shows it (folded) and as its own page shows it (open). */
export const AddSessionForm: FC<{
	klass: TimetableClass;
	teachers: UnitTeacher[];
	values: SessionForm;
	reasons?: string[] | undefined;
	open?: boolean;
}> = ({ klass, teachers, values, reasons, open }) => (
	<details class="session-add" open={open}>
		<summary>新增節次</summary>
		<form method="post" action={sessionsPath(klass.id)} class="session-form">
			<Reasons reasons={reasons} />
			<p class="hint">
				時間為台北時間。同一班級的節次不能重疊；須在訓練期間（{formatRocDate(klass.startDate)}～
				{formatRocDate(klass.endDate)}）內，且尚未結束。
			</p>
			<SessionFields idPrefix="add" values={values} teachers={teachers} klass={klass} />
			<button type="submit" class="primary">
				新增節次
			</button>
		</form>
	</details>
);

export const AddSessionPage: FC<{
	staff: StaffMember;
	unitName: string;
	klass: TimetableClass;
	teachers: UnitTeacher[];
	values: SessionForm;
	reasons?: string[] | undefined;
}> = (v) => (
	<AdminLayout
		title={`新增節次：${v.klass.code} ${v.klass.name}`}
		staff={v.staff}
		unitName={v.unitName}
		current="/admin/classes"
	>
		<p class="muted">
			<a href={`/admin/classes/${v.klass.id}#timetable`}>← 回班級課表</a>
		</p>
		<AddSessionForm klass={v.klass} teachers={v.teachers} values={v.values} reasons={v.reasons} open />
	</AdminLayout>
);

export type SessionEditView = {
	staff: StaffMember;
	unitName: string;
	session: EditableSession;
	teachers: UnitTeacher[];
	values: SessionForm;
	frozen: string | null;
	timesLocked: string | null;
	cancelReason?: string | undefined;
	editReasons?: string[] | undefined;
	cancelReasons?: string[] | undefined;
};

export const SessionEditPage: FC<SessionEditView> = (v) => {
	const s = v.session;
	const base = `/admin/sessions/${s.id}`;
	const when = `${formatRocDate(s.date)}（${weekdayLabel(s.date).slice(1)}）${taipeiTime(s.startsAt)}–${taipeiTime(s.endsAt)}`;
	return (
		<AdminLayout title={`節次：${s.subject}`} staff={v.staff} unitName={v.unitName} current="/admin/classes">
			<p class="muted">
				<a href={`/admin/classes/${s.klass.id}?from=${s.date}#timetable`}>
					← {s.klass.code} {s.klass.name} 的課表
				</a>
			</p>
			<dl class="facts card">
				<div>
					<dt>日期時間</dt>
					<dd>{when}</dd>
				</div>
				<div>
					<dt>時數</dt>
					<dd>{s.hours} 小時</dd>
				</div>
				<div>
					<dt>授課教師</dt>
					<dd>{s.teacherName ?? "—"}</dd>
				</div>
				<div>
					<dt>教室</dt>
					<dd>{s.room ?? "—"}</dd>
				</div>
				<div>
					<dt>狀態</dt>
					<dd>
						{s.cancelledAt !== null
							? `停課：${s.cancelReason ?? ""}`
							: s.closedAt !== null
								? "已結算出缺勤"
								: "上課"}
					</dd>
				</div>
				<div>
					<dt>請假學員</dt>
					<dd>{s.leave.length} 人（待審核或已通過）</dd>
				</div>
			</dl>
			{v.frozen ? (
				<Notice kind="error">{v.frozen}</Notice>
			) : (
				<>
					<section aria-labelledby="edit-title">
						<h2 id="edit-title">編輯</h2>
						<form method="post" action={`${base}/edit`} class="session-form">
							<Reasons reasons={v.editReasons} />
							<SessionFields
								idPrefix="edit"
								values={v.values}
								teachers={v.teachers}
								klass={s.klass}
								timesLocked={v.timesLocked}
							/>
							<button type="submit" class="primary">
								儲存
							</button>
						</form>
					</section>
					<section aria-labelledby="cancel-title" class="session-cancel">
						<h2 id="cancel-title">停課</h2>
						{s.recorded ? (
							<p>這堂課已有簽到退紀錄，不能停課。若課程中途停止，請到「出缺勤」以更正註記各學員的出勤。</p>
						) : (
							<form method="post" action={`${base}/cancel`} class="session-form">
								<Reasons reasons={v.cancelReasons} />
								<p>
									停課後學員不能對這堂課簽到退或請假。
									{s.leave.length > 0
										? `已對這堂課請假的 ${s.leave.length} 位學員會收到 LINE 停課通知，這堂課的時數也不再計入他們的假單。`
										: "目前沒有學員對這堂課請假。"}
									停課後無法恢復；同一時間也不能再排課。
								</p>
								<label class="field wide" for="cancel-reason">
									停課原因（必填，學員會在通知中看到）
									<input
										id="cancel-reason"
										type="text"
										name="reason"
										value={v.cancelReason ?? ""}
										maxlength={200}
										required
									/>
								</label>
								<button type="submit" class="danger">
									確定停課
								</button>
							</form>
						)}
					</section>
				</>
			)}
		</AdminLayout>
	);
};

/** What the class page says after a session change, from the redirect's query (codes and counts only). */
export function sessionNotice(query: Record<string, string>): { kind: "ok"; text: string } | undefined {
	const count = (key: string) => Math.max(0, Math.min(10_000, Number.parseInt(query[key] ?? "0", 10) || 0));
	switch (query.notice) {
		case "added":
			return { kind: "ok", text: "已新增節次。" };
		case "saved":
			return { kind: "ok", text: "已儲存節次的變更。" };
		case "unchanged":
			return { kind: "ok", text: "節次沒有變更。" };
		case "cancelled": {
			const notified = count("notified");
			const unbound = count("unbound");
			const told = notified ? `已以 LINE 通知 ${notified} 位請假的學員。` : "沒有需要通知的請假學員。";
			const others = unbound ? `另有 ${unbound} 位請假學員尚未綁定 LINE，請另行通知。` : "";
			return { kind: "ok", text: `已停課。${told}${others}` };
		}
		default:
			return undefined;
	}
}
