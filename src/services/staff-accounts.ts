// 帳號管理: the dashboard accounts an admin manages — the agency every account, a unit admin their
// own unit's. Lists page and search on the server; every change is audited in the same D1 batch.
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import type { Db } from "../db/client";
import { auditLog, staff, staffPasswordTokens, units } from "../db/schema";
import type { StaffRole } from "../domain/roles";
import {
	type CreateRefusal,
	createRefusal,
	mayManage,
	mayToggle,
	type StaffActor,
} from "../domain/staff-permissions";
import { escapeLike } from "./class-overview";
import { fromGuardRow, type LinkDeps, prepareLink, queuedLinkEmail } from "./staff-password-link";

/** Accounts per page of 帳號管理. */
export const STAFF_LIST_PAGE = 50;

export type StaffAccount = {
	id: number;
	name: string;
	email: string;
	role: StaffRole;
	unitId: number | null;
	unitName: string | null;
	hasPassword: boolean;
	disabledAt: number | null;
	lastLoginAt: number | null;
	createdAt: number;
};

/** Which accounts a list shows: a unit, the agency's own accounts, or (undefined) all it may see. */
export type UnitFilter = number | "agency" | undefined;

const columns = {
	id: staff.id,
	name: staff.name,
	email: staff.email,
	role: staff.role,
	unitId: staff.unitId,
	unitName: units.name,
	hasPassword: sql<number>`${staff.passwordHash} IS NOT NULL`,
	disabledAt: staff.disabledAt,
	lastLoginAt: staff.lastLoginAt,
	createdAt: staff.createdAt,
};

const accountOf = (row: Omit<StaffAccount, "hasPassword"> & { hasPassword: number }): StaffAccount => ({
	...row,
	hasPassword: Boolean(row.hasPassword),
});

/** The accounts the actor may see: a unit admin only their unit's, whatever the filter says. */
function visible(actor: StaffActor, unit: UnitFilter) {
	if (actor.role !== "agency_admin") return actor.unitId === null ? sql`0` : eq(staff.unitId, actor.unitId);
	if (unit === "agency") return isNull(staff.unitId);
	return unit === undefined ? undefined : eq(staff.unitId, unit);
}

/** One page of accounts: agency first, then by unit and name; `q` matches the name or e-mail anywhere. */
export async function listStaff(
	db: Db,
	actor: StaffActor,
	options: { q?: string | undefined; unit?: UnitFilter; page: number },
): Promise<{ items: StaffAccount[]; total: number }> {
	const q = options.q?.trim();
	const pattern = q ? `%${escapeLike(q.toLowerCase())}%` : undefined;
	const where = and(
		visible(actor, options.unit),
		pattern
			? sql`(${staff.name} LIKE ${pattern} ESCAPE '\\' OR ${staff.email} LIKE ${pattern} ESCAPE '\\')`
			: undefined,
	);
	const [items, total] = await Promise.all([
		db
			.select(columns)
			.from(staff)
			.leftJoin(units, eq(units.id, staff.unitId))
			.where(where)
			.orderBy(sql`${staff.unitId} IS NOT NULL`, asc(units.code), asc(staff.name), asc(staff.id))
			.limit(STAFF_LIST_PAGE)
			.offset((options.page - 1) * STAFF_LIST_PAGE),
		db.select({ n: count() }).from(staff).where(where).get(),
	]);
	return { items: items.map(accountOf), total: total?.n ?? 0 };
}

export type StaffDetail = StaffAccount & {
	/** The newest password link: when it was sent, until when it works, when it was used. */
	lastLink: { createdAt: number; expiresAt: number; usedAt: number | null } | null;
};

/** The account if the actor manages it; otherwise null (answered as not found). */
export async function staffAccount(db: Db, actor: StaffActor, id: number): Promise<StaffDetail | null> {
	const row = await db
		.select(columns)
		.from(staff)
		.leftJoin(units, eq(units.id, staff.unitId))
		.where(eq(staff.id, id))
		.get();
	if (!row || !mayManage(actor, row)) return null;
	const lastLink = await db
		.select({
			createdAt: staffPasswordTokens.createdAt,
			expiresAt: staffPasswordTokens.expiresAt,
			usedAt: staffPasswordTokens.usedAt,
		})
		.from(staffPasswordTokens)
		.where(eq(staffPasswordTokens.staffId, id))
		.orderBy(sql`${staffPasswordTokens.createdAt} DESC`)
		.get();
	return { ...accountOf(row), lastLink: lastLink ?? null };
}

/** The units a form offers: the actor's own, or every unit for the agency. */
export async function unitChoices(db: Db, actor: StaffActor): Promise<{ id: number; name: string }[]> {
	return db
		.select({ id: units.id, name: units.name })
		.from(units)
		.where(actor.role === "agency_admin" ? undefined : eq(units.id, actor.unitId ?? 0))
		.orderBy(asc(units.code));
}

