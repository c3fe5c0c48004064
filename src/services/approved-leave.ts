// Approved leave covering a session, per person: what the close-out job, the 出勤 page and
// corrections read to show 請假 (with its type) instead of what the punches say.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { leaveRequestSessions, leaveRequests, leaveTypes } from "../db/schema";
import type { LeaveKind } from "../domain/leave-types";

/** Approved leave covering the session, per person (only these people when given). */
export async function approvedLeaveOf(
	db: Db,
	sessionId: number,
	personIds?: number[],
): Promise<Map<number, { code: string; name: string; kind: LeaveKind }>> {
	const rows = await db
		.select({
			personId: leaveRequestSessions.personId,
			code: leaveTypes.code,
			name: leaveTypes.name,
			kind: leaveTypes.kind,
		})
		.from(leaveRequestSessions)
		.innerJoin(leaveRequests, eq(leaveRequests.id, leaveRequestSessions.leaveRequestId))
		.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.where(
			and(
				eq(leaveRequestSessions.sessionId, sessionId),
				eq(leaveRequestSessions.active, 1),
				eq(leaveRequests.status, "approved"),
				personIds ? inArray(leaveRequestSessions.personId, personIds) : undefined,
			),
		);
	return new Map(rows.map((r) => [r.personId, { code: r.code, name: r.name, kind: r.kind }]));
}
