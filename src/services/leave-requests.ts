// 線上請假, the trainee's side: ask for leave over sessions, list requests (請假節次), withdraw (銷假).
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { insertIf, selectInChunks } from "../db/batch";
import type { Db } from "../db/client";
import {
	attendance,
	auditLog,
	leaveRequestSessions,
	leaveRequests,
	leaveTypes,
	sessions,
} from "../db/schema";
import {
	advanceNoticeSuggestion,
	canWithdraw,
	type LeaveProblem,
	leaveProblems,
	withdrawDeadline,
} from "../domain/leave-policy";
import { LEAVE_STATUS_LABELS, type LeaveStatus } from "../domain/leave-status";
import { taipeiDate } from "../domain/taipei-time";
import { type AttachmentView, attachmentsOf } from "./leave-attachments";
import { enabledLeaveTypes, type TraineeClass } from "./trainee-class";

export type LeaveDeps = { db: Db; now: number };

export type LeaveInput = { sessionIds: number[]; typeCode: string; remark: string; clientKey: string };

export type SubmitResult =
	| { ok: true; requestId: number; created: boolean; suggestion: string | null }
	| { ok: false; code: "LEAVE_NOT_ALLOWED"; problems: LeaveProblem[] }
	| { ok: false; code: "LEAVE_OVERLAP"; message: string };

const isUniqueViolation = (err: unknown) =>
	/UNIQUE constraint failed/.test(String((err as Error)?.cause ?? err));

/**
 * Files a request over one or more sessions. The client key makes a double tap one request; the
 * partial unique index on (person, session) for active requests makes two concurrent submits
 * over a shared session end in one request and one LEAVE_OVERLAP.
 */
export async function submitLeave(
	deps: LeaveDeps,
	personId: number,
	klass: TraineeClass,
	input: LeaveInput,
): Promise<SubmitResult> {
	const { db, now } = deps;
	const existing = await db
		.select({ id: leaveRequests.id })
		.from(leaveRequests)
		.where(and(eq(leaveRequests.personId, personId), eq(leaveRequests.idempotencyKey, input.clientKey)))
		.get();
	if (existing) return { ok: true, requestId: existing.id, created: false, suggestion: null };

	const ids = [...new Set(input.sessionIds)];
	const [rows, types] = await Promise.all([
		db
			.select({ session: sessions, checkInAt: attendance.checkInAt, checkOutAt: attendance.checkOutAt })
			.from(sessions)
			.leftJoin(attendance, and(eq(attendance.sessionId, sessions.id), eq(attendance.personId, personId)))
			.where(inArray(sessions.id, ids))
			.orderBy(asc(sessions.startsAt)),
		enabledLeaveTypes(db, klass.plan.id),
	]);
	const allTypes = await db.select().from(leaveTypes).where(eq(leaveTypes.code, input.typeCode)).get();
	if (rows.length !== ids.length)
		return {
			ok: false,
			code: "LEAVE_NOT_ALLOWED",
			problems: [{ code: "SESSION_NOT_IN_CLASS", message: "找不到勾選的課程，請重新整理後再試" }],
		};
	if (!allTypes)
		return {
			ok: false,
			code: "LEAVE_NOT_ALLOWED",
			problems: [{ code: "TYPE_NOT_ENABLED", message: "找不到這個假別，請重新選擇假別" }],
		};
	const problems = leaveProblems({
		sessions: rows.map((r) => ({
			id: r.session.id,
			classId: r.session.classId,
			date: r.session.date,
			startsAt: r.session.startsAt,
			endsAt: r.session.endsAt,
			cancelled: r.session.cancelledAt !== null,
			checkInAt: r.checkInAt ?? null,
			checkOutAt: r.checkOutAt ?? null,
		})),
		klass,
		plan: klass.plan,
		type: { ...allTypes, enabled: types.some((t) => t.code === allTypes.code) },
		now,
	});
	if (problems.length) return { ok: false, code: "LEAVE_NOT_ALLOWED", problems };

	const dates = rows.map((r) => r.session.date).sort();
	const firstDate = dates[0] as string;
	const lastDate = dates.at(-1) as string;
	const hours = rows.reduce((sum, r) => sum + r.session.hours, 0);
	const mine = and(eq(leaveRequests.personId, personId), eq(leaveRequests.idempotencyKey, input.clientKey));
	try {
		await db.batch([
			db.insert(leaveRequests).values({
				personId,
				classId: klass.id,
				unitId: klass.unitId,
				leaveTypeCode: allTypes.code,
				remark: input.remark || null,
				status: "pending",
				firstDate,
				lastDate,
				hours,
				idempotencyKey: input.clientKey,
				submittedAt: now,
				updatedAt: now,
			}),
			...rows.map((r) =>
				insertIf(
					db,
					leaveRequestSessions,
					{
						sessionId: r.session.id,
						personId,
						active: 1,
						leaveRequestId: sql`${leaveRequests.id}` as unknown as number,
					},
					{ from: leaveRequests, where: mine },
				),
			),
			insertIf(
				db,
				auditLog,
				{
					at: now,
					actorType: "line_user",
					actorId: `person:${personId}`,
					unitId: klass.unitId,
					action: "leave.submitted",
					entityType: "leave_request",
					entityId: sql`CAST(${leaveRequests.id} AS TEXT)` as unknown as string,
					after: JSON.stringify({ status: "pending", type: allTypes.code, sessions: ids, hours }),
				},
				{ from: leaveRequests, where: mine },
			),
		]);
	} catch (err) {
		if (!isUniqueViolation(err)) throw err;
		const again = await db.select({ id: leaveRequests.id }).from(leaveRequests).where(mine).get();
		// The same client key won a race with itself: that is the double tap, not an overlap.
		if (again) return { ok: true, requestId: again.id, created: false, suggestion: null };
		return {
			ok: false,
			code: "LEAVE_OVERLAP",
			message: "勾選的課程已有待審核或已通過的假單，不能重複請假。",
		};
	}
	const created = await db.select({ id: leaveRequests.id }).from(leaveRequests).where(mine).get();
	return {
		ok: true,
		requestId: created?.id ?? 0,
		created: true,
		suggestion: advanceNoticeSuggestion(firstDate, allTypes, klass.plan, now),
	};
}

