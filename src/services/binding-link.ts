// Step one of binding (綁定帳號 → 學員/教師): a one-time link to /bind, valid 10 minutes.
// Asking again voids the previous link. Opening the link does not use it up; only the final
// successful submit does (see the binding service).
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { bindingRequests } from "../db/schema";
import type { LineRole } from "../domain/roles";
import type { LineApi } from "../line/line-api";
import { log } from "../log";
import { signBindingToken } from "./binding-token";
import { ensureLineUser } from "./line-users";
import { randomToken } from "./random";

export const BINDING_LINK_TTL_MS = 10 * 60_000;

export type BindingLinkDeps = {
	db: Db;
	line: LineApi;
	now: number;
	bindingTokenKey: string;
	publicBaseUrl: string;
};

export type BindingLinkResult =
	| { ok: true; url: string; expiresAt: number }
	| { ok: false; code: "LINK_TOKEN_UNAVAILABLE" };

export async function createBindingLink(
	deps: BindingLinkDeps,
	userId: string,
	role: LineRole,
): Promise<BindingLinkResult> {
	const { db, line, now } = deps;
	let linkToken: string;
	try {
		// LINE's link token is needed at the end, for the account-link dialog; it is valid 10 minutes too.
		linkToken = await line.issueLinkToken(userId);
	} catch (err) {
		log.warn("binding_link_token_failed", { error: String(err) });
		return { ok: false, code: "LINK_TOKEN_UNAVAILABLE" };
	}
	const id = randomToken();
	const expiresAt = now + BINDING_LINK_TTL_MS;
	await ensureLineUser(db, userId, now);
	await db.batch([
		db
			.update(bindingRequests)
			.set({ voidedAt: now })
			.where(
				and(
					eq(bindingRequests.lineUserId, userId),
					isNull(bindingRequests.usedAt),
					isNull(bindingRequests.voidedAt),
				),
			),
		db.insert(bindingRequests).values({ id, lineUserId: userId, role, linkToken, expiresAt, createdAt: now }),
	]);
	const token = await signBindingToken(deps.bindingTokenKey, id, now, expiresAt);
	return { ok: true, url: `${deps.publicBaseUrl}/bind?t=${encodeURIComponent(token)}`, expiresAt };
}
