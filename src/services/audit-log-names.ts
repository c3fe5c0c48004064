// The names behind the ids of some audit entries (staff, people, sessions, classes, plans, units,
// leave types), a few IN (…) queries per page whatever its size, so the log reads as words, not numbers.

import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { classes, leaveTypes, people, plans, sessions, staff, units } from "../db/schema";
import type { AuditLogRow } from "./audit-log-query";

export type AuditNames = {
	staff: Map<number, string>;
	people: Map<number, string>;
	sessions: Map<number, { date: string; startsAt: number; subject: string; classId: number }>;
	classes: Map<number, { code: string; name: string }>;
	plans: Map<number, string>;
	units: Map<number, string>;
	leaveTypes: Map<string, string>;
};

/** D1 binds at most 100 parameters per statement. */
const CHUNK = 90;

async function byIds<T>(ids: Set<number>, load: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
	const all = [...ids];
	const out: T[] = [];
	for (let i = 0; i < all.length; i += CHUNK) out.push(...(await load(all.slice(i, i + CHUNK))));
	return out;
}

const idOf = (text: string | null | undefined) => {
	const n = Number(text);
	return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** "person:12" (a trainee acting through LINE) → 12. */
export const actorPersonId = (row: Pick<AuditLogRow, "actorType" | "actorId">) =>
	row.actorType === "line_user" && row.actorId?.startsWith("person:") ? idOf(row.actorId.slice(7)) : null;

/** "sessionId:personId" of an attendance entry. */
export const attendanceIds = (entityId: string) => {
	const [session, person] = entityId.split(":");
	return { sessionId: idOf(session), personId: idOf(person) };
};

/** Ids a change names by its keys: …StaffId, …PersonId, unitId (top level only). */
function idsInChanges(
	row: AuditLogRow,
	into: { staff: Set<number>; people: Set<number>; units: Set<number> },
) {
	for (const side of [row.before, row.after]) {
		if (!side || !/StaffId|PersonId|unitId/.test(side)) continue;
		let value: unknown;
		try {
			value = JSON.parse(side);
		} catch {
			continue; // Unreadable JSON names nobody.
		}
		if (typeof value !== "object" || value === null) continue;
		for (const [k, v] of Object.entries(value)) {
			if (typeof v !== "number" || !Number.isSafeInteger(v)) continue;
			if (k.endsWith("StaffId")) into.staff.add(v);
			else if (k.endsWith("PersonId")) into.people.add(v);
			else if (k === "unitId") into.units.add(v);
		}
	}
}

export async function auditNames(db: Db, rows: AuditLogRow[]): Promise<AuditNames> {
	const staffIds = new Set<number>();
	const personIds = new Set<number>();
	const sessionIds = new Set<number>();
	const classIds = new Set<number>();
	const unitIds = new Set<number>();
	const planIds = new Set<number>();
	const add = (set: Set<number>, id: number | null) => id !== null && set.add(id);
	for (const row of rows) {
		if (row.unitId !== null) unitIds.add(row.unitId);
		if (row.actorType === "staff") add(staffIds, idOf(row.actorId));
		add(personIds, actorPersonId(row));
		if (row.entityType === "staff") add(staffIds, idOf(row.entityId));
		if (row.entityType === "person") add(personIds, idOf(row.entityId));
		if (row.entityType === "class") for (const id of row.entityId.split(",")) add(classIds, idOf(id));
		if (row.entityType === "session") add(sessionIds, idOf(row.entityId));
		if (row.entityType === "plan") add(planIds, idOf(row.entityId));
		if (row.entityType === "attendance") {
			const ids = attendanceIds(row.entityId);
			add(sessionIds, ids.sessionId);
			add(personIds, ids.personId);
		}
		idsInChanges(row, { staff: staffIds, people: personIds, units: unitIds });
	}
	const sessionRows = await byIds(sessionIds, (chunk) =>
		db
			.select({
				id: sessions.id,
				date: sessions.date,
				startsAt: sessions.startsAt,
				subject: sessions.subject,
				classId: sessions.classId,
			})
			.from(sessions)
			.where(inArray(sessions.id, chunk)),
	);
	for (const s of sessionRows) classIds.add(s.classId);
	const [staffRows, personRows, classRows, planRows, unitRows, typeRows] = await Promise.all([
		byIds(staffIds, (chunk) =>
			db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, chunk)),
		),
		byIds(personIds, (chunk) =>
			db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, chunk)),
		),
		byIds(classIds, (chunk) =>
			db
				.select({ id: classes.id, code: classes.code, name: classes.name })
				.from(classes)
				.where(inArray(classes.id, chunk)),
		),
		byIds(planIds, (chunk) =>
			db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, chunk)),
		),
		byIds(unitIds, (chunk) =>
			db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, chunk)),
		),
		db.select({ code: leaveTypes.code, name: leaveTypes.name }).from(leaveTypes),
	]);
	return {
		staff: new Map(staffRows.map((r) => [r.id, r.name])),
		people: new Map(personRows.map((r) => [r.id, r.name])),
		sessions: new Map(sessionRows.map(({ id, ...s }) => [id, s])),
		classes: new Map(classRows.map(({ id, ...c }) => [id, c])),
		plans: new Map(planRows.map((r) => [r.id, r.name])),
		units: new Map(unitRows.map((r) => [r.id, r.name])),
		leaveTypes: new Map(typeRows.map((r) => [r.code, r.name])),
	};
}
