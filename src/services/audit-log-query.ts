// 稽核紀錄: the audit log filtered and paged newest first by keyset (at DESC, id DESC), so the 1,000th
// page costs what the first does. Every filter combination walks one of the log's indexes in order
// (unit_id, at), (entity_type, entity_id, at) or (at) — SQLite appends the rowid (= id) to each, so
// the order needs no sort; the other filters are checked on the rows the index yields.

import { and, desc, eq, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { AuditAction, AuditActorType, AuditEntityType } from "../domain/audit-vocabulary";
import { endOfTaipeiDay, taipeiInstant } from "../domain/taipei-time";

export const AUDIT_PAGE = 50;
/** An export holds at most this many rows: more would outrun a Worker's time, and no one reads them. */
export const AUDIT_EXPORT_MAX = 10_000;
const EXPORT_CHUNK = 1_000;

export type AuditFilters = {
	/** Taipei business dates, both ends included. */
	from?: string | undefined;
	to?: string | undefined;
	action?: AuditAction | undefined;
	entityType?: AuditEntityType | undefined;
	entityId?: string | undefined;
	actor?: { type: AuditActorType; staffId?: number | undefined } | undefined;
	/** The agency's unit filter: one unit, or "none" for entries of no unit (agency staff, LINE bindings). */
	unit?: number | "none" | undefined;
};

/** Whose log: one unit's (unit admins), or every unit's (agency admins: unitId null). */
export type AuditScope = { unitId: number | null };

/** Where a page starts: strictly older than this entry. */
export type AuditCursor = { at: number; id: number };

export type AuditLogRow = typeof auditLog.$inferSelect;

function conditions(scope: AuditScope, f: AuditFilters, before?: AuditCursor): SQL[] {
	const where: SQL[] = [];
	const oneEntity = !!(f.entityType && f.entityId);
	// A unit admin's scope wins over any unit filter (the route refuses a foreign one as not found).
	// With one entity, its few entries are found by the entity index and the unit only checked on
	// them: a unary + keeps SQLite from walking the whole unit instead.
	const unit = scope.unitId ?? f.unit;
	const unitColumn = oneEntity ? sql`+${auditLog.unitId}` : sql`${auditLog.unitId}`;
	if (unit === "none") where.push(sql`${unitColumn} IS NULL`);
	else if (unit !== undefined) where.push(sql`${unitColumn} = ${unit}`);
	if (oneEntity)
		where.push(eq(auditLog.entityType, f.entityType ?? ""), eq(auditLog.entityId, f.entityId ?? ""));
	// A type alone matches too many rows to be worth its index (the rows would come out of date
	// order and need a sort): the unary + keeps SQLite on the date-ordered walk.
	else if (f.entityType) where.push(sql`+${auditLog.entityType} = ${f.entityType}`);
	if (f.from) where.push(gte(auditLog.at, taipeiInstant(f.from)));
	if (f.to) where.push(lt(auditLog.at, endOfTaipeiDay(f.to)));
	if (f.action) where.push(eq(auditLog.action, f.action));
	if (f.actor) {
		where.push(eq(auditLog.actorType, f.actor.type));
		if (f.actor.staffId !== undefined) where.push(eq(auditLog.actorId, String(f.actor.staffId)));
	}
	if (before) {
		// `at <= ?` is the index range; the OR only settles ties within one millisecond.
		where.push(lte(auditLog.at, before.at));
		where.push(or(lt(auditLog.at, before.at), lt(auditLog.id, before.id)) as SQL);
	}
	return where;
}

/** The query of one page (exported so a test can ask SQLite for its plan). */
export function auditLogQuery(
	db: Db,
	scope: AuditScope,
	filters: AuditFilters,
	options: { before?: AuditCursor | undefined; limit: number },
) {
	return db
		.select()
		.from(auditLog)
		.where(and(...conditions(scope, filters, options.before)))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(options.limit);
}

/** One page of AUDIT_PAGE entries and the cursor of the next (older) page, if there is one. */
export async function auditLogPage(
	db: Db,
	scope: AuditScope,
	filters: AuditFilters,
	before?: AuditCursor,
): Promise<{ rows: AuditLogRow[]; next: AuditCursor | null }> {
	const rows = await auditLogQuery(db, scope, filters, { before, limit: AUDIT_PAGE + 1 });
	const page = rows.slice(0, AUDIT_PAGE);
	const last = page.at(-1);
	return { rows: page, next: rows.length > AUDIT_PAGE && last ? { at: last.at, id: last.id } : null };
}

/** Every matching entry for an export, newest first; null when there are more than AUDIT_EXPORT_MAX. */
export async function auditLogExport(
	db: Db,
	scope: AuditScope,
	filters: AuditFilters,
): Promise<AuditLogRow[] | null> {
	const all: AuditLogRow[] = [];
	let before: AuditCursor | undefined;
	while (all.length <= AUDIT_EXPORT_MAX) {
		const rows = await auditLogQuery(db, scope, filters, { before, limit: EXPORT_CHUNK });
		all.push(...rows);
		const last = rows.at(-1);
		if (rows.length < EXPORT_CHUNK || !last) return all.length > AUDIT_EXPORT_MAX ? null : all;
		before = { at: last.at, id: last.id };
	}
	return null;
}
