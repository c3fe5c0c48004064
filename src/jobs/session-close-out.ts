// Close-out of ended sessions (every 15 minutes): once check-out has closed, every trainee of the
// class gets a final status — 曠課 without any punch, 未簽到 / 未簽退 with one missing, 請假 with
// approved leave. Bounded per run; a session is closed once (closed_at), so running again is a no-op.
import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { runInBatches } from "../db/batch";
import type { Db } from "../db/client";
import { attendance, classes, enrollments, plans, sessions } from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import { approvedLeaveOf } from "../services/approved-leave";
import { traineeStatusStatement } from "../services/attendance-refresh";

export const CLOSE_OUT_BATCH = 50;
const MINUTE = 60_000;

export async function closeOutSessions(deps: {
	db: Db;
	now: number;
}): Promise<{ sessions: number; rows: number }> {
	const { db, now } = deps;
	// Check-out closes at most a few hours after the end; candidates are read by the index, then each
	// plan's own window decides.
	const due = await db
		.select({ session: sessions, plan: plans })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(and(isNull(sessions.closedAt), lte(sessions.endsAt, now)))
		.orderBy(asc(sessions.endsAt))
		.limit(CLOSE_OUT_BATCH);
	let rows = 0;
	let closed = 0;
	for (const { session, plan } of due) {
		if (now < session.endsAt + plan.checkOutClosesMinutes * MINUTE) continue;
		const [trainees, records, leave] = await Promise.all([
			db
				.select({ personId: enrollments.personId })
				.from(enrollments)
				.where(and(eq(enrollments.classId, session.classId), eq(enrollments.status, "active"))),
			db.select().from(attendance).where(eq(attendance.sessionId, session.id)),
			approvedLeaveOf(db, session.id),
		]);
		const statements = [];
		for (const { personId } of trainees) {
			const record = records.find((r) => r.personId === personId);
			if (record?.correctedAt) continue; // a clerk's correction stands
			const approved = leave.get(personId) ?? null;
			const status = session.cancelledAt
				? null
				: deriveAttendanceStatus({
						session,
						plan,
						checkInAt: record?.checkInAt ?? null,
						checkOutAt: record?.checkOutAt ?? null,
						leave: approved ? { kind: approved.kind } : null,
						now,
					});
			if (
				!status ||
				(record && record.status === status && record.leaveTypeCode === (approved?.code ?? null))
			)
				continue;
			statements.push(
				traineeStatusStatement(db, {
					sessionId: session.id,
					personId,
					status,
					leaveTypeCode: approved?.code ?? null,
					now,
				}),
			);
		}
		const close = db
			.update(sessions)
			.set({ closedAt: now })
			.where(and(eq(sessions.id, session.id), isNull(sessions.closedAt)));
		// The closed mark is written last: a failure leaves the session open for the next run.
		await runInBatches(db, statements, 90);
		await close;
		rows += statements.length;
		closed++;
	}
	return { sessions: closed, rows };
}
