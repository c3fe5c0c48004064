// 今日 of the dashboard: a unit's sessions of a Taipei day with attendance so far, and what needs
// the clerk's attention (pending leave, trainees absent; the named lists are in unit-alerts.ts).
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { selectInChunks } from "../db/batch";
import type { Db } from "../db/client";
import { attendance, classes, enrollments, leaveRequests, sessions, units } from "../db/schema";

export type TodaySession = {
	id: number;
	startsAt: number;
	endsAt: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	class: { id: number; code: string; name: string };
	checkedIn: number;
	expected: number;
};

export type UnitToday = {
	sessions: TodaySession[];
	pendingLeave: number;
};

/** A few queries whatever the number of sessions; unitId null is the agency (every unit). */
export async function unitToday(db: Db, unitId: number | null, date: string): Promise<UnitToday> {
	const mine = unitId === null ? undefined : eq(classes.unitId, unitId);
	const rows = await db
		.select({ session: sessions, klass: { id: classes.id, code: classes.code, name: classes.name } })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.where(and(eq(sessions.date, date), mine))
		.orderBy(asc(sessions.startsAt), asc(classes.code))
		.limit(500);
	const sessionIds = rows.map((r) => r.session.id);
	const classIds = [...new Set(rows.map((r) => r.klass.id))];
	const [punched, enrolled, pending] = await Promise.all([
		selectInChunks(sessionIds, (ids) =>
			db
				.select({
					sessionId: attendance.sessionId,
					checkedIn: sql<number>`SUM(CASE WHEN ${attendance.checkInAt} IS NOT NULL THEN 1 ELSE 0 END)`,
				})
				.from(attendance)
				.where(and(inArray(attendance.sessionId, ids), eq(attendance.role, "trainee")))
				.groupBy(attendance.sessionId),
		),
		selectInChunks(classIds, (ids) =>
			db
				.select({ classId: enrollments.classId, n: count() })
				.from(enrollments)
				.where(and(inArray(enrollments.classId, ids), eq(enrollments.status, "active")))
				.groupBy(enrollments.classId),
		),
		db
			.select({ n: count() })
			.from(leaveRequests)
			.where(
				and(
					eq(leaveRequests.status, "pending"),
					unitId === null ? undefined : eq(leaveRequests.unitId, unitId),
				),
			)
			.get(),
	]);
	return {
		sessions: rows.map(({ session: s, klass }) => {
			const p = punched.find((x) => x.sessionId === s.id);
			return {
				id: s.id,
				startsAt: s.startsAt,
				endsAt: s.endsAt,
				subject: s.subject,
				room: s.room,
				cancelled: s.cancelledAt !== null,
				class: klass,
				checkedIn: Number(p?.checkedIn ?? 0),
				expected: enrolled.find((e) => e.classId === klass.id)?.n ?? 0,
			};
		}),
		pendingLeave: pending?.n ?? 0,
	};
}

export async function unitName(db: Db, unitId: number | null): Promise<string> {
	if (unitId === null) return "勞動力發展署（全部單位）";
	return (await db.select({ name: units.name }).from(units).where(eq(units.id, unitId)).get())?.name ?? "";
}
