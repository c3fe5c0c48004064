// 出勤 of one session for the dashboard: who is expected (enrolled trainees and the session's
// teacher) with their record and status, and the session's punch log. Scoped to the member's unit.
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import {
	attendance,
	classes,
	enrollments,
	leaveTypes,
	people,
	planLeaveTypes,
	plans,
	punches,
	sessions,
	staff,
} from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { AttendanceStatus, PunchAction, PunchMethod } from "../domain/attendance-status";
import type { LeaveKind } from "../domain/leave-types";
import type { LineRole } from "../domain/roles";
import { approvedLeaveOf } from "./approved-leave";

export const PUNCH_LOG_PAGE = 50;

/** A session of the unit with what the correction rules need (null for another unit's or none). */
export type SessionSheetHead = {
	id: number;
	classId: number;
	unitId: number;
	date: string;
	startsAt: number;
	endsAt: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	teacherPersonId: number | null;
	teacherName: string | null;
	class: { code: string; name: string };
	plan: {
		id: number;
		lateGraceMinutes: number;
		earlyLeaveGraceMinutes: number;
		checkOutClosesMinutes: number;
	};
};

export type SheetPerson = {
	personId: number;
	role: LineRole;
	seatNo: number | null;
	name: string;
	checkInAt: number | null;
	checkInMethod: PunchMethod | null;
	checkOutAt: number | null;
	checkOutMethod: PunchMethod | null;
	status: AttendanceStatus;
	leaveType: { code: string; name: string } | null;
	correction: { at: number; byName: string | null; reason: string | null } | null;
};

export type PunchLogEntry = {
	id: number;
	at: number;
	personName: string | null;
	role: LineRole | null;
	action: PunchAction;
	method: PunchMethod;
	accepted: boolean;
	reason: string | null;
	byStaffName: string | null;
};

/** The session if it belongs to the unit (unitId null: the agency sees every unit). */
export async function sheetHead(
	db: Db,
	unitId: number | null,
	sessionId: number,
): Promise<SessionSheetHead | null> {
	const row = await db
		.select({ session: sessions, klass: classes, plan: plans, teacherName: people.name })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.leftJoin(people, eq(people.id, sessions.teacherPersonId))
		.where(and(eq(sessions.id, sessionId), unitId === null ? undefined : eq(classes.unitId, unitId)))
		.get();
	if (!row) return null;
	const { session: s, klass, plan } = row;
	return {
		id: s.id,
		classId: s.classId,
		unitId: klass.unitId,
		date: s.date,
		startsAt: s.startsAt,
		endsAt: s.endsAt,
		subject: s.subject,
		room: s.room,
		cancelled: s.cancelledAt !== null,
		teacherPersonId: s.teacherPersonId,
		teacherName: row.teacherName,
		class: { code: klass.code, name: klass.name },
		plan: {
			id: plan.id,
			lateGraceMinutes: plan.lateGraceMinutes,
			earlyLeaveGraceMinutes: plan.earlyLeaveGraceMinutes,
			checkOutClosesMinutes: plan.checkOutClosesMinutes,
		},
	};
}

/** Who may have a record in the session: active trainees, then the session's teacher. */
export async function expectedPeople(
	db: Db,
	head: Pick<SessionSheetHead, "classId" | "teacherPersonId" | "teacherName">,
): Promise<{ personId: number; role: LineRole; seatNo: number | null; name: string }[]> {
	const trainees = await db
		.select({ personId: enrollments.personId, seatNo: enrollments.seatNo, name: people.name })
		.from(enrollments)
		.innerJoin(people, eq(people.id, enrollments.personId))
		.where(and(eq(enrollments.classId, head.classId), eq(enrollments.status, "active")))
		.orderBy(asc(enrollments.seatNo), asc(people.id));
	const list: { personId: number; role: LineRole; seatNo: number | null; name: string }[] = trainees.map(
		(t) => ({ ...t, role: "trainee" }),
	);
	if (head.teacherPersonId !== null && !list.some((p) => p.personId === head.teacherPersonId))
		list.push({
			personId: head.teacherPersonId,
			role: "teacher",
			seatNo: null,
			name: head.teacherName ?? "",
		});
	return list;
}

