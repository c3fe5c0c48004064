// 新增節次, 編輯 and 停課 of one session from the dashboard. Each change is one D1 batch with its audit
// entry; a new or moved session also carries the overlap guard, so two clerks cannot make a clash.
//
// What may change when (the reasons are told to the clerk):
// - A closed-out session (closedAt: final statuses written) and a cancelled one change no more.
// - Subject, teacher and room may be corrected until then, also after people punched.
// - Date, times and hours are fixed once the session has started, once anyone's attendance is
//   recorded (late / early were judged against the old times), and while trainees have pending or
//   approved leave over it (they asked for that time): cancel it and add a new session instead.
// - 停課 is refused once attendance is recorded (correct it in 出缺勤 instead). It frees trainees
//   with leave from it: their requests lose the session's hours, and each gets one LINE notice.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import type { Db } from "../db/client";
import {
	auditLog,
	classes,
	leaveRequestSessions,
	leaveRequests,
	lineBindings,
	outbox,
	people,
	sessions,
} from "../db/schema";
import {
	conflictMessage,
	MAX_ROOM_LENGTH,
	MAX_SUBJECT_LENGTH,
	type SessionTimes,
	scheduleConflict,
	scheduleProblem,
	sessionTimes,
} from "../domain/session-draft";
import type { Settings } from "../env";
import { sessionCancelledMessages } from "../line/session-messages";
import {
	classSessionsBetween,
	hasRecordedAttendance,
	isScheduleClash,
	overlapGuard,
	timetableClassColumns,
	unitTeachers,
} from "./session-schedule";
import type { TimetableClass } from "./timetable-rows";
import { sessionText } from "./timetable-rows";

export type SessionEditDeps = { db: Db; now: number };
export type Editor = { staffId: number; unitId: number | null; requestId?: string | null };

/** The form as posted: date (西元 or 民國), "HH:mm" times, optional hours, teacher person id or "". */
export type SessionForm = {
	date: string;
	start: string;
	end: string;
	hours: string;
	subject: string;
	teacherId: string;
	room: string;
};

export type ChangeOutcome<T> =
	| ({ ok: true } & T)
	| { ok: false; code: "NOT_FOUND" | "CONFLICT" | "VALIDATION_FAILED"; reasons: string[] };

const refused = (code: "NOT_FOUND" | "CONFLICT" | "VALIDATION_FAILED", ...reasons: string[]) =>
	({ ok: false, code, reasons }) as const;

const scoped = (unitId: number | null) => (unitId === null ? undefined : eq(classes.unitId, unitId));

/** The class, if it is the member's unit's (null otherwise: answered as not found). */
export async function scheduleClass(
	db: Db,
	unitId: number | null,
	classId: number,
): Promise<TimetableClass | null> {
	const row = await db
		.select(timetableClassColumns)
		.from(classes)
		.where(and(eq(classes.id, classId), scoped(unitId)))
		.get();
	return row ?? null;
}

export type EditableSession = {
	id: number;
	klass: TimetableClass;
	date: string;
	startsAt: number;
	endsAt: number;
	hours: number;
	subject: string;
	teacherPersonId: number | null;
	teacherName: string | null;
	room: string | null;
	cancelledAt: number | null;
	cancelReason: string | null;
	closedAt: number | null;
	updatedAt: number;
	/** Someone's attendance is recorded (an accepted punch or a clerk's entry). */
	recorded: boolean;
	/** Trainees with a pending or approved request covering the session. */
	leave: { personId: number; requestId: number; lineUserId: string | null }[];
};

/** One session of the member's unit with what the rules above need; null for another unit's. */
export async function editableSession(
	db: Db,
	unitId: number | null,
	sessionId: number,
): Promise<EditableSession | null> {
	const row = await db
		.select({ session: sessions, klass: timetableClassColumns, teacherName: people.name })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.leftJoin(people, eq(people.id, sessions.teacherPersonId))
		.where(and(eq(sessions.id, sessionId), scoped(unitId)))
		.get();
	if (!row) return null;
	const [recorded, leave] = await Promise.all([
		hasRecordedAttendance(db, sessionId),
		db
			.select({
				personId: leaveRequestSessions.personId,
				requestId: leaveRequestSessions.leaveRequestId,
				lineUserId: lineBindings.lineUserId,
			})
			.from(leaveRequestSessions)
			.innerJoin(leaveRequests, eq(leaveRequests.id, leaveRequestSessions.leaveRequestId))
			.leftJoin(
				lineBindings,
				and(eq(lineBindings.personId, leaveRequestSessions.personId), eq(lineBindings.role, "trainee")),
			)
			.where(
				and(
					eq(leaveRequestSessions.sessionId, sessionId),
					eq(leaveRequestSessions.active, 1),
					inArray(leaveRequests.status, ["pending", "approved"]),
				),
			),
	]);
	const { session: s, klass } = row;
	return {
		id: s.id,
		klass,
		date: s.date,
		startsAt: s.startsAt,
		endsAt: s.endsAt,
		hours: s.hours,
		subject: s.subject,
		teacherPersonId: s.teacherPersonId,
		teacherName: row.teacherName,
		room: s.room,
		cancelledAt: s.cancelledAt,
		cancelReason: s.cancelReason,
		closedAt: s.closedAt,
		updatedAt: s.updatedAt,
		recorded,
		leave,
	};
}

