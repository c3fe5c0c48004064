// Keeps the attendance rows (the dashboards' cache of derived statuses) in step with leave
// decisions: approval shows 請假; rejection or revocation restores what the punches say. Punches
// are never deleted.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { chunkForParams, runInBatches } from "../db/batch";
import type { Db } from "../db/client";
import {
	attendance,
	classes,
	leaveRequestSessions,
	leaveRequests,
	leaveTypes,
	plans,
	sessions,
} from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { AttendanceStatus } from "../domain/attendance-status";

/** Recomputes the rows of these requests' people and sessions that have started. */
export async function refreshAttendance(
	db: Db,
	requests: { id: number; personId: number }[],
	now: number,
): Promise<void> {
	if (requests.length === 0) return;
	const rows: {
		sessionId: number;
		personId: number;
		startsAt: number;
		endsAt: number;
		grace: { lateGraceMinutes: number; earlyLeaveGraceMinutes: number; checkOutClosesMinutes: number };
	}[] = [];
	for (const chunk of chunkForParams(
		requests.map((r) => r.id),
		1,
		90,
	)) {
		rows.push(
			...(await db
				.select({
					sessionId: sessions.id,
					personId: leaveRequestSessions.personId,
					startsAt: sessions.startsAt,
					endsAt: sessions.endsAt,
					grace: {
						lateGraceMinutes: plans.lateGraceMinutes,
						earlyLeaveGraceMinutes: plans.earlyLeaveGraceMinutes,
						checkOutClosesMinutes: plans.checkOutClosesMinutes,
					},
				})
				.from(leaveRequestSessions)
				.innerJoin(sessions, eq(sessions.id, leaveRequestSessions.sessionId))
				.innerJoin(classes, eq(classes.id, sessions.classId))
				.innerJoin(plans, eq(plans.id, classes.planId))
				.where(and(inArray(leaveRequestSessions.leaveRequestId, chunk), lte(sessions.startsAt, now)))),
		);
	}
	const statements = [];
	for (const row of rows) {
		const [punch, leave] = await Promise.all([
			db
				.select({ checkInAt: attendance.checkInAt, checkOutAt: attendance.checkOutAt })
				.from(attendance)
				.where(and(eq(attendance.sessionId, row.sessionId), eq(attendance.personId, row.personId)))
				.get(),
			db
				.select({ code: leaveTypes.code, kind: leaveTypes.kind })
				.from(leaveRequestSessions)
				.innerJoin(leaveRequests, eq(leaveRequests.id, leaveRequestSessions.leaveRequestId))
				.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
				.where(
					and(
						eq(leaveRequestSessions.sessionId, row.sessionId),
						eq(leaveRequestSessions.personId, row.personId),
						eq(leaveRequestSessions.active, 1),
						eq(leaveRequests.status, "approved"),
					),
				)
				.get(),
		]);
		const status = deriveAttendanceStatus({
			session: row,
			plan: row.grace,
			checkInAt: punch?.checkInAt ?? null,
			checkOutAt: punch?.checkOutAt ?? null,
			leave: leave ? { kind: leave.kind } : null,
			now,
		});
		statements.push(
			traineeStatusStatement(db, {
				sessionId: row.sessionId,
				personId: row.personId,
				status,
				leaveTypeCode: leave?.code ?? null,
				now,
			}),
		);
	}
	await runInBatches(db, statements, 50);
}

/** Writes a trainee's derived status of a session (the punches of the row stay as they are). */
export function traineeStatusStatement(
	db: Db,
	row: {
		sessionId: number;
		personId: number;
		status: AttendanceStatus;
		leaveTypeCode: string | null;
		now: number;
	},
) {
	const { status, leaveTypeCode, now } = row;
	return db
		.insert(attendance)
		.values({
			sessionId: row.sessionId,
			personId: row.personId,
			role: "trainee",
			status,
			leaveTypeCode,
			updatedAt: now,
		})
		.onConflictDoUpdate({
			target: [attendance.sessionId, attendance.personId],
			set: { status, leaveTypeCode, updatedAt: sql`${now}` },
		});
}
