// 班級 of the dashboard: a unit's classes (search, pages), one class's roster, timetable and
// attendance matrix, and the rows of its CSV exports. A fixed handful of queries whatever the size
// of the class; every query is scoped to the member's unit (null = the agency, every unit).
import { and, asc, count, desc, eq, gte, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import {
	attendance,
	classes,
	enrollments,
	leaveRequestSessions,
	leaveRequests,
	leaveTypes,
	people,
	plans,
	sessions,
	units,
} from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { AttendanceStatus } from "../domain/attendance-status";
import type { LeaveStatus } from "../domain/leave-status";
import type { LeaveKind } from "../domain/leave-types";

/** Classes per page of 班級. */
export const CLASS_LIST_PAGE = 50;
/** The attendance matrix shows at most this many sessions (a wider range is cut, with a notice). */
export const MATRIX_MAX_SESSIONS = 120;

export type ClassListItem = {
	id: number;
	code: string;
	name: string;
	startDate: string;
	endDate: string;
	planName: string;
	unitName: string;
	enrolled: number;
};

/** `%`, `_` and the escape character itself match literally in LIKE … ESCAPE '\'. */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

const scoped = (unitId: number | null) => (unitId === null ? undefined : eq(classes.unitId, unitId));

/** One page of the unit's classes, newest first; `q` matches the code or the name anywhere. */
export async function listUnitClasses(
	db: Db,
	unitId: number | null,
	options: { q?: string | undefined; page: number },
): Promise<{ items: ClassListItem[]; total: number }> {
	const q = options.q?.trim();
	const pattern = q ? `%${escapeLike(q)}%` : undefined;
	const where = and(
		scoped(unitId),
		pattern
			? sql`(${classes.code} LIKE ${pattern} ESCAPE '\\' OR ${classes.name} LIKE ${pattern} ESCAPE '\\')`
			: undefined,
	);
	const [items, total] = await Promise.all([
		db
			.select({
				id: classes.id,
				code: classes.code,
				name: classes.name,
				startDate: classes.startDate,
				endDate: classes.endDate,
				planName: plans.name,
				unitName: units.name,
				enrolled: sql<number>`(SELECT COUNT(*) FROM ${enrollments} WHERE ${enrollments.classId} = ${classes.id} AND ${enrollments.status} = 'active')`,
			})
			.from(classes)
			.innerJoin(plans, eq(plans.id, classes.planId))
			.innerJoin(units, eq(units.id, classes.unitId))
			.where(where)
			.orderBy(desc(classes.startDate), asc(classes.code))
			.limit(CLASS_LIST_PAGE)
			.offset((options.page - 1) * CLASS_LIST_PAGE),
		db.select({ n: count() }).from(classes).where(where).get(),
	]);
	return { items: items.map((i) => ({ ...i, enrolled: Number(i.enrolled) })), total: total?.n ?? 0 };
}

export type UnitClass = {
	id: number;
	code: string;
	name: string;
	startDate: string;
	endDate: string;
	location: string | null;
	totalHours: number;
	unitName: string;
	plan: {
		name: string;
		lateGraceMinutes: number;
		earlyLeaveGraceMinutes: number;
		checkOutClosesMinutes: number;
	};
};

/** The class if it is the member's unit's (or the agency asks); otherwise null (answered as 404). */
export async function unitClass(db: Db, unitId: number | null, classId: number): Promise<UnitClass | null> {
	const row = await db
		.select({ klass: classes, plan: plans, unitName: units.name })
		.from(classes)
		.innerJoin(plans, eq(plans.id, classes.planId))
		.innerJoin(units, eq(units.id, classes.unitId))
		.where(and(eq(classes.id, classId), scoped(unitId)))
		.get();
	if (!row) return null;
	const { klass, plan } = row;
	return {
		id: klass.id,
		code: klass.code,
		name: klass.name,
		startDate: klass.startDate,
		endDate: klass.endDate,
		location: klass.location,
		totalHours: klass.totalHours,
		unitName: row.unitName,
		plan: {
			name: plan.name,
			lateGraceMinutes: plan.lateGraceMinutes,
			earlyLeaveGraceMinutes: plan.earlyLeaveGraceMinutes,
			checkOutClosesMinutes: plan.checkOutClosesMinutes,
		},
	};
}

export type RosterEntry = {
	personId: number;
	seatNo: number | null;
	name: string;
	nationalIdMasked: string;
	phone: string | null;
	email: string | null;
	status: "active" | "withdrawn";
	withdrawnAt: number | null;
};

export type ClassSession = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	subject: string;
	room: string | null;
	teacherName: string | null;
	cancelled: boolean;
	cancelReason: string | null;
};

/** One trainee in one session. null: not applicable (cancelled session, after withdrawal). */
export type AttendanceCell = {
	status: AttendanceStatus;
	leaveTypeName: string | null;
	checkInAt: number | null;
	checkOutAt: number | null;
} | null;

export type ClassAttendance = {
	roster: RosterEntry[];
	sessions: ClassSession[];
	/** Sessions in the range beyond MATRIX_MAX_SESSIONS (or the export's limit) that were left out. */
	truncated: boolean;
	/** cells.get(personId)?.get(sessionId) */
	cells: Map<number, Map<number, AttendanceCell>>;
};

/**
 * Roster, sessions of [from, to] and every trainee's status in each: the stored attendance status
 * once final; where no row exists yet (or it is still 尚未結束), deriveAttendanceStatus from the
 * punches so far and the approved leave covering the session. Five queries in parallel.
 */