export type NewStaff = { name: string; email: string; role: StaffRole; unitId: number | null };

export type CreateResult =
	| { ok: true; id: number; outboxId: number | null }
	| { ok: false; reason: CreateRefusal | "unknown_unit" | "email_taken" };

const isUniqueViolation = (err: unknown) => /UNIQUE constraint failed/i.test(String(err));

/**
 * Creates an account without a password and e-mails it a first-password link, in one batch: the
 * account, its link, the queued e-mail and both audit entries are written together or not at all.
 * `input.email` is already normalized (lower case).
 */
export async function createStaff(deps: LinkDeps, actor: StaffActor, input: NewStaff): Promise<CreateResult> {
	const { db, now } = deps;
	const refusal = createRefusal(actor, input);
	if (refusal) return { ok: false, reason: refusal };
	if (input.unitId !== null) {
		const unit = await db.select({ id: units.id }).from(units).where(eq(units.id, input.unitId)).get();
		if (!unit) return { ok: false, reason: "unknown_unit" };
	}
	const taken = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, input.email)).get();
	if (taken) return { ok: false, reason: "email_taken" };
	const created = eq(staff.email, input.email);
	const link = await prepareLink(deps, { ...input, hasPassword: false }, created, {
		actorType: "staff",
		actorId: String(actor.id),
		action: "staff.password_link_sent",
	});
	try {
		const [inserted] = await db.batch([
			db
				.insert(staff)
				.values({ ...input, passwordHash: null, createdAt: now, updatedAt: now })
				.returning({ id: staff.id }),
			insertIf(
				db,
				auditLog,
				{
					at: now,
					actorType: "staff",
					actorId: String(actor.id),
					unitId: input.unitId,
					action: "staff.created",
					entityType: "staff",
					entityId: fromGuardRow<string>(sql`CAST(${staff.id} AS TEXT)`),
					after: JSON.stringify(input),
					requestId: deps.requestId ?? null,
				},
				{ from: staff, where: created },
			),
			...link.statements,
		]);
		const id = inserted[0]?.id;
		if (id === undefined) throw new Error("staff insert returned no row");
		return { ok: true, id, outboxId: await queuedLinkEmail(db, link.dedupeKey) };
	} catch (err) {
		// Someone else created the same e-mail between the check and the batch.
		if (isUniqueViolation(err)) return { ok: false, reason: "email_taken" };
		throw err;
	}
}

export type ToggleResult = { ok: true; changed: boolean } | { ok: false; reason: "not_found" | "self" };

/**
 * Disables or enables an account the actor manages, never their own. Disabling moves the session
 * version on (every signed-in browser of the account is signed out at its next request) and ends its
 * unused password links; either change is audited only when it happened.
 */
export async function setStaffDisabled(
	deps: { db: Db; now: number; requestId?: string | null },
	actor: StaffActor,
	id: number,
	disable: boolean,
): Promise<ToggleResult> {
	const { db, now } = deps;
	const target = await staffAccount(db, actor, id);
	if (!target) return { ok: false, reason: "not_found" };
	if (!mayToggle(actor, target)) return { ok: false, reason: "self" };
	const audit = (marker: ReturnType<typeof and>) =>
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "staff",
				actorId: String(actor.id),
				unitId: target.unitId,
				action: disable ? "staff.disabled" : "staff.enabled",
				entityType: "staff",
				entityId: String(id),
				before: JSON.stringify({ disabled: !disable }),
				after: JSON.stringify({ disabled: disable }),
				requestId: deps.requestId ?? null,
			},
			{ from: staff, where: marker },
		);
	if (disable) {
		const [updated] = await db.batch([
			db
				.update(staff)
				.set({ disabledAt: now, sessionVersion: sql`${staff.sessionVersion} + 1`, updatedAt: now })
				.where(and(eq(staff.id, id), isNull(staff.disabledAt)))
				.returning({ id: staff.id }),
			audit(and(eq(staff.id, id), eq(staff.disabledAt, now))),
			db
				.update(staffPasswordTokens)
				.set({ expiresAt: now })
				.where(
					and(
						eq(staffPasswordTokens.staffId, id),
						isNull(staffPasswordTokens.usedAt),
						sql`${staffPasswordTokens.expiresAt} > ${now}`,
					),
				),
		]);
		return { ok: true, changed: updated.length > 0 };
	}
	const [updated] = await db.batch([
		db
			.update(staff)
			.set({ disabledAt: null, updatedAt: now })
			.where(and(eq(staff.id, id), isNotNull(staff.disabledAt)))
			.returning({ id: staff.id }),
		audit(and(eq(staff.id, id), isNull(staff.disabledAt), eq(staff.updatedAt, now))),
	]);
	return { ok: true, changed: updated.length > 0 };
}
