// 我的課表 and 我的課程: a trainee's sessions with their status (attendance and leave), and the
// hours attended / on leave / absent so far with the plan's leave-hour warning.

import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { attendance, leaveRequestSessions, leaveRequests, leaveTypes, sessions } from "../db/schema";
import { ATTENDANCE_STATUS_LABELS, type AttendanceStatus } from "../domain/attendance-status";
import { type LeaveWarning, leaveWarning } from "../domain/leave-hours";
import { sessionStatusWithLeave } from "../domain/leave-policy";
import { LEAVE_STATUS_LABELS, type LeaveStatus } from "../domain/leave-status";
import type { LeaveKind } from "../domain/leave-types";
import type { TraineeClass } from "./trainee-class";

export type TimetableSession = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	hours: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	status: AttendanceStatus;
	statusLabel: string;
	leave: { requestId: number; typeName: string; status: LeaveStatus; statusLabel: string } | null;
};

/** The trainee's sessions between two Taipei dates (inclusive), one query. */
export async function timetable(
	db: Db,
	personId: number,
	klass: TraineeClass,
	from: string,
	to: string,
	now: number,
): Promise<TimetableSession[]> {
	const rows = await db
		.select({
			session: sessions,
			checkInAt: attendance.checkInAt,
			checkOutAt: attendance.checkOutAt,
			storedStatus: attendance.status,
			corrected: attendance.correctedAt,
			leaveId: leaveRequests.id,
			leaveStatus: leaveRequests.status,
			leaveKind: leaveTypes.kind,
			leaveName: leaveTypes.name,
		})
		.from(sessions)
		.leftJoin(attendance, and(eq(attendance.sessionId, sessions.id), eq(attendance.personId, personId)))
		.leftJoin(
			leaveRequestSessions,
			and(
				eq(leaveRequestSessions.sessionId, sessions.id),
				eq(leaveRequestSessions.personId, personId),
				eq(leaveRequestSessions.active, 1),
			),
		)
		.leftJoin(leaveRequests, eq(leaveRequests.id, leaveRequestSessions.leaveRequestId))
		.leftJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.where(and(eq(sessions.classId, klass.id), gte(sessions.date, from), lte(sessions.date, to)))
		.orderBy(asc(sessions.startsAt));
	return rows.map((r) => {
		const leave =
			r.leaveId && r.leaveStatus && r.leaveKind
				? {
						kind: r.leaveKind as LeaveKind,
						status: r.leaveStatus,
						requestId: r.leaveId,
						typeName: r.leaveName ?? "",
					}
				: null;
		// A clerk's correction is the record; otherwise the status follows from punches and leave.
		const status: AttendanceStatus =
			r.corrected && r.storedStatus
				? r.storedStatus
				: sessionStatusWithLeave(
						{
							session: r.session,
							plan: klass.plan,
							checkInAt: r.checkInAt ?? null,
							checkOutAt: r.checkOutAt ?? null,
							now,
						},
						leave,
					);
		return {
			id: r.session.id,
			date: r.session.date,
			startsAt: r.session.startsAt,
			endsAt: r.session.endsAt,
			hours: r.session.hours,
			subject: r.session.subject,
			room: r.session.room,
			cancelled: r.session.cancelledAt !== null,
			status,
			statusLabel: ATTENDANCE_STATUS_LABELS[status],
			leave: leave
				? {
						requestId: leave.requestId,
						typeName: leave.typeName,
						status: leave.status,
						statusLabel: LEAVE_STATUS_LABELS[leave.status],
					}
				: null,
		};
	});
}

const ATTENDED: AttendanceStatus[] = [
	"present",
	"late",
	"early_leave",
	"late_and_early_leave",
	"no_check_in",
	"no_check_out",
];

export type HoursSoFar = {
	attended: number;
	leave: number;
	absent: number;
	total: number;
	leaveWarning: LeaveWarning;
};

/** Hours attended, on approved leave and absent among sessions already held. */
export async function hoursSoFar(
	db: Db,
	personId: number,
	klass: TraineeClass,
	now: number,
): Promise<HoursSoFar> {
	const held = (await timetable(db, personId, klass, klass.startDate, klass.endDate, now)).filter(
		(s) => !s.cancelled,
	);
	const sum = (pick: (s: TimetableSession) => boolean) => held.filter(pick).reduce((n, s) => n + s.hours, 0);
	const leave = sum((s) => s.status === "leave");
	return {
		attended: sum((s) => ATTENDED.includes(s.status)),
		leave,
		absent: sum((s) => s.status === "absent"),
		total: klass.totalHours,
		leaveWarning: leaveWarning(leave, klass.totalHours, klass.plan.leaveHoursWarningRatio),
	};
}