/** Every expected person with their record: the stored status, or the rule's where nothing is stored. */
export async function sheetPeople(db: Db, head: SessionSheetHead, now: number): Promise<SheetPerson[]> {
	const [expected, records, leave, types] = await Promise.all([
		expectedPeople(db, head),
		db
			.select({ record: attendance, byName: staff.name })
			.from(attendance)
			.leftJoin(staff, eq(staff.id, attendance.correctedByStaffId))
			.where(eq(attendance.sessionId, head.id)),
		approvedLeaveOf(db, head.id),
		db.select({ code: leaveTypes.code, name: leaveTypes.name }).from(leaveTypes),
	]);
	const typeName = new Map(types.map((t) => [t.code, t.name]));
	const byPerson = new Map(records.map((r) => [r.record.personId, r]));
	return expected.map((p) => {
		const found = byPerson.get(p.personId);
		const record = found?.record;
		const approved = leave.get(p.personId) ?? null;
		const status =
			record?.status ??
			deriveAttendanceStatus({
				session: head,
				plan: head.plan,
				checkInAt: null,
				checkOutAt: null,
				leave: approved,
				now,
			});
		const leaveCode = record ? record.leaveTypeCode : (approved?.code ?? null);
		return {
			...p,
			checkInAt: record?.checkInAt ?? null,
			checkInMethod: record?.checkInMethod ?? null,
			checkOutAt: record?.checkOutAt ?? null,
			checkOutMethod: record?.checkOutMethod ?? null,
			status,
			leaveType: leaveCode ? { code: leaveCode, name: typeName.get(leaveCode) ?? leaveCode } : null,
			correction:
				record?.correctedAt != null
					? { at: record.correctedAt, byName: found?.byName ?? null, reason: record.correctionReason }
					: null,
		};
	});
}

/** The leave types the session's plan offers, for the correction form (曠課 is a status there). */
export async function planLeaveOptions(
	db: Db,
	planId: number,
): Promise<{ code: string; name: string; kind: LeaveKind }[]> {
	return db
		.select({ code: leaveTypes.code, name: leaveTypes.name, kind: leaveTypes.kind })
		.from(planLeaveTypes)
		.innerJoin(leaveTypes, eq(leaveTypes.code, planLeaveTypes.leaveTypeCode))
		.where(eq(planLeaveTypes.planId, planId))
		.orderBy(asc(leaveTypes.sortOrder))
		.then((rows) => rows.filter((r) => r.code !== "absent"));
}

/** One page of the session's punch log, newest first; one more row than a page tells of a next page. */
export async function punchLogPage(
	db: Db,
	sessionId: number,
	page: number,
): Promise<{ entries: PunchLogEntry[]; hasMore: boolean }> {
	const rows = await db
		.select({
			id: punches.id,
			at: punches.at,
			personName: people.name,
			role: punches.role,
			action: punches.action,
			method: punches.method,
			accepted: punches.accepted,
			reason: punches.reason,
			byStaffName: staff.name,
		})
		.from(punches)
		.leftJoin(people, eq(people.id, punches.personId))
		.leftJoin(staff, eq(staff.id, punches.byStaffId))
		.where(eq(punches.sessionId, sessionId))
		.orderBy(desc(punches.at), desc(punches.id))
		.limit(PUNCH_LOG_PAGE + 1)
		.offset((page - 1) * PUNCH_LOG_PAGE);
	return { entries: rows.slice(0, PUNCH_LOG_PAGE), hasMore: rows.length > PUNCH_LOG_PAGE };
}

export type SessionPunchSheet = {
	head: SessionSheetHead;
	people: SheetPerson[];
	leaveOptions: { code: string; name: string; kind: LeaveKind }[];
	log: PunchLogEntry[];
	hasMore: boolean;
};

/** Everything the 出勤 page shows; null for a session that is not the unit's. */
export async function sessionPunchSheet(
	db: Db,
	unitId: number | null,
	sessionId: number,
	now: number,
	page: number,
): Promise<SessionPunchSheet | null> {
	const head = await sheetHead(db, unitId, sessionId);
	if (!head) return null;
	const [people, leaveOptions, log] = await Promise.all([
		sheetPeople(db, head, now),
		planLeaveOptions(db, head.plan.id),
		punchLogPage(db, head.id, page),
	]);
	return { head, people, leaveOptions, log: log.entries, hasMore: log.hasMore };
}
