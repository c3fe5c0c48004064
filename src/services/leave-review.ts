// 線上請假, the training unit's side: approve or reject (one or many at once), revoke an approved
// request within the plan's window. Each request changes atomically with its audit entry and the
// trainee's LINE notice (one D1 batch per request, every write guarded by the decision itself), so
// a withdraw racing a review ends in exactly one outcome.
import { and, eq, inArray, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import type { Db } from "../db/client";
import {
	auditLog,
	classes,
	leaveRequestSessions,
	leaveRequests,
	leaveTypes,
	lineBindings,
	outbox,
	plans,
} from "../db/schema";
import { revokeDeadline } from "../domain/leave-policy";
import { LEAVE_STATUS_LABELS, type LeaveStatus } from "../domain/leave-status";
import type { Settings } from "../env";
import { leaveResultMessages } from "../line/leave-messages";
import { describeError, log } from "../log";
import { refreshAttendance } from "./attendance-refresh";

/** Who reviews: a unit's staff (scoped to the unit) or an agency admin (unitId null: every unit). */
export type Reviewer = { staffId: number; unitId: number | null };
export type ReviewDeps = { db: Db; now: number; settings: Settings };

export type ReviewOutcome =
	| { id: number; ok: true; status: LeaveStatus }
	| { id: number; ok: false; code: string; message: string; status?: LeaveStatus };

export const MAX_BULK_REVIEW = 200;
const CONCURRENCY = 8;

type RequestRow = typeof leaveRequests.$inferSelect & { typeName: string; lineUserId: string | null };

async function loadRequests(db: Db, ids: number[], reviewer: Reviewer): Promise<Map<number, RequestRow>> {
	const rows: RequestRow[] = [];
	for (let i = 0; i < ids.length; i += 90) {
		const chunk = ids.slice(i, i + 90);
		rows.push(
			...(
				await db
					.select({
						request: leaveRequests,
						typeName: leaveTypes.name,
						lineUserId: lineBindings.lineUserId,
					})
					.from(leaveRequests)
					.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
					.leftJoin(
						lineBindings,
						and(eq(lineBindings.personId, leaveRequests.personId), eq(lineBindings.role, "trainee")),
					)
					.where(
						and(
							inArray(leaveRequests.id, chunk),
							reviewer.unitId === null ? undefined : eq(leaveRequests.unitId, reviewer.unitId),
						),
					)
			).map((r) => ({ ...r.request, typeName: r.typeName, lineUserId: r.lineUserId })),
		);
	}
	return new Map(rows.map((r) => [r.id, r]));
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let i = 0; i < items.length; i += size)
		results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
	return results;
}

/** The guarded writes that follow a decision: audit, notice to the trainee, sessions freed. */
function followUps(
	deps: ReviewDeps,
	request: RequestRow,
	marker: ReturnType<typeof and>,
	change: { action: string; from: LeaveStatus; to: LeaveStatus; remark: string | null; actorId: number },
) {
	const { db, now } = deps;
	const guard = { from: leaveRequests, where: marker };
	const writes: Parameters<Db["batch"]>[0][number][] = [
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "staff",
				actorId: String(change.actorId),
				unitId: request.unitId,
				action: change.action,
				entityType: "leave_request",
				entityId: String(request.id),
				before: JSON.stringify({ status: change.from }),
				after: JSON.stringify({ status: change.to, remark: change.remark }),
			},
			guard,
		),
	];
	if (change.to !== "approved") {
		writes.push(
			db
				.update(leaveRequestSessions)
				.set({ active: null })
				.where(
					and(
						eq(leaveRequestSessions.leaveRequestId, request.id),
						sql`EXISTS (SELECT 1 FROM leave_requests WHERE ${marker})`,
					),
				),
		);
	}
	if (request.lineUserId) {
		writes.push(
			insertIf(
				db,
				outbox,
				{
					channel: "line_push",
					recipient: request.lineUserId,
					payload: JSON.stringify({
						messages: leaveResultMessages(deps.settings, request, change.to, change.remark),
					}),
					retryKey: crypto.randomUUID(),
					dedupeKey: `leave:${request.id}:${change.to}`,
					nextAttemptAt: now,
					createdAt: now,
				},
				guard,
			),
		);
	}
	return writes;
}

