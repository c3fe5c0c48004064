// Dashboard sign-in: e-mail + password (PBKDF2), lockout after repeated failures, and the signed
// session cookie's contents (idle and absolute expiry; a password change ends older sessions).
import { and, eq, isNull, sql } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import type { Db } from "../db/client";
import { staff } from "../db/schema";
import { normalizeEmail } from "../domain/email";
import type { StaffRole } from "../domain/roles";
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from "../domain/staff-password";
import { auditStatement } from "./audit";
import { hashPassword, verifyPassword } from "./password";

/** Failures in a row before the account waits; and how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A session ends after this long without a request, and after this long at all. */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;

export type StaffMember = { id: number; unitId: number | null; role: StaffRole; name: string; email: string };

export type SignInResult =
	| { ok: true; staff: StaffMember; sessionVersion: number }
	| { ok: false; reason: "invalid" | "locked"; lockedUntil?: number };

// Unknown e-mails are checked against this too, so the answer takes as long either way.
const dummyHash = hashPassword("training-line-dummy-password", 100_000);

export async function signIn(
	db: Db,
	emailInput: string,
	password: string,
	now: number,
): Promise<SignInResult> {
	const email = normalizeEmail(emailInput);
	const row = email.ok ? await db.select().from(staff).where(eq(staff.email, email.value)).get() : undefined;
	if (!row?.passwordHash || row.disabledAt !== null) {
		await verifyPassword(password, await dummyHash);
		return { ok: false, reason: "invalid" };
	}
	if (row.lockedUntil !== null && now < row.lockedUntil)
		return { ok: false, reason: "locked", lockedUntil: row.lockedUntil };
	if (!(await verifyPassword(password, row.passwordHash))) {
		// Counted in SQL, so parallel guesses cannot share a try.
		const updated = await db
			.update(staff)
			.set({
				failedLogins: sql`${staff.failedLogins} + 1`,
				lockedUntil: sql`CASE WHEN ${staff.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} THEN ${now + LOCKOUT_MS} ELSE NULL END`,
				updatedAt: now,
			})
			.where(eq(staff.id, row.id))
			.returning({ lockedUntil: staff.lockedUntil })
			.get();
		return updated?.lockedUntil
			? { ok: false, reason: "locked", lockedUntil: updated.lockedUntil }
			: { ok: false, reason: "invalid" };
	}
	await db
		.update(staff)
		.set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now, updatedAt: now })
		.where(eq(staff.id, row.id));
	return { ok: true, staff: memberOf(row), sessionVersion: row.sessionVersion };
}

const memberOf = (row: typeof staff.$inferSelect): StaffMember => ({
	id: row.id,
	unitId: row.unitId,
	role: row.role,
	name: row.name,
	email: row.email,
});

export type StaffSessionClaims = { staffId: number; version: number; startedAt: number; activeAt: number };

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function mintStaffSession(secret: string, claims: StaffSessionClaims): Promise<string> {
	return new SignJWT({ ver: claims.version, st: claims.startedAt, act: claims.activeAt })
		.setProtectedHeader({ alg: "HS256" })
		.setSubject(String(claims.staffId))
		.setAudience("training-line-admin")
		.sign(keyOf(secret));
}

/** The cookie's claims if its signature holds and it is neither idle nor too old; null otherwise. */
export async function readStaffSession(
	secret: string,
	token: string,
	now: number,
): Promise<StaffSessionClaims | null> {
	try {
		const { payload } = await jwtVerify(token, keyOf(secret), {
			algorithms: ["HS256"],
			audience: "training-line-admin",
		});
		const claims = {
			staffId: Number(payload.sub),
			version: Number(payload.ver),
			startedAt: Number(payload.st),
			activeAt: Number(payload.act),
		};
		if (![claims.staffId, claims.version, claims.startedAt, claims.activeAt].every(Number.isFinite))
			return null;
		if (now - claims.activeAt >= IDLE_MS || now - claims.startedAt >= ABSOLUTE_MS) return null;
		return claims;
	} catch {
		return null;
	}
}

/** The signed-in member, if the account still exists, is enabled and the session is current. */
export async function activeStaff(db: Db, claims: StaffSessionClaims): Promise<StaffMember | null> {
	const row = await db
		.select()
		.from(staff)
		.where(
			and(eq(staff.id, claims.staffId), eq(staff.sessionVersion, claims.version), isNull(staff.disabledAt)),
		)
		.get();
	return row ? memberOf(row) : null;
}

/**
 * 登出: the account's session version moves on, so the cookie — and any copy of it taken before —
 * signs nobody in any more (a signed cookie cannot be revoked one by one; the account's other
 * browsers are signed out too). Only a current session can do it: an old cookie changes nothing.
 */
export async function endStaffSessions(db: Db, claims: StaffSessionClaims, now: number): Promise<void> {
	await db
		.update(staff)
		.set({ sessionVersion: sql`${staff.sessionVersion} + 1`, updatedAt: now })
		.where(and(eq(staff.id, claims.staffId), eq(staff.sessionVersion, claims.version)));
}

// The rule lives in domain/staff-password.ts (shared with password links); pages import it from here.
export { MIN_PASSWORD_LENGTH };

export type PasswordChange =
	| { ok: true; sessionVersion: number }
	| { ok: false; reason: "wrong_current" | "too_short" | "same_as_email" | "unchanged" };

/**
 * Sets a new password after checking the current one. The session version moves on, so every other
 * signed-in browser of this member is signed out; the audit log records that it happened (not what).
 */
export async function changePassword(
	db: Db,
	member: StaffMember,
	input: { current: string; next: string },
	now: number,
): Promise<PasswordChange> {
	const row = await db.select().from(staff).where(eq(staff.id, member.id)).get();
	if (!row?.passwordHash || !(await verifyPassword(input.current, row.passwordHash)))
		return { ok: false, reason: "wrong_current" };
	const problem = newPasswordProblem(input.next, row.email);
	if (problem) return { ok: false, reason: problem };
	if (input.next === input.current) return { ok: false, reason: "unchanged" };
	const [updated] = await db.batch([
		db
			.update(staff)
			.set({
				passwordHash: await hashPassword(input.next),
				sessionVersion: sql`${staff.sessionVersion} + 1`,
				updatedAt: now,
			})
			.where(eq(staff.id, member.id))
			.returning({ sessionVersion: staff.sessionVersion }),
		auditStatement(db, {
			at: now,
			actorType: "staff",
			actorId: String(member.id),
			unitId: member.unitId,
			action: "staff.password_changed",
			entityType: "staff",
			entityId: String(member.id),
		}),
	]);
	return { ok: true, sessionVersion: updated[0]?.sessionVersion ?? row.sessionVersion + 1 };
}
