// The D1 side of punches, used by the SessionRoom: what it needs to know about its session, and the
// idempotent write-through of its punch log and attendance records.
import { and, eq, sql } from "drizzle-orm";
import { insertIgnoringStatements } from "../db/batch";
import type { Db } from "../db/client";
import {
	attendance,
	classes,
	classTeachers,
	enrollments,
	people,
	plans,
	punches,
	sessions,
} from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { PunchAction, PunchMethod } from "../domain/attendance-status";
import type { PunchWindowPlan } from "../domain/punch-rules";
import type { LineRole } from "../domain/roles";

export type SessionContext = {
	sessionId: number;
	classId: number;
	subject: string;
	className: string;
	startsAt: number;
	endsAt: number;
	cancelled: boolean;
	plan: PunchWindowPlan;
	/** Enrolled trainees and the session's teachers, with names for the live display. */
	trainees: Map<number, string>;
	teachers: Map<number, string>;
	/** Punches already in D1 (demo data, clerks' corrections) for a room that starts empty. */
	existing: { personId: number; role: LineRole; checkInAt: number | null; checkOutAt: number | null }[];
};

/** Four reads, once per room wake-up. Null when the session does not exist. */
export async function loadSessionContext(db: Db, sessionId: number): Promise<SessionContext | null> {
	const row = await db
		.select({ session: sessions, plan: plans, className: classes.name })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(eq(sessions.id, sessionId))
		.get();
	if (!row) return null;
	const { session, plan, className } = row;
	const [trainees, teachers, existing] = await Promise.all([
		db
			.select({ id: people.id, name: people.name })
			.from(enrollments)
			.innerJoin(people, eq(people.id, enrollments.personId))
			.where(and(eq(enrollments.classId, session.classId), eq(enrollments.status, "active"))),
		db
			.select({ id: people.id, name: people.name })
			.from(classTeachers)
			.innerJoin(people, eq(people.id, classTeachers.personId))
			.where(eq(classTeachers.classId, session.classId)),
		db
			.select({
				personId: attendance.personId,
				role: attendance.role,
				checkInAt: attendance.checkInAt,
				checkOutAt: attendance.checkOutAt,
			})
			.from(attendance)
			.where(eq(attendance.sessionId, sessionId)),
	]);
	const teacherNames = new Map(teachers.map((t) => [t.id, t.name]));
	if (session.teacherPersonId !== null && !teacherNames.has(session.teacherPersonId)) {
		const teacher = await db.select().from(people).where(eq(people.id, session.teacherPersonId)).get();
		if (teacher) teacherNames.set(teacher.id, teacher.name);
	}
	return {
		sessionId,
		classId: session.classId,
		subject: session.subject,
		className,
		startsAt: session.startsAt,
		endsAt: session.endsAt,
		cancelled: session.cancelledAt !== null,
		plan: {
			checkInOpensMinutes: plan.checkInOpensMinutes,
			checkOutClosesMinutes: plan.checkOutClosesMinutes,
			lateGraceMinutes: plan.lateGraceMinutes,
			earlyLeaveGraceMinutes: plan.earlyLeaveGraceMinutes,
		},
		trainees: new Map(trainees.map((t) => [t.id, t.name])),
		teachers: teacherNames,
		existing,
	};
}

export type PunchLogRow = {
	punchKey: string;
	personId: number | null;
	role: LineRole | null;
	action: PunchAction;
	method: PunchMethod;
	at: number;
	accepted: boolean;
	reason: string | null;
};

export type RecordRow = {
	personId: number;
	role: LineRole;
	checkInAt: number | null;
	checkInMethod: PunchMethod | null;
	checkOutAt: number | null;
	checkOutMethod: PunchMethod | null;
};

/**
 * Statements that make D1 match the room: punches by their unique key (a retry writes nothing twice),
 * attendance by (session, person). Approved leave (請假) and a clerk's correction are never overwritten.
 */
export function writeThroughStatements(
	db: Db,
	context: Pick<SessionContext, "sessionId" | "startsAt" | "endsAt" | "plan">,
	log: PunchLogRow[],
	records: RecordRow[],
	now: number,
) {
	const punchRows = log.map((p) => ({ ...p, sessionId: context.sessionId, createdAt: now }));
	const punchStatements = insertIgnoringStatements(db, punches, punchRows);
	const recordStatements = records.map((r) => {
		const status = deriveAttendanceStatus({
			session: context,
			plan: context.plan,
			checkInAt: r.checkInAt,
			checkOutAt: r.checkOutAt,
			leave: null,
			now,
		});
		return db
			.insert(attendance)
			.values({ sessionId: context.sessionId, ...r, status, updatedAt: now })
			.onConflictDoUpdate({
				target: [attendance.sessionId, attendance.personId],
				set: {
					checkInAt: sql`excluded.check_in_at`,
					checkInMethod: sql`excluded.check_in_method`,
					checkOutAt: sql`excluded.check_out_at`,
					checkOutMethod: sql`excluded.check_out_method`,
					status: sql`CASE WHEN ${attendance.status} = 'leave' THEN 'leave' ELSE excluded.status END`,
					updatedAt: sql`excluded.updated_at`,
				},
				setWhere: sql`${attendance.correctedAt} IS NULL`,
			});
	});
	return [...punchStatements, ...recordStatements];
}