/** Approves or rejects up to 200 pending requests; each ends on its own (a race loses with 409). */
export async function reviewLeave(
	deps: ReviewDeps,
	reviewer: Reviewer,
	input: { ids: number[]; decision: "approved" | "rejected"; remark: string | null },
): Promise<ReviewOutcome[]> {
	const { db, now } = deps;
	const ids = [...new Set(input.ids)].slice(0, MAX_BULK_REVIEW);
	const requests = await loadRequests(db, ids, reviewer);
	const outcomes = await inBatches(ids, CONCURRENCY, async (id): Promise<ReviewOutcome> => {
		const request = requests.get(id);
		// Another unit's request is "not found", never "forbidden": its existence is not told.
		if (!request) return { id, ok: false, code: "NOT_FOUND", message: "找不到這張假單" };
		const marker = and(
			eq(leaveRequests.id, id),
			eq(leaveRequests.status, input.decision),
			eq(leaveRequests.reviewedAt, now),
			eq(leaveRequests.reviewerStaffId, reviewer.staffId),
		);
		let updated: { meta: { changes: number } };
		try {
			[updated] = await db.batch([
				db
					.update(leaveRequests)
					.set({
						status: input.decision,
						reviewedAt: now,
						reviewerStaffId: reviewer.staffId,
						reviewRemark: input.remark,
						updatedAt: now,
					})
					.where(and(eq(leaveRequests.id, id), eq(leaveRequests.status, "pending"))),
				...followUps(deps, request, marker, {
					action: input.decision === "approved" ? "leave.approved" : "leave.rejected",
					from: "pending",
					to: input.decision,
					remark: input.remark,
					actorId: reviewer.staffId,
				}),
			]);
		} catch (err) {
			// The batch left nothing of this request; the others of the bulk still end (and get
			// their attendance refreshed below) instead of the whole page failing half-done.
			log.error("leave_review_write_failed", { id, error: describeError(err) });
			return { id, ok: false, code: "SERVICE_UNAVAILABLE", message: "暫時無法儲存，請稍後再試" };
		}
		if (updated.meta.changes === 1) return { id, ok: true, status: input.decision };
		const current = await db
			.select({ status: leaveRequests.status })
			.from(leaveRequests)
			.where(eq(leaveRequests.id, id))
			.get();
		const status = current?.status ?? request.status;
		return {
			id,
			ok: false,
			code: "LEAVE_STATUS_CHANGED",
			message: `假單已是「${LEAVE_STATUS_LABELS[status]}」，無法再審核`,
			status,
		};
	});
	await refreshAttendance(
		db,
		[...requests.values()].filter((r) => outcomes.some((o) => o.id === r.id && o.ok)),
		now,
	);
	return outcomes;
}

/** Revokes an approved request (units only), until the plan's window closes; a reason is required. */
export async function revokeLeave(
	deps: ReviewDeps,
	reviewer: Reviewer,
	id: number,
	reason: string,
): Promise<ReviewOutcome> {
	const { db, now } = deps;
	const request = (await loadRequests(db, [id], reviewer)).get(id);
	if (!request) return { id, ok: false, code: "NOT_FOUND", message: "找不到這張假單" };
	if (request.status !== "approved") {
		return {
			id,
			ok: false,
			code: "LEAVE_NOT_APPROVED",
			message: "只有已通過的假單可以撤銷",
			status: request.status,
		};
	}
	const plan = await db
		.select({ revokeWindowDays: plans.revokeWindowDays })
		.from(classes)
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(eq(classes.id, request.classId))
		.get();
	if (now >= revokeDeadline(request.lastDate, { revokeWindowDays: plan?.revokeWindowDays ?? 14 })) {
		return {
			id,
			ok: false,
			code: "REVOKE_WINDOW_PASSED",
			message: `已超過撤銷期限（請假日後 ${plan?.revokeWindowDays ?? 14} 天）`,
			status: request.status,
		};
	}
	const marker = and(
		eq(leaveRequests.id, id),
		eq(leaveRequests.status, "revoked"),
		eq(leaveRequests.revokedAt, now),
	);
	const [updated] = await db.batch([
		db
			.update(leaveRequests)
			.set({
				status: "revoked",
				revokedAt: now,
				revokedByStaffId: reviewer.staffId,
				revokeReason: reason,
				updatedAt: now,
			})
			.where(and(eq(leaveRequests.id, id), eq(leaveRequests.status, "approved"))),
		...followUps(deps, request, marker, {
			action: "leave.revoked",
			from: "approved",
			to: "revoked",
			remark: reason,
			actorId: reviewer.staffId,
		}),
	]);
	if (updated.meta.changes !== 1)
		return { id, ok: false, code: "LEAVE_STATUS_CHANGED", message: "假單狀態已變更，請重新整理" };
	await refreshAttendance(db, [request], now);
	return { id, ok: true, status: "revoked" };
}