/** Why the date and times of this session are fixed now, or null. */
export function timesLockedReason(s: EditableSession, now: number): string | null {
	if (s.startsAt <= now) return "這堂課已經開始，不能再改日期或時間。";
	if (s.recorded) return "這堂課已有簽到退紀錄（遲到、早退是依原時間判定），不能改日期或時間。";
	if (s.leave.length)
		return `已有 ${s.leave.length} 位學員對這堂課請假（待審核或已通過），不能改日期或時間：假單是依原時段申請的。如需改期，請將這堂課停課（學員會收到 LINE 通知），再新增節次。`;
	return null;
}

/** Why the session cannot change (or be cancelled) at all, or null. */
export function frozenReason(s: EditableSession): string | null {
	if (s.cancelledAt !== null) return "這堂課已停課，不能再修改。";
	if (s.closedAt !== null) return "這堂課已結算出缺勤，不能修改或停課；出勤如需更正，請到「出缺勤」頁。";
	return null;
}

/** The member's unit's session while it may still change; otherwise why not (not found, frozen). */
async function changeableSession(db: Db, unitId: number | null, sessionId: number) {
	const current = await editableSession(db, unitId, sessionId);
	if (!current) return refused("NOT_FOUND", "找不到這堂課");
	const frozen = frozenReason(current);
	return frozen ? refused("CONFLICT", frozen) : { ok: true as const, current };
}

type SessionAudit = Pick<
	typeof auditLog.$inferInsert,
	"unitId" | "action" | "entityId" | "before" | "after" | "reason"
>;

/** The editor's audit entry on a session, in the change's batch; written only if `guard` finds the change. */
const auditIf = (
	db: Db,
	editor: Editor,
	now: number,
	entry: SessionAudit,
	guard: Parameters<typeof insertIf>[3],
) =>
	insertIf(
		db,
		auditLog,
		{
			at: now,
			actorType: "staff",
			actorId: String(editor.staffId),
			entityType: "session",
			requestId: editor.requestId ?? null,
			...entry,
		},
		guard,
	);

type Draft = SessionTimes & { subject: string; teacherPersonId: number | null; room: string | null };

/** The form read into a session of `klass`, or every reason it cannot be one. */
async function readForm(
	db: Db,
	klass: TimetableClass,
	form: SessionForm,
): Promise<{ draft: Draft | null; reasons: string[] }> {
	const times = sessionTimes(form);
	const reasons = [...times.reasons];
	const subject =
		form.subject.trim() === "" ? null : sessionText(form.subject, "課程名稱", MAX_SUBJECT_LENGTH);
	if (!subject) reasons.push("「課程名稱」未填寫");
	else if (!subject.ok) reasons.push(subject.message);
	const room = form.room.trim() === "" ? null : sessionText(form.room, "教室", MAX_ROOM_LENGTH);
	if (room && !room.ok) reasons.push(room.message);
	let teacherPersonId: number | null = null;
	if (form.teacherId !== "") {
		const teachers = await unitTeachers(db, [klass.unitId]);
		const teacher = teachers.find((t) => String(t.id) === form.teacherId);
		if (teacher) teacherPersonId = teacher.id;
		else reasons.push("請從清單選擇本單位的教師");
	}
	if (reasons.length || !times.value || !subject?.ok) return { draft: null, reasons };
	return {
		draft: { ...times.value, subject: subject.value, teacherPersonId, room: room?.ok ? room.value : null },
		reasons,
	};
}

