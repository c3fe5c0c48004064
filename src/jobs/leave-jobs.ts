// Scheduled leave jobs: expiry of unreviewed requests (00:00 Taipei) and the weekday digest to units
// (08:00 Taipei). Both are bounded per run and idempotent: every write is conditional on the state
// it changes, and notices carry a dedupe key.
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
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
	units,
} from "../db/schema";
import { expiresAt } from "../domain/leave-policy";
import { formatRocDate } from "../domain/roc-date";
import { addDays, taipeiDate } from "../domain/taipei-time";
import type { Settings } from "../env";
import { leaveResultMessages } from "../line/leave-messages";
import { enqueue } from "../services/outbox";

export const EXPIRY_BATCH = 200;

/**
 * Pending requests whose review window has closed become 已逾期 (expired): their sessions are freed,
 * the change is audited, and the trainee (LINE) and the unit (e-mail) are told once.
 */
export async function expireUnreviewedLeave(deps: {
	db: Db;
	now: number;
	settings: Settings;
}): Promise<{ expired: number }> {
	const { db, now, settings } = deps;
	// Candidates: pending and past the shortest possible window; the plan's own window decides below.
	const candidates = await db
		.select({
			request: leaveRequests,
			reviewWindowDays: plans.reviewWindowDays,
			typeName: leaveTypes.name,
			lineUserId: lineBindings.lineUserId,
			unitEmail: units.contactEmail,
		})
		.from(leaveRequests)
		.innerJoin(classes, eq(classes.id, leaveRequests.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.innerJoin(units, eq(units.id, leaveRequests.unitId))
		.innerJoin(leaveTypes, eq(leaveTypes.code, leaveRequests.leaveTypeCode))
		.leftJoin(
			lineBindings,
			and(eq(lineBindings.personId, leaveRequests.personId), eq(lineBindings.role, "trainee")),
		)
		.where(and(eq(leaveRequests.status, "pending"), lte(leaveRequests.lastDate, taipeiDate(now))))
		.orderBy(asc(leaveRequests.lastDate))
		.limit(EXPIRY_BATCH);
	let expired = 0;
	for (const c of candidates) {
		const r = c.request;
		if (now < expiresAt(r.lastDate, { reviewWindowDays: c.reviewWindowDays })) continue;
		// The cron may fire twice with the same scheduled time: the run that did not change the row
		// finds "expired at now" too, so the follow-ups also need "not audited yet" (the audit is last).
		const marker = and(
			eq(leaveRequests.id, r.id),
			eq(leaveRequests.status, "expired"),
			eq(leaveRequests.expiredAt, now),
			sql`NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.entityType} = 'leave_request' AND ${auditLog.entityId} = ${String(r.id)} AND ${auditLog.action} = 'leave.expired')`,
		);
		const guard = { from: leaveRequests, where: marker };
		const [updated] = await db.batch([
			db
				.update(leaveRequests)
				.set({ status: "expired", expiredAt: now, updatedAt: now })
				.where(and(eq(leaveRequests.id, r.id), eq(leaveRequests.status, "pending"))),
			db
				.update(leaveRequestSessions)
				.set({ active: null })
				.where(
					and(
						eq(leaveRequestSessions.leaveRequestId, r.id),
						sql`EXISTS (SELECT 1 FROM leave_requests WHERE ${marker})`,
					),
				),
			...(c.lineUserId
				? [
						insertIf(
							db,
							outbox,
							{
								channel: "line_push",
								recipient: c.lineUserId,
								payload: JSON.stringify({
									messages: leaveResultMessages(settings, { ...r, typeName: c.typeName }, "expired", null),
								}),
								retryKey: crypto.randomUUID(),
								dedupeKey: `leave:${r.id}:expired`,
								nextAttemptAt: now,
								createdAt: now,
							},
							guard,
						),
					]
				: []),
			...(c.unitEmail
				? [
						insertIf(
							db,
							outbox,
							{
								channel: "email",
								recipient: c.unitEmail,
								payload: JSON.stringify({
									subject: "Training LINE：假單逾期未審核",
									text: `假單 #${r.id}（${c.typeName}，${formatRocDate(r.firstDate)}）已逾期未審核，狀態改為「已逾期」。如需處理請至管理後台。`,
								}),
								retryKey: crypto.randomUUID(),
								dedupeKey: `leave-unit:${r.id}:expired`,
								nextAttemptAt: now,
								createdAt: now,
							},
							guard,
						),
					]
				: []),
			insertIf(
				db,
				auditLog,
				{
					at: now,
					actorType: "system",
					actorId: "leave-expiry",
					unitId: r.unitId,
					action: "leave.expired",
					entityType: "leave_request",
					entityId: String(r.id),
					before: JSON.stringify({ status: "pending" }),
					after: JSON.stringify({ status: "expired" }),
				},
				guard,
			),
		]);
		expired += updated.meta.changes;
	}
	return { expired };
}

/** Days before expiry at which a pending request is listed in the unit's morning digest. */
export const DIGEST_DAYS_AHEAD = 2;

/** One e-mail per unit and Taipei day: pending requests that expire within DIGEST_DAYS_AHEAD days. */
export async function digestPendingLeave(deps: { db: Db; now: number }): Promise<{ units: number }> {
	const { db, now } = deps;
	const today = taipeiDate(now);
	const pending = await db
		.select({
			id: leaveRequests.id,
			unitId: leaveRequests.unitId,
			lastDate: leaveRequests.lastDate,
			reviewWindowDays: plans.reviewWindowDays,
		})
		.from(leaveRequests)
		.innerJoin(classes, eq(classes.id, leaveRequests.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(
			and(
				eq(leaveRequests.status, "pending"),
				lte(leaveRequests.lastDate, addDays(today, DIGEST_DAYS_AHEAD)),
			),
		)
		.limit(2000);
	const soon = pending.filter((p) => expiresAt(p.lastDate, p) - now <= (DIGEST_DAYS_AHEAD + 1) * 86_400_000);
	const byUnit = new Map<number, number>();
	for (const p of soon) byUnit.set(p.unitId, (byUnit.get(p.unitId) ?? 0) + 1);
	if (byUnit.size === 0) return { units: 0 };
	const contacts = await db
		.select()
		.from(units)
		.where(inArray(units.id, [...byUnit.keys()]));
	let sent = 0;
	for (const unit of contacts) {
		if (!unit.contactEmail) continue;
		await enqueue(
			db,
			{
				channel: "email",
				recipient: unit.contactEmail,
				payload: {
					subject: "Training LINE：待審核假單即將逾期",
					text: `${unit.name} 您好：目前有 ${byUnit.get(unit.id)} 張待審核假單將在 ${DIGEST_DAYS_AHEAD} 天內逾期，請至管理後台「請假審核」處理。`,
				},
				dedupeKey: `digest:${unit.id}:${today}`,
			},
			now,
		);
		sent++;
	}
	return { units: sent };
}
