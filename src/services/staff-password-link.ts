// One-time links that set a staff member's password: a first password for a new account, or a reset
// (asked for by an admin or by the member on the sign-in page). The link carries 256 random bits; D1
// keeps only their SHA-256 (a hash of that much randomness cannot be reversed or guessed, so no key is
// needed). A link works once, until it expires, and only the newest one of an account works.
import { and, eq, exists, gt, gte, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import type { Db } from "../db/client";
import { auditLog, outbox, staff, staffPasswordTokens } from "../db/schema";
import { normalizeEmail } from "../domain/email";
import { formatRocDate } from "../domain/roc-date";
import {
	linkLifetime,
	linkPurpose,
	linkState,
	newPasswordProblem,
	type PasswordLinkPurpose,
	type PasswordProblem,
} from "../domain/staff-password";
import { taipeiDate, taipeiInstant, taipeiTime } from "../domain/taipei-time";
import { type Deliverers, deliverOutbox } from "./outbox";
import { hashPassword } from "./password";
import { randomToken } from "./random";

export const PASSWORD_SET_PATH = "/admin/password/set";
/** Self-service resets: one per account per 5 minutes, at most 5 links per account and Taipei day. */
export const RESET_COOLDOWN_MS = 5 * 60_000;
export const RESET_LINKS_PER_DAY = 5;

export type LinkDeps = { db: Db; now: number; publicBaseUrl: string; requestId?: string | null };

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A column of insertIf's guard row as a value of the inserted row (insertIf passes SQL through). */
export const fromGuardRow = <T>(value: SQL) => value as unknown as T;

export async function hashLinkToken(token: string): Promise<string> {
	const digest = await crypto.subtle.digest(
		"SHA-256",
		new TextEncoder().encode(`staff-password\u0000${token}`),
	);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const when = (instant: number) => `${formatRocDate(taipeiDate(instant))} ${taipeiTime(instant)}`;

/** The e-mail with the link. The link is the secret: it is never logged. */
export function passwordLinkEmail(
	purpose: PasswordLinkPurpose,
	account: { name: string; email: string },
	url: string,
	expiresAt: number,
) {
	const opening =
		purpose === "first"
			? `已為您建立 Training LINE 管理後台帳號（登入帳號：${account.email}）。`
			: "我們收到重新設定您 Training LINE 管理後台密碼的要求。";
	return {
		subject:
			purpose === "first" ? "Training LINE 管理後台：設定您的密碼" : "Training LINE 管理後台：重新設定密碼",
		text: [
			`${account.name} 您好：`,
			opening,
			`請在 ${when(expiresAt)}（台北時間）前開啟下列連結設定密碼，連結只能使用一次：`,
			url,
			"若這不是您本人或單位管理者申請的，請忽略這封信，您的密碼不會改變。",
		].join("\n"),
	};
}

export type LinkIssue = {
	token: string;
	tokenHash: string;
	expiresAt: number;
	dedupeKey: string;
	statements: ReturnType<typeof linkStatements>;
};

/**
 * The writes that issue a link, for one D1 batch: the token row (only if `target` selects the account
 * — the caller's conditions, such as a send limit, go there), and, only once that row exists, the
 * expiry of the account's older unused links, the queued e-mail and the audit entry.
 */
function linkStatements(
	db: Db,
	p: {
		target: SQL | undefined;
		tokenHash: string;
		expiresAt: number;
		now: number;
		email: { to: string; subject: string; text: string };
		dedupeKey: string;
		audit: {
			actorType: "staff" | "system";
			actorId: string | null;
			action: string;
			requestId?: string | null;
		};
	},
) {
	const ofNewLink = db
		.select({ staffId: staffPasswordTokens.staffId })
		.from(staffPasswordTokens)
		.where(eq(staffPasswordTokens.tokenHash, p.tokenHash));
	const issued = { from: staffPasswordTokens, where: eq(staffPasswordTokens.tokenHash, p.tokenHash) };
	return [
		insertIf(
			db,
			staffPasswordTokens,
			{
				tokenHash: p.tokenHash,
				staffId: fromGuardRow<number>(sql`${staff.id}`),
				expiresAt: p.expiresAt,
				createdAt: p.now,
			},
			{ from: staff, where: p.target },
		),
		db
			.update(staffPasswordTokens)
			.set({ expiresAt: p.now })
			.where(
				and(
					inArray(staffPasswordTokens.staffId, ofNewLink),
					sql`${staffPasswordTokens.tokenHash} <> ${p.tokenHash}`,
					isNull(staffPasswordTokens.usedAt),
					gt(staffPasswordTokens.expiresAt, p.now),
				),
			),
		insertIf(
			db,
			outbox,
			{
				channel: "email",
				recipient: p.email.to,
				payload: JSON.stringify({ subject: p.email.subject, text: p.email.text }),
				retryKey: crypto.randomUUID(),
				dedupeKey: p.dedupeKey,
				nextAttemptAt: p.now,
				createdAt: p.now,
			},
			issued,
		),
		insertIf(
			db,
			auditLog,
			{
				at: p.now,
				actorType: p.audit.actorType,
				actorId: p.audit.actorId,
				unitId: fromGuardRow<number>(sql`${staff.unitId}`),
				action: p.audit.action,
				entityType: "staff",
				entityId: fromGuardRow<string>(sql`CAST(${staff.id} AS TEXT)`),
				after: JSON.stringify({ expiresAt: p.expiresAt }),
				requestId: p.audit.requestId ?? null,
			},
			{ from: staff, where: inArray(staff.id, ofNewLink) },
		),
	] as const;
}

/** A fresh link for the account `target` selects (enabled accounts only), as batch statements. */
export async function prepareLink(
	deps: LinkDeps,
	account: { name: string; email: string; hasPassword: boolean },
	target: SQL | undefined,
	audit: { actorType: "staff" | "system"; actorId: string | null; action: string },
): Promise<LinkIssue> {
	const purpose = linkPurpose(account.hasPassword);
	const token = randomToken(32);
	const tokenHash = await hashLinkToken(token);
	const expiresAt = deps.now + linkLifetime(purpose);
	const url = `${deps.publicBaseUrl}${PASSWORD_SET_PATH}?token=${token}`;
	const dedupeKey = `staff-password:${tokenHash}`;
	return {
		token,
		tokenHash,
		expiresAt,
		dedupeKey,
		statements: linkStatements(deps.db, {
			target: and(target, isNull(staff.disabledAt)),
			tokenHash,
			expiresAt,
			now: deps.now,
			email: { to: account.email, ...passwordLinkEmail(purpose, account, url, expiresAt) },
			dedupeKey,
			audit: { ...audit, requestId: deps.requestId ?? null },
		}),
	};
}

/** The queued e-mail of a link just issued, if the batch issued it. */
export async function queuedLinkEmail(db: Db, dedupeKey: string): Promise<number | null> {
	const row = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey)).get();
	return row?.id ?? null;
}