/** A clash with the class's other sessions, or a problem with the class period; null when free. */
async function placementProblem(
	db: Db,
	klass: TimetableClass,
	draft: Draft,
	now: number,
	exceptId?: number,
): Promise<string | null> {
	const problem = scheduleProblem(draft, klass, now);
	if (problem) return problem;
	const existing =
		(await classSessionsBetween(db, [klass.id], draft.startsAt, draft.endsAt)).get(klass.id) ?? [];
	const conflict = scheduleConflict(draft, existing, exceptId);
	return conflict ? conflictMessage(conflict) : null;
}

const RACED = "時間與其他節次衝突（可能剛有人新增或修改了節次），請重新整理後再試。";

/** 新增節次 to the member's unit's class. */
export async function addSession(
	deps: SessionEditDeps,
	editor: Editor,
	classId: number,
	form: SessionForm,
): Promise<ChangeOutcome<{ sessionId: number; date: string }>> {
	const { db, now } = deps;
	const klass = await scheduleClass(db, editor.unitId, classId);
	if (!klass) return refused("NOT_FOUND", "找不到這個班級");
	const { draft, reasons } = await readForm(db, klass, form);
	if (!draft) return refused("VALIDATION_FAILED", ...reasons);
	const problem = await placementProblem(db, klass, draft, now);
	if (problem) return refused("CONFLICT", problem);
	const created = and(eq(sessions.classId, klass.id), eq(sessions.startsAt, draft.startsAt));
	try {
		await db.batch([
			db.insert(sessions).values({ classId: klass.id, ...draft, createdAt: now, updatedAt: now }),
			auditIf(
				db,
				editor,
				now,
				{
					unitId: klass.unitId,
					action: "session.added",
					entityId: sql`CAST(${sessions.id} AS TEXT)` as unknown as string,
					after: JSON.stringify(draft),
				},
				{ from: sessions, where: created },
			),
			overlapGuard(db, created),
		]);
	} catch (err) {
		if (isScheduleClash(err)) return refused("CONFLICT", RACED);
		throw err;
	}
	const row = await db.select({ id: sessions.id }).from(sessions).where(created).get();
	return { ok: true, sessionId: row?.id ?? 0, date: draft.date };
}

/** 編輯: subject, teacher and room always (until frozen); date and times only while not locked. */
export async function editSession(
	deps: SessionEditDeps,
	editor: Editor,
	sessionId: number,
	form: SessionForm,
): Promise<ChangeOutcome<{ changed: boolean; timesChanged: boolean; date: string; classId: number }>> {
	const { db, now } = deps;
	const found = await changeableSession(db, editor.unitId, sessionId);
	if (!found.ok) return found;
	const { current } = found;
	const { draft, reasons } = await readForm(db, current.klass, form);
	if (!draft) return refused("VALIDATION_FAILED", ...reasons);
	const timesChanged =
		draft.date !== current.date ||
		draft.startsAt !== current.startsAt ||
		draft.endsAt !== current.endsAt ||
		draft.hours !== current.hours;
	const changed =
		timesChanged ||
		draft.subject !== current.subject ||
		draft.teacherPersonId !== current.teacherPersonId ||
		draft.room !== current.room;
	const done = { ok: true as const, changed, timesChanged, date: draft.date, classId: current.klass.id };
	if (!changed) return done;
	if (timesChanged) {
		const locked = timesLockedReason(current, now);
		if (locked) return refused("CONFLICT", locked);
		const problem = await placementProblem(db, current.klass, draft, now, current.id);
		if (problem) return refused("CONFLICT", problem);
	}
	const before = {
		date: current.date,
		startsAt: current.startsAt,
		endsAt: current.endsAt,
		hours: current.hours,
		subject: current.subject,
		teacherPersonId: current.teacherPersonId,
		room: current.room,
	};
	// Written only over the row as it was read: a change in between (another edit, 停課, close-out) wins.
	const unchanged = and(
		eq(sessions.id, current.id),
		eq(sessions.updatedAt, current.updatedAt),
		isNull(sessions.cancelledAt),
		isNull(sessions.closedAt),
	);
	try {
		const [updated] = await db.batch([
			db
				.update(sessions)
				.set({ ...draft, updatedAt: now })
				.where(unchanged),
			auditIf(
				db,
				editor,
				now,
				{
					unitId: current.klass.unitId,
					action: "session.edited",
					entityId: String(current.id),
					before: JSON.stringify(before),
					after: JSON.stringify(draft),
				},
				{ from: sessions, where: and(eq(sessions.id, current.id), eq(sessions.updatedAt, now)) },
			),
			...(timesChanged ? [overlapGuard(db, eq(sessions.id, current.id))] : []),
		]);
		if (updated.meta.changes !== 1)
			return refused("CONFLICT", "這堂課剛被其他人修改或停課，請重新整理後再試。");
	} catch (err) {
		if (isScheduleClash(err)) return refused("CONFLICT", RACED);
		throw err;
	}
	return done;
}

