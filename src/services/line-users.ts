// LINE users as the product knows them: followed or blocked, bound identities, the active one.
import { and, eq, exists, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { lineBindings, lineUsers } from "../db/schema";
import type { LineRole } from "../domain/roles";

export type LineUserState = {
	userId: string;
	activeRole: LineRole | null;
	roles: LineRole[];
	/** The roster person behind each bound role. */
	personIds: Partial<Record<LineRole, number>>;
	blocked: boolean;
};

/** Creates the user's row on first contact (any event), leaving an existing row as it is. */
export async function ensureLineUser(db: Db, userId: string, now: number): Promise<void> {
	await db.insert(lineUsers).values({ userId, createdAt: now, updatedAt: now }).onConflictDoNothing();
}

/** follow (also after unblocking): the user can receive pushes again. */
export async function recordFollow(db: Db, userId: string, now: number): Promise<void> {
	await db
		.insert(lineUsers)
		.values({ userId, followedAt: now, createdAt: now, updatedAt: now })
		.onConflictDoUpdate({
			target: lineUsers.userId,
			set: { followedAt: now, blockedAt: null, updatedAt: now },
		});
}

/** unfollow = blocked: nothing is pushed to the user any more. */
export async function recordUnfollow(db: Db, userId: string, now: number): Promise<void> {
	await db
		.insert(lineUsers)
		.values({ userId, blockedAt: now, createdAt: now, updatedAt: now })
		.onConflictDoUpdate({ target: lineUsers.userId, set: { blockedAt: now, updatedAt: now } });
}

/** One query: the user's active role and every role bound. */
export async function lineUserState(db: Db, userId: string): Promise<LineUserState> {
	const rows = await db
		.select({
			activeRole: lineUsers.activeRole,
			blockedAt: lineUsers.blockedAt,
			role: lineBindings.role,
			personId: lineBindings.personId,
		})
		.from(lineUsers)
		.leftJoin(lineBindings, eq(lineBindings.lineUserId, lineUsers.userId))
		.where(eq(lineUsers.userId, userId));
	const roles = rows.flatMap((r) => (r.role ? [r.role] : [])).sort();
	const first = rows[0];
	// An active role without its binding (unbound meanwhile) falls back to a bound one.
	const active =
		first?.activeRole && roles.includes(first.activeRole) ? first.activeRole : (roles[0] ?? null);
	const personIds: Partial<Record<LineRole, number>> = {};
	for (const r of rows) if (r.role && r.personId) personIds[r.role] = r.personId;
	return { userId, activeRole: active, roles, personIds, blocked: first?.blockedAt != null };
}

/** Makes `role` the active identity, only if the user holds a binding for it. */
export async function setActiveRole(db: Db, userId: string, role: LineRole, now: number): Promise<boolean> {
	const result = await db
		.update(lineUsers)
		.set({ activeRole: role, updatedAt: now })
		.where(
			and(
				eq(lineUsers.userId, userId),
				exists(
					db
						.select({ one: sql`1` })
						.from(lineBindings)
						.where(and(eq(lineBindings.lineUserId, userId), eq(lineBindings.role, role))),
				),
			),
		);
	return result.meta.changes > 0;
}
