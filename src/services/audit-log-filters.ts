// The choices of the 稽核紀錄 filter form, within the viewer's scope: the units (agency only) and the
// staff members whose actions one may pick.

import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { staff, units } from "../db/schema";
import type { AuditScope } from "./audit-log-query";

/** More staff than this would not fit a drop-down; the agency then filters by unit instead. */
const MAX_STAFF_OPTIONS = 500;

export type AuditFilterOptions = {
	units: { id: number; name: string }[];
	staff: { id: number; name: string }[];
};

export async function auditFilterOptions(db: Db, scope: AuditScope): Promise<AuditFilterOptions> {
	const [unitRows, staffRows] = await Promise.all([
		scope.unitId === null
			? db.select({ id: units.id, name: units.name }).from(units).orderBy(asc(units.code))
			: Promise.resolve([]),
		db
			.select({ id: staff.id, name: staff.name })
			.from(staff)
			.where(scope.unitId === null ? undefined : eq(staff.unitId, scope.unitId))
			.orderBy(asc(staff.unitId), asc(staff.name))
			.limit(MAX_STAFF_OPTIONS),
	]);
	return { units: unitRows, staff: staffRows };
}

/** Whether a unit exists (the agency's unit filter names one). */
export async function unitExists(db: Db, unitId: number): Promise<boolean> {
	return !!(await db.select({ id: units.id }).from(units).where(eq(units.id, unitId)).get());
}