/** 停課 with a reason; the trainees with leave over the session are told once each. */
export async function cancelSession(
	deps: SessionEditDeps & { settings: Settings },
	editor: Editor,
	sessionId: number,
	reason: string,
): Promise<ChangeOutcome<{ notified: number; unbound: number; date: string; classId: number }>> {
	const { db, now } = deps;
	const found = await changeableSession(db, editor.unitId, sessionId);
	if (!found.ok) return found;
	const { current } = found;
	if (current.recorded)
		return refused(
			"CONFLICT",
			"這堂課已有簽到退紀錄，不能停課。若課程中途停止，請到「出缺勤」以更正註記各學員的出勤。",
		);
	const text = sessionText(reason, "停課原因", 200);
	if (!text.ok || text.value === "")
		return refused("VALIDATION_FAILED", text.ok ? "請填寫停課原因" : text.message);

	// Every follow-up is written only if this very cancel took effect (cancelled_at = now).
	const cancelled = and(eq(sessions.id, current.id), eq(sessions.cancelledAt, now));
	const guard = { from: sessions, where: cancelled };
	const messages = sessionCancelledMessages(deps.settings, {
		className: current.klass.name,
		date: current.date,
		startsAt: current.startsAt,
		endsAt: current.endsAt,
		subject: current.subject,
		reason: text.value,
	});
	const reached = current.leave.filter((l) => l.lineUserId !== null);
	const [updated] = await db.batch([
		db
			.update(sessions)
			.set({ cancelledAt: now, cancelReason: text.value, updatedAt: now })
			.where(and(eq(sessions.id, current.id), isNull(sessions.cancelledAt), isNull(sessions.closedAt))),
		auditIf(
			db,
			editor,
			now,
			{
				unitId: current.klass.unitId,
				action: "session.cancelled",
				entityId: String(current.id),
				before: JSON.stringify({ cancelled: false }),
				after: JSON.stringify({ cancelled: true, leaveRequests: current.leave.map((l) => l.requestId) }),
				reason: text.value,
			},
			guard,
		),
		// A cancelled session needs no leave: its hours leave the requests that covered it (the
		// trainee's own page already leaves cancelled sessions out of the hours on leave).
		db
			.update(leaveRequests)
			.set({
				hours: sql`MAX(0, ROUND(${leaveRequests.hours} - ${current.hours}, 2))`,
				updatedAt: now,
			})
			.where(
				and(
					inArray(
						leaveRequests.id,
						db
							.select({ id: leaveRequestSessions.leaveRequestId })
							.from(leaveRequestSessions)
							.where(and(eq(leaveRequestSessions.sessionId, current.id), eq(leaveRequestSessions.active, 1))),
					),
					inArray(leaveRequests.status, ["pending", "approved"]),
					sql`EXISTS (SELECT 1 FROM sessions WHERE id = ${current.id} AND cancelled_at = ${now})`,
				),
			),
		...reached.map((l) =>
			insertIf(
				db,
				outbox,
				{
					channel: "line_push",
					recipient: l.lineUserId as string,
					payload: JSON.stringify({ messages }),
					retryKey: crypto.randomUUID(),
					// One notice per trainee and session, however often the cancel is sent.
					dedupeKey: `session-cancelled:${current.id}:${l.personId}`,
					nextAttemptAt: now,
					createdAt: now,
				},
				guard,
			).onConflictDoNothing(),
		),
	]);
	if (updated.meta.changes !== 1) return refused("CONFLICT", "這堂課剛被其他人停課或已結算，請重新整理。");
	return {
		ok: true,
		notified: reached.length,
		unbound: current.leave.length - reached.length,
		date: current.date,
		classId: current.klass.id,
	};
}

/** What the class page's 新增節次 form needs: the class's dates and the unit's teachers. */
export async function schedulingOf(db: Db, unitId: number | null, classId: number) {
	const klass = await scheduleClass(db, unitId, classId);
	return klass ? { klass, teachers: await unitTeachers(db, [klass.unitId]) } : null;
}
