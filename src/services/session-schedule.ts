// What scheduling a session (課表匯入, 新增節次, 編輯) reads and guards in D1: a class's sessions
// around a time, the unit's teachers, and a guard statement that makes a whole batch fail when it
// would leave two sessions of a class overlapping (D1 has no transactions to re-check in).
import { and, asc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { chunkForParams } from "../db/batch";
import type { Db } from "../db/client";
import { attendance, classes, classTeachers, people, punches, sessions } from "../db/schema";
import type { ScheduledSession } from "../domain/session-draft";

/** The columns of a class that scheduling checks a session against (a TimetableClass). */
export const timetableClassColumns = {
	id: classes.id,
	code: classes.code,
	name: classes.name,
	unitId: classes.unitId,
	startDate: classes.startDate,
	endDate: classes.endDate,
};

/** Sessions of these classes that touch [from, to), cancelled ones included (they keep their start). */
export async function classSessionsBetween(
	db: Db,
	classIds: number[],
	from: number,
	to: number,
): Promise<Map<number, ScheduledSession[]>> {
	const byClass = new Map<number, ScheduledSession[]>(classIds.map((id) => [id, []]));
	for (const chunk of chunkForParams([...new Set(classIds)], 1, 90)) {
		const rows = await db
			.select({
				id: sessions.id,
				classId: sessions.classId,
				date: sessions.date,
				startsAt: sessions.startsAt,
				endsAt: sessions.endsAt,
				subject: sessions.subject,
				cancelledAt: sessions.cancelledAt,
			})
			.from(sessions)
			.where(and(inArray(sessions.classId, chunk), lt(sessions.startsAt, to), gt(sessions.endsAt, from)))
			.orderBy(asc(sessions.startsAt));
		for (const { classId, cancelledAt, ...s } of rows)
			byClass.get(classId)?.push({ ...s, cancelled: cancelledAt !== null });
	}
	return byClass;
}

/**
 * A statement for the end of a batch: it raises an SQL error (json() of non-JSON), and so rolls the
 * whole batch back, when a live session chosen by `written` overlaps another live one of its class.
 * (An UPDATE that leaves the rows as they are: drizzle's D1 batch binds parameters of built queries only.)
 */
export function overlapGuard(db: Db, written: SQL | undefined) {
	return db
		.update(sessions)
		.set({
			updatedAt: sql`CASE WHEN EXISTS (
				SELECT 1 FROM sessions b WHERE b.class_id = ${sessions.classId} AND b.id <> ${sessions.id}
					AND b.cancelled_at IS NULL AND b.starts_at < ${sessions.endsAt} AND ${sessions.startsAt} < b.ends_at
			) THEN json('sessions overlap') ELSE ${sessions.updatedAt} END`,
		})
		.where(and(written, isNull(sessions.cancelledAt)));
}

/** The batch failed on overlapGuard, or on the (class, start) unique index: the timetable changed. */
export function isScheduleClash(err: unknown): boolean {
	const text = `${String(err)} ${String((err as Error)?.cause ?? "")}`;
	return /malformed JSON|UNIQUE constraint failed: sessions\./.test(text);
}

export type UnitTeacher = { id: number; name: string; unitId: number };

/**
 * The people who teach in these units: teachers of their classes and of their sessions. A session
 * can only name one of them (the roster of teachers is the unit's, not the whole system's).
 */
export async function unitTeachers(db: Db, unitIds: number[]): Promise<UnitTeacher[]> {
	if (unitIds.length === 0) return [];
	const units = [...new Set(unitIds)].slice(0, 90);
	const [byClass, bySession] = await Promise.all([
		db
			.selectDistinct({ id: people.id, name: people.name, unitId: classes.unitId })
			.from(classTeachers)
			.innerJoin(classes, eq(classes.id, classTeachers.classId))
			.innerJoin(people, eq(people.id, classTeachers.personId))
			.where(inArray(classes.unitId, units)),
		db
			.selectDistinct({ id: people.id, name: people.name, unitId: classes.unitId })
			.from(sessions)
			.innerJoin(classes, eq(classes.id, sessions.classId))
			.innerJoin(people, eq(people.id, sessions.teacherPersonId))
			.where(inArray(classes.unitId, units)),
	]);
	const seen = new Map<string, UnitTeacher>();
	for (const t of [...byClass, ...bySession]) seen.set(`${t.unitId}:${t.id}`, t);
	return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, "zh-Hant") || a.id - b.id);
}

/** Whether anyone's attendance was recorded for the session: an accepted punch or a clerk's entry. */
export async function hasRecordedAttendance(db: Db, sessionId: number): Promise<boolean> {
	const [punch, record] = await Promise.all([
		db
			.select({ id: punches.id })
			.from(punches)
			.where(and(eq(punches.sessionId, sessionId), eq(punches.accepted, true)))
			.limit(1)
			.get(),
		db
			.select({ id: attendance.id })
			.from(attendance)
			.where(
				and(
					eq(attendance.sessionId, sessionId),
					or(
						sql`${attendance.checkInAt} IS NOT NULL`,
						sql`${attendance.checkOutAt} IS NOT NULL`,
						sql`${attendance.correctedAt} IS NOT NULL`,
					),
				),
			)
			.limit(1)
			.get(),
	]);
	return punch !== undefined || record !== undefined;
}
