// A LINE user's identities (學員/教師): which are bound, which is active, switching and unbinding.
// The rich menu follows on the server (queued in the outbox); the client never decides it.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { lineBindings, lineUsers, people } from "../db/schema";
import type { LineRole } from "../domain/roles";
import { menuForRole } from "../line/rich-menus";
import { auditStatement } from "./audit";
import { lineUserState, setActiveRole } from "./line-users";
import { enqueue } from "./outbox";

export type Identity = { role: LineRole; name: string; nationalIdMasked: string; boundAt: number };

export async function myIdentities(db: Db, userId: string): Promise<Identity[]> {
	return db
		.select({
			role: lineBindings.role,
			name: people.name,
			nationalIdMasked: people.nationalIdMasked,
			boundAt: lineBindings.boundAt,
		})
		.from(lineBindings)
		.innerJoin(people, eq(people.id, lineBindings.personId))
		.where(eq(lineBindings.lineUserId, userId))
		.orderBy(lineBindings.role);
}

const queueMenu = (db: Db, userId: string, role: LineRole | null, now: number) =>
	enqueue(db, { channel: "line_rich_menu", recipient: userId, payload: { menu: menuForRole(role) } }, now);

/** Makes a bound role the active one and queues its rich menu; null when the role is not bound. */
export async function activateRole(
	db: Db,
	userId: string,
	role: LineRole,
	now: number,
): Promise<number | null> {
	if (!(await setActiveRole(db, userId, role, now))) return null;
	return queueMenu(db, userId, role, now);
}

/**
 * Unbinds one role (from 學員專區/教師專區 settings). The other role, if bound, becomes active;
 * otherwise the user is back to the unbound menu. Audited.
 */
export async function unbindRole(
	db: Db,
	userId: string,
	role: LineRole,
	now: number,
): Promise<number | null> {
	const binding = await db
		.select()
		.from(lineBindings)
		.where(and(eq(lineBindings.lineUserId, userId), eq(lineBindings.role, role)))
		.get();
	if (!binding) return null;
	await db.batch([
		db.delete(lineBindings).where(eq(lineBindings.id, binding.id)),
		auditStatement(db, {
			at: now,
			actorType: "line_user",
			actorId: userId,
			action: "line_binding.removed",
			entityType: "person",
			entityId: String(binding.personId),
			before: { lineUserId: userId, role },
			after: null,
		}),
	]);
	const state = await lineUserState(db, userId);
	await db
		.update(lineUsers)
		.set({ activeRole: state.activeRole, updatedAt: now })
		.where(eq(lineUsers.userId, userId));
	return queueMenu(db, userId, state.activeRole, now);
}
