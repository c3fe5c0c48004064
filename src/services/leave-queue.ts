// 請假審核 list for a training unit: requests filtered by class, status, type and leave date, each with
// the trainee's approved leave hours in the class and the plan's warning. Scoped to the reviewer's
// unit (the agency sees every unit). The dashboard's review page is built on it.
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
	classes,
	leaveRequestSessions,
	leaveRequests,
	leaveTypes,
	people,
	plans,
	sessions,
} from "../db/schema";
import { type LeaveWarning, leaveWarning } from "../domain/leave-hours";
import { revokeDeadline } from "../domain/leave-policy";
import { LEAVE_STATUS_LABELS, type LeaveStatus } from "../domain/leave-status";
import { type AttachmentView, attachmentsOf } from "./leave-attachments";
import type { Reviewer } from "./leave-review";

export type LeaveQueueFilters = {
	/** One request (the detail page). */
	id?: number;
	status?: LeaveStatus;
	classId?: number;
	typeCode?: string;
	/** Leave dates overlapping [from, to] (Taipei YYYY-MM-DD). */
	from?: string;
	to?: string;
	limit?: number;
	offset?: number;
};

export type LeaveQueueItem = {
	id: number;
	status: LeaveStatus;
	statusLabel: string;
	typeName: string;
	remark: string | null;
	firstDate: string;
	lastDate: string;
	hours: number;
	submittedAt: number;
	trainee: { personId: number; name: string; nationalIdMasked: string };
	class: { id: number; code: string; name: string };
	attachments: number;
	/** Approved leave hours of the trainee in the class, and with this request if it is approved. */
	approvedHours: number;
	hoursIfApproved: number;
	warning: LeaveWarning;
};

export const LEAVE_QUEUE_PAGE = 50;

export async function unitLeaveQueue(
	db: Db,
	reviewer: Reviewer,
	filters: LeaveQueueFilters = {},
): Promise<LeaveQueueItem[]> {
	const rows = await db
		.select({
			request: leaveRequests,
			typeName: leaveTypes.name,
			name: people.name,
			nationalIdMasked: people.nationalIdMasked,
			klass: { id: classes.id, code: classes.code, name: classes.name, totalHours: classes.totalHours },
			warningRatio: plans.leaveHoursWarningRatio,
		})
		.from(leaveRequests)
		.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.innerJoin(people, eq(people.id, leaveRequests.personId))
		.innerJoin(classes, eq(classes.id, leaveRequests.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(
			and(
				reviewer.unitId === null ? undefined : eq(leaveRequests.unitId, reviewer.unitId),
				filters.id ? eq(leaveRequests.id, filters.id) : undefined,
				filters.status ? eq(leaveRequests.status, filters.status) : undefined,
				filters.classId ? eq(leaveRequests.classId, filters.classId) : undefined,
				filters.typeCode ? eq(leaveRequests.leaveTypeCode, filters.typeCode) : undefined,
				filters.from ? gte(leaveRequests.lastDate, filters.from) : undefined,
				filters.to ? lte(leaveRequests.firstDate, filters.to) : undefined,
			),
		)
		.orderBy(desc(leaveRequests.submittedAt), desc(leaveRequests.id))
		.limit(Math.min(filters.limit ?? LEAVE_QUEUE_PAGE, 200))
		.offset(filters.offset ?? 0);
	if (rows.length === 0) return [];

	const personIds = [...new Set(rows.map((r) => r.request.personId))];
	const [approved, files] = await Promise.all([
		db
			.select({
				personId: leaveRequests.personId,
				classId: leaveRequests.classId,
				hours: sql<number>`SUM(${leaveRequests.hours})`,
			})
			.from(leaveRequests)
			// Unary + keeps SQLite on the per-person index: the status index would read every
			// approved request of every unit.
			.where(and(inArray(leaveRequests.personId, personIds), sql`+${leaveRequests.status} = 'approved'`))
			.groupBy(leaveRequests.personId, leaveRequests.classId),
		attachmentsOf(
			db,
			rows.map((r) => r.request.id),
		),
	]);
	const approvedOf = (personId: number, classId: number) =>
		approved.find((a) => a.personId === personId && a.classId === classId)?.hours ?? 0;

	return rows.map(({ request: r, typeName, name, nationalIdMasked, klass, warningRatio }) => {
		const approvedHours = approvedOf(r.personId, r.classId);
		const hoursIfApproved = r.status === "pending" ? approvedHours + r.hours : approvedHours;
		return {
			id: r.id,
			status: r.status,
			statusLabel: LEAVE_STATUS_LABELS[r.status],
			typeName,
			remark: r.remark,
			firstDate: r.firstDate,
			lastDate: r.lastDate,
			hours: r.hours,
			submittedAt: r.submittedAt,
			trainee: { personId: r.personId, name, nationalIdMasked },
			class: { id: klass.id, code: klass.code, name: klass.name },
			attachments: files.get(r.id)?.length ?? 0,
			approvedHours,
			hoursIfApproved,
			warning: leaveWarning(hoursIfApproved, klass.totalHours, warningRatio),
		};
	});
}

export type LeaveDetail = LeaveQueueItem & {
	reviewRemark: string | null;
	reviewedAt: number | null;
	sessions: { id: number; date: string; startsAt: number; endsAt: number; subject: string; hours: number }[];
	files: AttachmentView[];
	/** Until when the unit may revoke it (exclusive), when it is approved. */
	revokeUntil: number | null;
};

/** One request of the reviewer's unit with its sessions and files; null for another unit's. */
export async function unitLeaveDetail(db: Db, reviewer: Reviewer, id: number): Promise<LeaveDetail | null> {
	const [item] = await unitLeaveQueue(db, reviewer, { id, limit: 1 });
	if (!item) return null;
	const [row, covered, files] = await Promise.all([
		db
			.select({ request: leaveRequests, revokeWindowDays: plans.revokeWindowDays })
			.from(leaveRequests)
			.innerJoin(classes, eq(classes.id, leaveRequests.classId))
			.innerJoin(plans, eq(plans.id, classes.planId))
			.where(eq(leaveRequests.id, id))
			.get(),
		db
			.select({ session: sessions })
			.from(leaveRequestSessions)
			.innerJoin(sessions, eq(sessions.id, leaveRequestSessions.sessionId))
			.where(eq(leaveRequestSessions.leaveRequestId, id))
			.orderBy(asc(sessions.startsAt)),
		attachmentsOf(db, [id]),
	]);
	if (!row) return null;
	return {
		...item,
		reviewRemark: row.request.reviewRemark ?? row.request.revokeReason,
		reviewedAt: row.request.reviewedAt,
		sessions: covered.map(({ session: s }) => ({
			id: s.id,
			date: s.date,
			startsAt: s.startsAt,
			endsAt: s.endsAt,
			subject: s.subject,
			hours: s.hours,
		})),
		files: files.get(id) ?? [],
		revokeUntil:
			item.status === "approved"
				? revokeDeadline(item.lastDate, { revokeWindowDays: row.revokeWindowDays })
				: null,
	};
}