export type LeaveView = {
	id: number;
	status: LeaveStatus;
	statusLabel: string;
	typeCode: string;
	typeName: string;
	remark: string | null;
	reviewRemark: string | null;
	submittedAt: number;
	reviewedAt: number | null;
	firstDate: string;
	lastDate: string;
	hours: number;
	sessions: { id: number; date: string; startsAt: number; endsAt: number; subject: string; hours: number }[];
	/** Until when 我要撤銷 is offered (exclusive instant), or null when it is not. */
	withdrawUntil: number | null;
	attachments: AttachmentView[];
};

/** 請假節次: the trainee's requests, newest first, with sessions and withdraw deadlines. */
export async function myLeaveRequests(
	deps: LeaveDeps,
	personId: number,
	klass: TraineeClass,
	id?: number,
): Promise<LeaveView[]> {
	const { db, now } = deps;
	const requests = await db
		.select({ request: leaveRequests, typeName: leaveTypes.name })
		.from(leaveRequests)
		.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.where(and(eq(leaveRequests.personId, personId), id === undefined ? undefined : eq(leaveRequests.id, id)))
		.orderBy(desc(leaveRequests.submittedAt))
		.limit(200);
	if (requests.length === 0) return [];
	const ids = requests.map((r) => r.request.id);
	const [covered, files] = await Promise.all([
		// Up to 200 requests: D1 binds at most 100 parameters per statement.
		selectInChunks(ids, (chunk) =>
			db
				.select({ requestId: leaveRequestSessions.leaveRequestId, session: sessions })
				.from(leaveRequestSessions)
				.innerJoin(sessions, eq(sessions.id, leaveRequestSessions.sessionId))
				.where(inArray(leaveRequestSessions.leaveRequestId, chunk)),
		).then((rows) => rows.sort((a, b) => a.session.startsAt - b.session.startsAt)),
		attachmentsOf(db, ids),
	]);
	return requests.map(({ request: r, typeName }) => ({
		id: r.id,
		status: r.status,
		statusLabel: LEAVE_STATUS_LABELS[r.status],
		typeCode: r.leaveTypeCode,
		typeName,
		remark: r.remark,
		reviewRemark: r.reviewRemark ?? r.revokeReason,
		submittedAt: r.submittedAt,
		reviewedAt: r.reviewedAt,
		firstDate: r.firstDate,
		lastDate: r.lastDate,
		hours: r.hours,
		sessions: covered
			.filter((c) => c.requestId === r.id)
			.map(({ session: s }) => ({
				id: s.id,
				date: s.date,
				startsAt: s.startsAt,
				endsAt: s.endsAt,
				subject: s.subject,
				hours: s.hours,
			})),
		withdrawUntil: canWithdraw(r, klass.endDate, klass.plan, now).ok
			? withdrawDeadline(r.lastDate, klass.endDate, klass.plan)
			: null,
		attachments: files.get(r.id) ?? [],
	}));
}

