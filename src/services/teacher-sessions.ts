// Sessions as teachers and units run them: the sessions a teacher teaches (as the session's teacher
// or one of the class's teachers), a unit's session, and a session's attendance list.
import { and, asc, eq, gte, inArray, lte, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { attendance, classes, classTeachers, enrollments, people, plans, sessions } from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import { ATTENDANCE_STATUS_LABELS, type AttendanceStatus } from "../domain/attendance-status";

const taughtBy = (db: Db, personId: number) =>
	or(
		eq(sessions.teacherPersonId, personId),
		inArray(
			sessions.classId,
			db
				.select({ id: classTeachers.classId })
				.from(classTeachers)
				.where(eq(classTeachers.personId, personId)),
		),
	);

export type TeacherSession = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	class: { id: number; code: string; name: string; location: string | null };
	qrRotationSeconds: number;
};

const sessionRows = (db: Db) =>
	db
		.select({ session: sessions, klass: classes, plan: plans })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId));

function viewOf(row: {
	session: typeof sessions.$inferSelect;
	klass: typeof classes.$inferSelect;
	plan: typeof plans.$inferSelect;
}): TeacherSession {
	const { session: s, klass, plan } = row;
	return {
		id: s.id,
		date: s.date,
		startsAt: s.startsAt,
		endsAt: s.endsAt,
		subject: s.subject,
		room: s.room,
		cancelled: s.cancelledAt !== null,
		class: { id: klass.id, code: klass.code, name: klass.name, location: klass.location },
		qrRotationSeconds: plan.qrRotationSeconds,
	};
}

/** Sessions the teacher teaches between two Taipei dates, in time order. */
export async function teacherSessions(
	db: Db,
	personId: number,
	from: string,
	to: string,
): Promise<TeacherSession[]> {
	const rows = await sessionRows(db)
		.where(and(gte(sessions.date, from), lte(sessions.date, to), taughtBy(db, personId)))
		.orderBy(asc(sessions.startsAt))
		.limit(200);
	return rows.map(viewOf);
}

/** One session, only if this teacher teaches it (null otherwise: answered as not found). */
export async function taughtSession(
	db: Db,
	personId: number,
	sessionId: number,
): Promise<TeacherSession | null> {
	const [row] = await sessionRows(db)
		.where(and(eq(sessions.id, sessionId), taughtBy(db, personId)))
		.limit(1);
	return row ? viewOf(row) : null;
}

/** One session of a unit's class (unitId null: the agency sees every unit); null for another unit's. */
export async function unitSession(
	db: Db,
	unitId: number | null,
	sessionId: number,
): Promise<TeacherSession | null> {
	const mine = unitId === null ? undefined : eq(classes.unitId, unitId);
	const [row] = await sessionRows(db)
		.where(and(eq(sessions.id, sessionId), mine))
		.limit(1);
	return row ? viewOf(row) : null;
}

export type AttendanceLine = {
	personId: number;
	seatNo: number | null;
	name: string;
	checkInAt: number | null;
	checkOutAt: number | null;
	status: AttendanceStatus;
	statusLabel: string;
};

/** Every enrolled trainee of the session's class with their status now (leave included). */
export async function sessionAttendance(db: Db, sessionId: number, now: number): Promise<AttendanceLine[]> {
	const session = await db
		.select({ session: sessions, plan: plans })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(eq(sessions.id, sessionId))
		.get();
	if (!session) return [];
	const rows = await db
		.select({ enrollment: enrollments, name: people.name, record: attendance })
		.from(enrollments)
		.innerJoin(people, eq(people.id, enrollments.personId))
		.leftJoin(
			attendance,
			and(eq(attendance.sessionId, sessionId), eq(attendance.personId, enrollments.personId)),
		)
		.where(and(eq(enrollments.classId, session.session.classId), eq(enrollments.status, "active")))
		.orderBy(asc(enrollments.seatNo), asc(people.id));
	return rows.map(({ enrollment, name, record }) => {
		// A stored leave or a clerk's correction stands; otherwise the rule decides from the punches.
		const status: AttendanceStatus =
			record && (record.status === "leave" || record.correctedAt !== null)
				? record.status
				: deriveAttendanceStatus({
						session: session.session,
						plan: session.plan,
						checkInAt: record?.checkInAt ?? null,
						checkOutAt: record?.checkOutAt ?? null,
						leave: null,
						now,
					});
		return {
			personId: enrollment.personId,
			seatNo: enrollment.seatNo,
			name,
			checkInAt: record?.checkInAt ?? null,
			checkOutAt: record?.checkOutAt ?? null,
			status,
			statusLabel: ATTENDANCE_STATUS_LABELS[status],
		};
	});
}
