// 今日's attention list: who was absent today, whose leave nears the plan's limit in a running
// class, and which trainees a LINE message could not reach (so the clerk can call them).
import { and, desc, eq, gt, gte, inArray, sql } from "drizzle-orm";
import { selectInChunks } from "../db/batch";
import type { Db } from "../db/client";
import {
	attendance,
	classes,
	enrollments,
	leaveRequests,
	lineBindings,
	outbox,
	people,
	plans,
	sessions,
} from "../db/schema";
import { type LeaveWarningLevel, leaveWarning, NEAR_SHARE } from "../domain/leave-hours";
import { type UndeliveredReason, undeliveredReason } from "../domain/undelivered-reason";

/** Enough for a clerk to act on in one morning; the count says when there are more. */
export const ALERT_LIST_LIMIT = 20;

export type AbsentTrainee = {
	personId: number;
	name: string;
	sessionId: number;
	subject: string;
	startsAt: number;
	classCode: string;
};
export type LeaveHoursAlert = {
	personId: number;
	name: string;
	classId: number;
	classCode: string;
	approvedHours: number;
	threshold: number;
	level: Exclude<LeaveWarningLevel, "ok">;
};
export type UndeliveredMessage = {
	outboxId: number;
	name: string;
	createdAt: number;
	/** Why, for the clerk (blocked, refused, or given up after retries). */
	reason: UndeliveredReason;
};
export type Listed<T> = { total: number; items: T[] };
export type UnitAlerts = {
	absent: Listed<AbsentTrainee>;
	leaveHours: Listed<LeaveHoursAlert>;
	undelivered: Listed<UndeliveredMessage>;
};

/** Undelivered messages older than this are history, not today's work. */
const UNDELIVERED_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

const listed = <T>(rows: T[]): Listed<T> => ({ total: rows.length, items: rows.slice(0, ALERT_LIST_LIMIT) });

/** unitId null is the agency (every unit). `sessionIds` are today's sessions already listed. */
export async function unitAlerts(
	db: Db,
	unitId: number | null,
	date: string,
	sessionIds: number[],
	now: number,
): Promise<UnitAlerts> {
	const mine = unitId === null ? undefined : eq(classes.unitId, unitId);
	// Only running classes with their total hours set (no limit to warn about otherwise); walking
	// them keeps the sum on the per-class index instead of the unit's whole leave history.
	const runningClasses = db
		.select({ id: classes.id })
		.from(classes)
		.where(and(mine, gte(classes.endDate, date), gt(classes.totalHours, 0)));
	const lookback = now - UNDELIVERED_LOOKBACK_MS;
	const [absent, leaveTotals, undeliveredRows] = await Promise.all([
		sessionIds.length === 0 ? [] : absentToday(db, sessionIds),
		db
			.select({
				personId: leaveRequests.personId,
				name: people.name,
				classId: classes.id,
				classCode: classes.code,
				totalHours: classes.totalHours,
				ratio: plans.leaveHoursWarningRatio,
				hours: sql<number>`SUM(${leaveRequests.hours})`,
			})
			.from(leaveRequests)
			.innerJoin(classes, eq(classes.id, leaveRequests.classId))
			.innerJoin(plans, eq(plans.id, classes.planId))
			.innerJoin(people, eq(people.id, leaveRequests.personId))
			.where(and(inArray(leaveRequests.classId, runningClasses), eq(leaveRequests.status, "approved")))
			.groupBy(leaveRequests.personId, classes.id)
			.having(
				sql`SUM(${leaveRequests.hours}) >= ${classes.totalHours} * ${plans.leaveHoursWarningRatio} * ${NEAR_SHARE}`,
			)
			.orderBy(desc(sql`SUM(${leaveRequests.hours}) / ${classes.totalHours}`)),
		db
			.selectDistinct({
				outboxId: outbox.id,
				name: people.name,
				createdAt: outbox.createdAt,
				status: outbox.status,
				lastError: outbox.lastError,
			})
			.from(outbox)
			.innerJoin(lineBindings, eq(lineBindings.lineUserId, outbox.recipient))
			.innerJoin(people, eq(people.id, lineBindings.personId))
			.innerJoin(enrollments, eq(enrollments.personId, people.id))
			.innerJoin(classes, eq(classes.id, enrollments.classId))
			.where(
				and(
					// Given up after retries (dead) or at once (failed: blocked, or refused by LINE).
					// next_attempt_at of a finished row is its give-up time, never before its creation:
					// bounding it too keeps the read a range of the status index, not every failed row ever.
					inArray(outbox.status, ["dead", "failed"]),
					gte(outbox.nextAttemptAt, lookback),
					eq(outbox.channel, "line_push"),
					gte(outbox.createdAt, lookback),
					mine,
				),
			)
			.orderBy(desc(outbox.createdAt))
			.limit(200),
	]);
	const leaveHours = leaveTotals.flatMap((row) => {
		const { threshold, level } = leaveWarning(row.hours, row.totalHours, row.ratio);
		return level === "ok"
			? []
			: [
					{
						personId: row.personId,
						name: row.name,
						classId: row.classId,
						classCode: row.classCode,
						approvedHours: row.hours,
						threshold,
						level,
					},
				];
	});
	const undelivered = undeliveredRows.map(
		({ status, lastError, ...row }): UndeliveredMessage => ({
			...row,
			reason: undeliveredReason(status === "dead" ? "dead" : "failed", lastError),
		}),
	);
	return { absent: listed(absent), leaveHours: listed(leaveHours), undelivered: listed(undelivered) };
}

function absentToday(db: Db, sessionIds: number[]): Promise<AbsentTrainee[]> {
	return selectInChunks(sessionIds, (chunk) =>
		db
			.select({
				personId: attendance.personId,
				name: people.name,
				sessionId: sessions.id,
				subject: sessions.subject,
				startsAt: sessions.startsAt,
				classCode: classes.code,
			})
			.from(attendance)
			.innerJoin(sessions, eq(sessions.id, attendance.sessionId))
			.innerJoin(classes, eq(classes.id, sessions.classId))
			.innerJoin(people, eq(people.id, attendance.personId))
			.where(
				and(
					inArray(attendance.sessionId, chunk),
					eq(attendance.role, "trainee"),
					eq(attendance.status, "absent"),
				),
			),
	).then((rows) => rows.sort((a, b) => a.startsAt - b.startsAt || a.classCode.localeCompare(b.classCode)));
}