/**
 * Sends the queued e-mail now (the cron retries it otherwise) and, once sent, drops the link from the
 * stored copy: D1 then holds nothing that opens the account.
 */
export async function deliverLinkEmail(
	deps: { db: Db; deliverers: Deliverers; now: number },
	outboxId: number,
): Promise<void> {
	await deliverOutbox(deps, { ids: [outboxId] });
	await deps.db
		.update(outbox)
		.set({ payload: JSON.stringify({ subject: "（設定密碼連結，已寄出）", text: "（連結不保留）" }) })
		.where(and(eq(outbox.id, outboxId), eq(outbox.status, "sent")));
}

export type IssueResult = { ok: true; outboxId: number; email: string } | { ok: false; reason: "disabled" };

/** An admin sends a link to an account they manage (the caller checked the scope). */
export async function issuePasswordLink(
	deps: LinkDeps,
	actor: { id: number },
	account: { id: number; name: string; email: string; hasPassword: boolean; disabledAt: number | null },
): Promise<IssueResult> {
	if (account.disabledAt !== null) return { ok: false, reason: "disabled" };
	const link = await prepareLink(deps, account, eq(staff.id, account.id), {
		actorType: "staff",
		actorId: String(actor.id),
		action: "staff.password_link_sent",
	});
	await deps.db.batch([...link.statements]);
	const outboxId = await queuedLinkEmail(deps.db, link.dedupeKey);
	// Disabled between the read and the batch: nothing was issued.
	return outboxId === null ? { ok: false, reason: "disabled" } : { ok: true, outboxId, email: account.email };
}

/**
 * 忘記密碼: a reset link to an enabled account with this e-mail, within the send limits. The caller
 * answers the same whatever happened, so the page never tells which e-mails have accounts.
 */
export async function requestPasswordReset(deps: LinkDeps, emailInput: string): Promise<number | null> {
	const email = normalizeEmail(emailInput);
	if (!email.ok) return null;
	const row = await deps.db
		.select()
		.from(staff)
		.where(and(eq(staff.email, email.value), isNull(staff.disabledAt)))
		.get();
	if (!row) return null;
	const dayStart = taipeiInstant(taipeiDate(deps.now));
	const ofAccount = eq(staffPasswordTokens.staffId, row.id);
	// Checked in the insert itself, so parallel requests cannot slip past the limits.
	const withinLimits = and(
		eq(staff.id, row.id),
		sql`NOT EXISTS (SELECT 1 FROM ${staffPasswordTokens} WHERE ${and(ofAccount, gt(staffPasswordTokens.createdAt, deps.now - RESET_COOLDOWN_MS))})`,
		sql`(SELECT COUNT(*) FROM ${staffPasswordTokens} WHERE ${and(ofAccount, gte(staffPasswordTokens.createdAt, dayStart))}) < ${RESET_LINKS_PER_DAY}`,
	);
	const link = await prepareLink(
		deps,
		{ name: row.name, email: row.email, hasPassword: row.passwordHash !== null },
		withinLimits,
		{ actorType: "system", actorId: null, action: "staff.password_reset_requested" },
	);
	await deps.db.batch([...link.statements]);
	return queuedLinkEmail(deps.db, link.dedupeKey);
}