export type WithdrawResult =
	| { ok: true }
	| {
			ok: false;
			code: "NOT_FOUND" | "LEAVE_NOT_PENDING" | "WITHDRAW_WINDOW_PASSED" | "LEAVE_STATUS_CHANGED";
			message: string;
			status?: LeaveStatus;
	  };

/**
 * 銷假. The update is conditional on the request still being pending, so a withdraw racing a review
 * ends in exactly one outcome: the loser learns the status that won.
 */
export async function withdrawLeave(
	deps: LeaveDeps,
	personId: number,
	klass: TraineeClass,
	requestId: number,
): Promise<WithdrawResult> {
	const { db, now } = deps;
	const request = await db
		.select()
		.from(leaveRequests)
		.where(and(eq(leaveRequests.id, requestId), eq(leaveRequests.personId, personId)))
		.get();
	if (!request) return { ok: false, code: "NOT_FOUND", message: "找不到這張假單。" };
	const allowed = canWithdraw(request, klass.endDate, klass.plan, now);
	if (!allowed.ok) return { ...allowed, status: request.status };
	const stillPending = and(eq(leaveRequests.id, requestId), eq(leaveRequests.status, "pending"));
	const [updated] = await db.batch([
		db
			.update(leaveRequests)
			.set({ status: "cancelled", cancelledAt: now, updatedAt: now })
			.where(stillPending),
		db
			.update(leaveRequestSessions)
			.set({ active: null })
			.where(
				and(
					eq(leaveRequestSessions.leaveRequestId, requestId),
					sql`EXISTS (SELECT 1 FROM leave_requests WHERE id = ${requestId} AND status = 'cancelled' AND cancelled_at = ${now})`,
				),
			),
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "line_user",
				actorId: `person:${personId}`,
				unitId: request.unitId,
				action: "leave.withdrawn",
				entityType: "leave_request",
				entityId: String(requestId),
				before: JSON.stringify({ status: "pending" }),
				after: JSON.stringify({ status: "cancelled" }),
			},
			{
				from: leaveRequests,
				where: and(
					eq(leaveRequests.id, requestId),
					eq(leaveRequests.status, "cancelled"),
					eq(leaveRequests.cancelledAt, now),
				),
			},
		),
	]);
	if (updated.meta.changes !== 1) {
		const now2 = await db
			.select({ status: leaveRequests.status })
			.from(leaveRequests)
			.where(eq(leaveRequests.id, requestId))
			.get();
		const status = now2?.status ?? request.status;
		return {
			ok: false,
			code: "LEAVE_STATUS_CHANGED",
			message: `假單狀態已變更為「${LEAVE_STATUS_LABELS[status]}」，無法撤銷。`,
			status,
		};
	}
	return { ok: true };
}

export const todayOf = (now: number) => taipeiDate(now);
