// The class a trainee is in (the one running today, else the next, else the last), with its plan's
// settings and the unit's contact: the context of every 學員專區 page.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { classes, enrollments, leaveTypes, planLeaveTypes, plans, units } from "../db/schema";
import type { LeavePlan } from "../domain/leave-policy";

export type TraineeClass = {
	id: number;
	code: string;
	name: string;
	startDate: string;
	endDate: string;
	location: string | null;
	totalHours: number;
	unitId: number;
	unit: {
		name: string;
		contactName: string | null;
		contactPhone: string | null;
		contactEmail: string | null;
	};
	plan: LeavePlan & { id: number; name: string; leaveHoursWarningRatio: number; qrRotationSeconds: number };
};

export async function traineeClass(db: Db, personId: number, today: string): Promise<TraineeClass | null> {
	const rows = await db
		.select({ klass: classes, plan: plans, unit: units })
		.from(enrollments)
		.innerJoin(classes, eq(classes.id, enrollments.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.innerJoin(units, eq(units.id, classes.unitId))
		.where(and(eq(enrollments.personId, personId), eq(enrollments.status, "active")))
		.orderBy(asc(classes.startDate));
	const pick =
		rows.find((r) => r.klass.startDate <= today && today <= r.klass.endDate) ??
		rows.find((r) => r.klass.startDate > today) ??
		rows.at(-1);
	if (!pick) return null;
	const { klass, plan, unit } = pick;
	return {
		id: klass.id,
		code: klass.code,
		name: klass.name,
		startDate: klass.startDate,
		endDate: klass.endDate,
		location: klass.location,
		totalHours: klass.totalHours,
		unitId: klass.unitId,
		unit: {
			name: unit.name,
			contactName: unit.contactName,
			contactPhone: unit.contactPhone,
			contactEmail: unit.contactEmail,
		},
		plan,
	};
}

/** The plan's leave types, in the manual's order. */
export async function enabledLeaveTypes(db: Db, planId: number) {
	return db
		.select({
			code: leaveTypes.code,
			name: leaveTypes.name,
			kind: leaveTypes.kind,
			planned: leaveTypes.planned,
			needsProof: leaveTypes.needsProof,
		})
		.from(planLeaveTypes)
		.innerJoin(leaveTypes, eq(leaveTypes.code, planLeaveTypes.leaveTypeCode))
		.where(eq(planLeaveTypes.planId, planId))
		.orderBy(asc(leaveTypes.sortOrder));
}
