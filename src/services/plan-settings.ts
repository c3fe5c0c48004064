// 設定 → 計畫 (agency only): the plans with their settings and enabled leave types, a change of them
// in one D1 batch with its audit entry, and a new plan with the manual's defaults.
//
// What a change means for data already there: nothing stored is rewritten. Leave requests keep
// their type (a disabled type still shows by its name and can still be reviewed; trainees just
// cannot ask for it any more), and attendance statuses already recorded stay as they were. Every
// rule reads the plan from D1 when it runs, so new requests, reviews, punches and statuses follow
// the new values at once — except a session's SessionRoom, which keeps the plan it read for up to
// a minute (CONTEXT_TTL_MS in src/durable/session-room.ts), and a QR code already on screen, which
// stays valid for the rotation it was made with (its token carries that rotation).
import { and, asc, count, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import { insertIf, insertIgnoringStatements } from "../db/batch";
import type { Db } from "../db/client";
import { auditLog, classes, leaveTypes, planLeaveTypes, plans } from "../db/schema";
import { type PlanSettings, pickPlanSettings } from "../domain/plan-settings";
import { fail, ok, type Result } from "../domain/result";
import { auditStatement } from "./audit";
import type { StaffMember } from "./staff-auth";

export type PlanListItem = {
	id: number;
	code: string;
	name: string;
	classCount: number;
	leaveTypeNames: string[];
	settings: PlanSettings;
};

export type LeaveTypeChoice = { code: string; name: string; needsProof: boolean; enabled: boolean };

export type PlanDetail = {
	id: number;
	code: string;
	name: string;
	classCount: number;
	settings: PlanSettings;
	/** All ten types in the manual's order, each marked whether the plan offers it. */
	leaveTypes: LeaveTypeChoice[];
};

export type PlanChange = { settings: PlanSettings; leaveTypeCodes: string[] };

export type PlanDeps = { db: Db; now: number };

/** Plans, settings and leave types are the agency's; anyone else is answered as if none existed. */
export const mayEditPlans = (member: StaffMember) => member.role === "agency_admin" && member.unitId === null;

async function classCounts(db: Db, planIds?: number[]): Promise<Map<number, number>> {
	const rows = await db
		.select({ planId: classes.planId, n: count() })
		.from(classes)
		.where(planIds ? inArray(classes.planId, planIds) : undefined)
		.groupBy(classes.planId);
	return new Map(rows.map((r) => [r.planId, r.n]));
}

/** Every plan (a handful), by code, with what the list shows of it. */
export async function listPlans(db: Db): Promise<PlanListItem[]> {
	const [rows, counts, enabled] = await Promise.all([
		db.select().from(plans).orderBy(asc(plans.code)),
		classCounts(db),
		db
			.select({ planId: planLeaveTypes.planId, name: leaveTypes.name })
			.from(planLeaveTypes)
			.innerJoin(leaveTypes, eq(leaveTypes.code, planLeaveTypes.leaveTypeCode))
			.orderBy(asc(leaveTypes.sortOrder)),
	]);
	return rows.map((p) => ({
		id: p.id,
		code: p.code,
		name: p.name,
		classCount: counts.get(p.id) ?? 0,
		leaveTypeNames: enabled.filter((e) => e.planId === p.id).map((e) => e.name),
		settings: pickPlanSettings(p),
	}));
}

/** One plan with its settings and every leave type marked enabled or not; null if there is none. */
export async function planDetail(db: Db, planId: number): Promise<PlanDetail | null> {
	const [plan, types, enabled, counts] = await Promise.all([
		db.select().from(plans).where(eq(plans.id, planId)).get(),
		db.select().from(leaveTypes).orderBy(asc(leaveTypes.sortOrder)),
		db
			.select({ code: planLeaveTypes.leaveTypeCode })
			.from(planLeaveTypes)
			.where(eq(planLeaveTypes.planId, planId)),
		classCounts(db, [planId]),
	]);
	if (!plan) return null;
	const on = new Set(enabled.map((e) => e.code));
	return {
		id: plan.id,
		code: plan.code,
		name: plan.name,
		classCount: counts.get(plan.id) ?? 0,
		settings: pickPlanSettings(plan),
		leaveTypes: types.map((t) => ({
			code: t.code,
			name: t.name,
			needsProof: t.needsProof,
			enabled: on.has(t.code),
		})),
	};
}

const enabledCodes = (d: PlanDetail) => d.leaveTypes.filter((t) => t.enabled).map((t) => t.code);

/**
 * Saves a plan's settings and enabled leave types, with an audit entry of before and after, in one
 * D1 batch. An unchanged form writes nothing. Failure codes: NOT_FOUND (no such plan, or the member
 * is not the agency's), VALIDATION_FAILED (zh-TW message).
 */
export async function updatePlanSettings(
	deps: PlanDeps,
	member: StaffMember,
	planId: number,
	change: PlanChange,
	requestId?: string,
): Promise<Result<{ plan: PlanDetail; changed: boolean }>> {
	const { db, now } = deps;
	if (!mayEditPlans(member)) return fail("NOT_FOUND", "找不到這個計畫");
	const before = await planDetail(db, planId);
	if (!before) return fail("NOT_FOUND", "找不到這個計畫");
	const codes = [...new Set(change.leaveTypeCodes)];
	if (codes.length === 0) return fail("VALIDATION_FAILED", "至少要啟用一種假別");
	const known = new Set(before.leaveTypes.map((t) => t.code));
	if (codes.some((c) => !known.has(c))) return fail("VALIDATION_FAILED", "沒有這種假別，請重新整理後再選");

	const settings = pickPlanSettings(change.settings);
	const old = { settings: before.settings, leaveTypes: enabledCodes(before) };
	const ordered = before.leaveTypes.map((t) => t.code).filter((c) => codes.includes(c));
	const next = { settings, leaveTypes: ordered };
	if (JSON.stringify(old) === JSON.stringify(next)) return ok({ plan: before, changed: false });

	await db.batch([
		db
			.update(plans)
			.set({ ...settings, updatedAt: now })
			.where(eq(plans.id, planId)),
		// Only the plan's offer changes: requests of a type no longer offered keep their type.
		db
			.delete(planLeaveTypes)
			.where(and(eq(planLeaveTypes.planId, planId), notInArray(planLeaveTypes.leaveTypeCode, ordered))),
		...insertIgnoringStatements(
			db,
			planLeaveTypes,
			ordered.map((code) => ({ planId, leaveTypeCode: code })),
		),
		auditStatement(db, {
			at: now,
			actorType: "staff",
			actorId: String(member.id),
			action: "plan.settings_updated",
			entityType: "plan",
			entityId: String(planId),
			before: old,
			after: next,
			requestId: requestId ?? null,
		}),
	]);
	const plan = await planDetail(db, planId);
	if (!plan) return fail("NOT_FOUND", "找不到這個計畫");
	return ok({ plan, changed: true });
}

const isUniqueViolation = (err: unknown) =>
	/UNIQUE constraint failed/.test(String((err as Error)?.cause ?? err));

/**
 * A new plan with the manual's settings (the schema's defaults) and all ten leave types enabled,
 * audited, in one D1 batch: the leave types and the audit entry find the new row by its code.
 * Failure codes: NOT_FOUND (not the agency's member), CONFLICT (the code is taken).
 */
export async function createPlan(
	deps: PlanDeps,
	member: StaffMember,
	input: { code: string; name: string },
	requestId?: string,
): Promise<Result<{ id: number }>> {
	const { db, now } = deps;
	if (!mayEditPlans(member)) return fail("NOT_FOUND", "找不到這個頁面");
	const taken = await db.select({ id: plans.id }).from(plans).where(eq(plans.code, input.code)).get();
	if (taken) return fail("CONFLICT", `計畫代碼「${input.code}」已經有計畫使用了`);
	const newPlan = { from: plans, where: eq(plans.code, input.code) };
	const planIdOf: SQL = sql`${plans.id}`;
	try {
		await db.batch([
			db.insert(plans).values({ code: input.code, name: input.name, createdAt: now, updatedAt: now }),
			db
				.insert(planLeaveTypes)
				.select(
					db
						.select({ planId: plans.id, leaveTypeCode: leaveTypes.code })
						.from(plans)
						.innerJoin(leaveTypes, sql`1 = 1`)
						.where(newPlan.where),
				),
			insertIf(
				db,
				auditLog,
				{
					at: now,
					actorType: "staff",
					actorId: String(member.id),
					action: "plan.created",
					entityType: "plan",
					entityId: sql`CAST(${planIdOf} AS TEXT)` as unknown as string,
					after: JSON.stringify({ code: input.code, name: input.name }),
					requestId: requestId ?? null,
				},
				newPlan,
			),
		]);
	} catch (err) {
		// Two admins creating the same code at once: the second is told, nothing of it is written.
		if (isUniqueViolation(err)) return fail("CONFLICT", `計畫代碼「${input.code}」已經有計畫使用了`);
		throw err;
	}
	const created = await db.select({ id: plans.id }).from(plans).where(eq(plans.code, input.code)).get();
	if (!created) throw new Error("the new plan was written in the batch above");
	return ok({ id: created.id });
}
