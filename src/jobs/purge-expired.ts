// Daily purge of what has expired: binding links, one-time codes, consumed single-use tokens,
// staff password links, handled webhook events and finished outbox deliveries (their payloads hold
// messages to people). Bounded per run; running it twice deletes nothing more.
import { and, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
	bindingRequests,
	consumedTokens,
	otpChallenges,
	outbox,
	staffPasswordTokens,
	webhookEvents,
} from "../db/schema";

/** Expired links and codes are kept a day for support questions ("my link did not work"). */
export const LINK_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Handled webhook events and finished deliveries are kept 30 days: long enough for LINE's redeliveries and support questions. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
export const PURGE_BATCH = 500;

export type PurgeCounts = {
	bindingRequests: number;
	otpChallenges: number;
	consumedTokens: number;
	webhookEvents: number;
	staffPasswordTokens: number;
	outbox: number;
};

export async function purgeExpired(db: Db, now: number): Promise<PurgeCounts> {
	const linkCutoff = now - LINK_RETENTION_MS;
	const staleRequests = db
		.select({ id: bindingRequests.id })
		.from(bindingRequests)
		.where(lt(bindingRequests.expiresAt, linkCutoff))
		.limit(PURGE_BATCH);
	const staleCodes = db
		.select({ id: otpChallenges.id })
		.from(otpChallenges)
		.where(
			or(lt(otpChallenges.expiresAt, linkCutoff), inArray(otpChallenges.bindingRequestId, staleRequests)),
		)
		.limit(PURGE_BATCH * 4);
	const staleTokens = db
		.select({ jti: consumedTokens.jti })
		.from(consumedTokens)
		.where(lt(consumedTokens.expiresAt, now))
		.limit(PURGE_BATCH);
	const staleEvents = db
		.select({ id: webhookEvents.webhookEventId })
		.from(webhookEvents)
		.where(
			and(
				sql`${webhookEvents.status} IN ('done', 'dead')`,
				lt(webhookEvents.receivedAt, now - WEBHOOK_RETENTION_MS),
			),
		)
		.limit(PURGE_BATCH);

	const staleStaffLinks = db
		.select({ hash: staffPasswordTokens.tokenHash })
		.from(staffPasswordTokens)
		.where(lt(staffPasswordTokens.expiresAt, linkCutoff))
		.limit(PURGE_BATCH);
	// Finished rows (delivered or given up) go after 30 days. next_attempt_at is the last attempt's
	// time for a finished row, and leads the status index.
	const finishedDeliveries = db
		.select({ id: outbox.id })
		.from(outbox)
		.where(
			and(
				sql`${outbox.status} IN ('sent', 'failed', 'dead')`,
				lt(outbox.nextAttemptAt, now - WEBHOOK_RETENTION_MS),
			),
		)
		.limit(PURGE_BATCH);

	// Codes go before their requests (foreign key); one batch, so a failure deletes nothing.
	const [codes, requests, tokens, events, staffLinks, deliveries] = await db.batch([
		db.delete(otpChallenges).where(inArray(otpChallenges.id, staleCodes)),
		db.delete(bindingRequests).where(inArray(bindingRequests.id, staleRequests)),
		db.delete(consumedTokens).where(inArray(consumedTokens.jti, staleTokens)),
		db.delete(webhookEvents).where(inArray(webhookEvents.webhookEventId, staleEvents)),
		db.delete(staffPasswordTokens).where(inArray(staffPasswordTokens.tokenHash, staleStaffLinks)),
		db.delete(outbox).where(inArray(outbox.id, finishedDeliveries)),
	]);
	return {
		otpChallenges: codes.meta.changes,
		bindingRequests: requests.meta.changes,
		consumedTokens: tokens.meta.changes,
		webhookEvents: events.meta.changes,
		staffPasswordTokens: staffLinks.meta.changes,
		outbox: deliveries.meta.changes,
	};
}