export type LinkCheck =
	| {
			ok: true;
			staffId: number;
			unitId: number | null;
			email: string;
			name: string;
			purpose: PasswordLinkPurpose;
	  }
	| { ok: false; reason: "invalid" | "used" | "expired" };

/** What the link is for, or why it cannot be used. A disabled account's link has expired. */
export async function readPasswordLink(db: Db, token: string, now: number): Promise<LinkCheck> {
	if (!TOKEN_FORMAT.test(token)) return { ok: false, reason: "invalid" };
	const row = await db
		.select({ link: staffPasswordTokens, account: staff })
		.from(staffPasswordTokens)
		.innerJoin(staff, eq(staff.id, staffPasswordTokens.staffId))
		.where(eq(staffPasswordTokens.tokenHash, await hashLinkToken(token)))
		.get();
	if (!row) return { ok: false, reason: "invalid" };
	const state = linkState(row.link, now);
	if (state !== "usable") return { ok: false, reason: state };
	if (row.account.disabledAt !== null) return { ok: false, reason: "expired" };
	return {
		ok: true,
		staffId: row.account.id,
		unitId: row.account.unitId,
		email: row.account.email,
		name: row.account.name,
		purpose: linkPurpose(row.account.passwordHash !== null),
	};
}

export type SetPasswordResult =
	| { ok: true; email: string }
	| { ok: false; reason: "invalid" | "used" | "expired" | "mismatch" | PasswordProblem };

/**
 * Sets the password through a link: the link is used up, the account's other links stop working,
 * the lockout is cleared and every signed-in browser of the account is signed out, all in one batch
 * that only takes effect while the link is still usable (two tabs cannot both use it).
 */
export async function setPasswordWithLink(
	deps: { db: Db; now: number; requestId?: string | null },
	token: string,
	input: { password: string; confirm: string },
): Promise<SetPasswordResult> {
	const { db, now } = deps;
	const link = await readPasswordLink(db, token, now);
	if (!link.ok) return link;
	if (input.password !== input.confirm) return { ok: false, reason: "mismatch" };
	const problem = newPasswordProblem(input.password, link.email);
	if (problem) return { ok: false, reason: problem };
	const tokenHash = await hashLinkToken(token);
	// The new hash has its own random salt: it marks this request's write and no other.
	const passwordHash = await hashPassword(input.password);
	const usable = and(
		eq(staffPasswordTokens.tokenHash, tokenHash),
		isNull(staffPasswordTokens.usedAt),
		gt(staffPasswordTokens.expiresAt, now),
	);
	const written = and(eq(staff.id, link.staffId), eq(staff.passwordHash, passwordHash));
	const [updated] = await db.batch([
		db
			.update(staff)
			.set({
				passwordHash,
				sessionVersion: sql`${staff.sessionVersion} + 1`,
				failedLogins: 0,
				lockedUntil: null,
				updatedAt: now,
			})
			.where(
				and(
					eq(staff.id, link.staffId),
					isNull(staff.disabledAt),
					exists(db.select({ one: sql`1` }).from(staffPasswordTokens).where(usable)),
				),
			)
			.returning({ id: staff.id }),
		db
			.update(staffPasswordTokens)
			.set({ usedAt: now })
			.where(and(usable, exists(db.select({ one: sql`1` }).from(staff).where(written)))),
		db
			.update(staffPasswordTokens)
			.set({ expiresAt: now })
			.where(
				and(
					eq(staffPasswordTokens.staffId, link.staffId),
					isNull(staffPasswordTokens.usedAt),
					gt(staffPasswordTokens.expiresAt, now),
					exists(db.select({ one: sql`1` }).from(staff).where(written)),
				),
			),
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "staff",
				actorId: String(link.staffId),
				unitId: link.unitId,
				action: link.purpose === "first" ? "staff.password_set" : "staff.password_reset",
				entityType: "staff",
				entityId: String(link.staffId),
				after: JSON.stringify({ via: "link" }),
				requestId: deps.requestId ?? null,
			},
			{ from: staff, where: written },
		),
	]);
	if (updated.length === 0) {
		// Another tab used the link, or it ran out, between the check and the write.
		const again = await readPasswordLink(db, token, now);
		return again.ok ? { ok: false, reason: "expired" } : again;
	}
	return { ok: true, email: link.email };
}