export async function classAttendance(
	db: Db,
	klass: UnitClass,
	range: { from: string; to: string; now: number; maxSessions: number },
): Promise<ClassAttendance> {
	const inRange = and(
		eq(sessions.classId, klass.id),
		gte(sessions.date, range.from),
		lte(sessions.date, range.to),
	);
	const teacher = alias(people, "teacher");
	const [roster, sessionRows, attendanceRows, leaveRows, types] = await Promise.all([
		db
			.select({
				personId: people.id,
				seatNo: enrollments.seatNo,
				name: people.name,
				nationalIdMasked: people.nationalIdMasked,
				phone: people.phone,
				email: people.email,
				status: enrollments.status,
				withdrawnAt: enrollments.withdrawnAt,
			})
			.from(enrollments)
			.innerJoin(people, eq(people.id, enrollments.personId))
			.where(eq(enrollments.classId, klass.id))
			.orderBy(sql`${enrollments.seatNo} IS NULL`, asc(enrollments.seatNo), asc(people.name)),
		db
			.select({
				id: sessions.id,
				date: sessions.date,
				startsAt: sessions.startsAt,
				endsAt: sessions.endsAt,
				subject: sessions.subject,
				room: sessions.room,
				teacherName: teacher.name,
				cancelledAt: sessions.cancelledAt,
				cancelReason: sessions.cancelReason,
			})
			.from(sessions)
			.leftJoin(teacher, eq(teacher.id, sessions.teacherPersonId))
			.where(inRange)
			.orderBy(asc(sessions.startsAt))
			.limit(range.maxSessions + 1),
		db
			.select({
				sessionId: attendance.sessionId,
				personId: attendance.personId,
				checkInAt: attendance.checkInAt,
				checkOutAt: attendance.checkOutAt,
				status: attendance.status,
				leaveTypeCode: attendance.leaveTypeCode,
			})
			.from(attendance)
			.innerJoin(sessions, eq(sessions.id, attendance.sessionId))
			.where(and(inRange, eq(attendance.role, "trainee"))),
		db
			.select({
				sessionId: leaveRequestSessions.sessionId,
				personId: leaveRequestSessions.personId,
				leaveTypeCode: leaveRequests.leaveTypeCode,
			})
			.from(leaveRequestSessions)
			.innerJoin(leaveRequests, eq(leaveRequests.id, leaveRequestSessions.leaveRequestId))
			.innerJoin(sessions, eq(sessions.id, leaveRequestSessions.sessionId))
			.where(and(inRange, eq(leaveRequests.status, "approved"))),
		db.select({ code: leaveTypes.code, name: leaveTypes.name, kind: leaveTypes.kind }).from(leaveTypes),
	]);
	const truncated = sessionRows.length > range.maxSessions;
	const shown = sessionRows.slice(0, range.maxSessions);
	const typeOf = new Map(types.map((t) => [t.code, t]));
	const key = (sessionId: number, personId: number) => `${sessionId}:${personId}`;
	const stored = new Map(attendanceRows.map((r) => [key(r.sessionId, r.personId), r]));
	const approved = new Map(leaveRows.map((r) => [key(r.sessionId, r.personId), r.leaveTypeCode]));

	const cells = new Map<number, Map<number, AttendanceCell>>();
	for (const person of roster) {
		const row = new Map<number, AttendanceCell>();
		for (const s of shown) {
			if (s.cancelledAt !== null || (person.withdrawnAt !== null && s.startsAt >= person.withdrawnAt)) {
				row.set(s.id, null);
				continue;
			}
			const record = stored.get(key(s.id, person.personId));
			const leaveCode = record?.leaveTypeCode ?? approved.get(key(s.id, person.personId)) ?? null;
			const leave = leaveCode ? (typeOf.get(leaveCode) ?? null) : null;
			const checkInAt = record?.checkInAt ?? null;
			const checkOutAt = record?.checkOutAt ?? null;
			const status =
				record && record.status !== "pending"
					? record.status
					: deriveAttendanceStatus({
							session: s,
							plan: klass.plan,
							checkInAt,
							checkOutAt,
							leave: leave ? { kind: leave.kind as LeaveKind } : null,
							now: range.now,
						});
			row.set(s.id, {
				status,
				leaveTypeName: leave?.name ?? null,
				checkInAt,
				checkOutAt,
			});
		}
		cells.set(person.personId, row);
	}
	return {
		roster,
		sessions: shown.map(({ cancelledAt, ...s }) => ({ ...s, cancelled: cancelledAt !== null })),
		truncated,
		cells,
	};
}

export type ClassLeaveRow = {
	submittedAt: number;
	name: string;
	typeName: string;
	firstDate: string;
	lastDate: string;
	hours: number;
	status: LeaveStatus;
	reviewRemark: string | null;
};

/** The class's leave requests whose dates overlap [from, to], in the order they were filed. */
export async function classLeaveRequests(
	db: Db,
	klass: UnitClass,
	range: { from: string; to: string },
): Promise<ClassLeaveRow[]> {
	return db
		.select({
			submittedAt: leaveRequests.submittedAt,
			name: people.name,
			typeName: leaveTypes.name,
			firstDate: leaveRequests.firstDate,
			lastDate: leaveRequests.lastDate,
			hours: leaveRequests.hours,
			status: leaveRequests.status,
			reviewRemark: leaveRequests.reviewRemark,
		})
		.from(leaveRequests)
		.innerJoin(people, eq(people.id, leaveRequests.personId))
		.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.where(
			and(
				eq(leaveRequests.classId, klass.id),
				lte(leaveRequests.firstDate, range.to),
				gte(leaveRequests.lastDate, range.from),
			),
		)
		.orderBy(asc(leaveRequests.submittedAt), asc(leaveRequests.id));
}
