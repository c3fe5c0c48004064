// The outbox: every LINE push, per-user rich-menu link, SMS and e-mail is a row first, then
// delivered — right away by whoever queued it, and retried by the 5-minute cron with exponential
// backoff and jitter, never sooner than the provider's Retry-After. A row is claimed before
// delivery, so overlapping runs never send it twice, and LINE pushes carry the row's retry key, so a
// retry after a lost answer is not a second message. Once LINE asks us to wait (Retry-After), a run
// calls LINE no more: its other LINE rows wait as long, without using up a try.
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { chunkForParams, D1_MAX_PARAMS, runInBatches, selectInChunks } from "../db/batch";
import type { Db } from "../db/client";
import { lineUsers, outbox } from "../db/schema";
import { USER_BLOCKED_ERROR } from "../domain/undelivered-reason";
import { log } from "../log";

export type OutboxChannel = (typeof outbox.$inferSelect)["channel"];
export type OutboxRow = typeof outbox.$inferSelect;

export type DeliveryResult =
	| { ok: true; requestId?: string | null }
	| {
			ok: false;
			retryable: boolean;
			error: string;
			requestId?: string | null;
			/** The provider's "not before" (e.g. LINE's Retry-After), already capped by the deliverer. */
			retryAfterMs?: number;
	  };

/** Sends one row of a channel. Deliverers never throw: failures come back as results. */
export type Deliverer = (row: OutboxRow) => Promise<DeliveryResult>;
export type Deliverers = Partial<Record<OutboxChannel, Deliverer>>;

export const MAX_DELIVERY_ATTEMPTS = 8;
/** A claimed row is left alone by other runs for this long (longer than any call's timeout). */
export const CLAIM_LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/** Delay before attempt n+1: 1, 2, 4 … minutes (capped at an hour), ±50% jitter. */
export function backoffDelay(attempts: number, random: () => number = Math.random): number {
	const base = Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
	return Math.round(base * (0.5 + random()));
}

/** The wait before attempt n+1: our backoff, or longer if the provider asked for longer. */
export function retryDelay(attempts: number, retryAfterMs = 0, random: () => number = Math.random): number {
	return Math.max(backoffDelay(attempts, random), retryAfterMs);
}

export type Enqueue = {
	channel: OutboxChannel;
	recipient: string;
	payload: unknown;
	dedupeKey?: string;
	/** Records a message already delivered another way (a reply), so it is never sent again. */
	sentAt?: number;
	requestId?: string | null;
};

/**
 * Queues a message. With a dedupeKey (one per logical message, e.g. "leave-result:42:approved")
 * queuing twice keeps one row; the existing row's id is returned.
 */
export async function enqueue(db: Db, item: Enqueue, now: number): Promise<number> {
	const inserted = await db
		.insert(outbox)
		.values({
			channel: item.channel,
			recipient: item.recipient,
			payload: JSON.stringify(item.payload),
			retryKey: crypto.randomUUID(),
			dedupeKey: item.dedupeKey ?? null,
			nextAttemptAt: now,
			...(item.sentAt
				? { status: "sent" as const, sentAt: item.sentAt, attempts: 1, lastRequestId: item.requestId ?? null }
				: {}),
			createdAt: now,
		})
		.onConflictDoNothing()
		.returning({ id: outbox.id })
		.get();
	if (inserted) return inserted.id;
	const existing = await db
		.select({ id: outbox.id })
		.from(outbox)
		.where(eq(outbox.dedupeKey, item.dedupeKey ?? ""))
		.get();
	if (!existing) throw new Error("outbox insert ignored without an existing row");
	return existing.id;
}

async function claim(db: Db, now: number, limit: number, ids?: number[]): Promise<OutboxRow[]> {
	if (ids && ids.length > 90) {
		// D1 binds at most 100 parameters: claim the given ids 90 at a time, within the limit.
		const rows: OutboxRow[] = [];
		for (let i = 0; i < ids.length && rows.length < limit; i += 90)
			rows.push(...(await claim(db, now, limit - rows.length, ids.slice(i, i + 90))));
		return rows;
	}
	const due = db
		.select({ id: outbox.id })
		.from(outbox)
		.where(
			and(
				eq(outbox.status, "pending"),
				lte(outbox.nextAttemptAt, now),
				ids ? inArray(outbox.id, ids) : undefined,
			),
		)
		.orderBy(asc(outbox.id))
		.limit(limit);
	const rows = await db
		.update(outbox)
		.set({ nextAttemptAt: now + CLAIM_LEASE_MS })
		.where(inArray(outbox.id, due))
		.returning();
	return rows.sort((a, b) => a.id - b.id);
}

/** `deferred`: rows not tried at all, because LINE asked this run to wait (Retry-After). */
export type DeliveryCounts = {
	sent: number;
	retrying: number;
	failed: number;
	dead: number;
	deferred: number;
};

const isLine = (channel: OutboxChannel) => channel.startsWith("line_");

/**
 * Releases claimed rows to `at` without a try: attempts, retry key and last error stay as they
 * were. One UPDATE per 99 ids (D1 binds at most 100 parameters; `at` is one), in one batch.
 */
async function reschedule(db: Db, ids: number[], at: number): Promise<void> {
	await runInBatches(
		db,
		chunkForParams(ids, 1, D1_MAX_PARAMS - 1).map((chunk) =>
			db.update(outbox).set({ nextAttemptAt: at }).where(inArray(outbox.id, chunk)),
		),
	);
}

/**
 * Delivers due rows (or only `ids`, e.g. the ones just queued), oldest first. Pushes to users who
 * blocked the account are not attempted; they end as failed with USER_BLOCKED.
 */
export async function deliverOutbox(
	deps: { db: Db; deliverers: Deliverers; now: number },
	options: { ids?: number[]; limit?: number } = {},
): Promise<DeliveryCounts> {
	const { db, deliverers, now } = deps;
	const counts: DeliveryCounts = { sent: 0, retrying: 0, failed: 0, dead: 0, deferred: 0 };
	if (options.ids && options.ids.length === 0) return counts;
	const rows = await claim(db, now, options.limit ?? 50, options.ids);
	if (rows.length === 0) return counts;

	const lineRecipients = [...new Set(rows.filter((r) => isLine(r.channel)).map((r) => r.recipient))];
	// In chunks: a bulk approval delivers 200 rows at once, and D1 binds at most 100 parameters.
	const blocked = new Set(
		(
			await selectInChunks(lineRecipients, (chunk) =>
				db
					.select({ userId: lineUsers.userId })
					.from(lineUsers)
					.where(and(inArray(lineUsers.userId, chunk), isNotNull(lineUsers.blockedAt))),
			)
		).map((u) => u.userId),
	);

	/** Rows whose delivery is a call to LINE (a push to a blocked user is not). */
	const callsLine = (row: OutboxRow) =>
		isLine(row.channel) && !blocked.has(row.recipient) && deliverers[row.channel] !== undefined;
	// Set once LINE answers with a Retry-After: the run's LINE rows still to come are not tried.
	const deferred = new Set<number>();

	for (const [index, row] of rows.entries()) {
		if (deferred.has(row.id)) continue;
		const deliver = deliverers[row.channel];
		let result: DeliveryResult;
		if (blocked.has(row.recipient)) {
			result = { ok: false, retryable: false, error: USER_BLOCKED_ERROR };
		} else if (!deliver) {
			result = { ok: false, retryable: true, error: `no deliverer for ${row.channel}` };
		} else {
			result = await deliver(row);
		}
		// LINE throttles the channel, not the message: every further call of this run would get the
		// same 429/503 and spend one of its tries. A wait of 0 ("now") asks for no pause.
		if (!result.ok && result.retryAfterMs && isLine(row.channel)) {
			const rest = rows.slice(index + 1).filter(callsLine);
			if (rest.length > 0) {
				for (const r of rest) deferred.add(r.id);
				counts.deferred += rest.length;
				await reschedule(
					db,
					rest.map((r) => r.id),
					now + result.retryAfterMs,
				);
				log.warn("outbox_line_paused", {
					id: row.id,
					retryAfterMs: result.retryAfterMs,
					deferred: rest.length,
				});
			}
		}
		const attempts = row.attempts + 1;
		if (result.ok) {
			counts.sent++;
			await db
				.update(outbox)
				.set({
					status: "sent",
					attempts,
					sentAt: now,
					lastError: null,
					lastRequestId: result.requestId ?? null,
				})
				.where(eq(outbox.id, row.id));
			continue;
		}
		const giveUp = !result.retryable || attempts >= MAX_DELIVERY_ATTEMPTS;
		const status = !result.retryable ? "failed" : giveUp ? "dead" : "pending";
		counts[status === "pending" ? "retrying" : status]++;
		if (giveUp) {
			log.warn("outbox_gave_up", {
				id: row.id,
				channel: row.channel,
				attempts,
				status,
				error: result.error.slice(0, 300),
			});
		}
		await db
			.update(outbox)
			.set({
				status,
				attempts,
				lastError: result.error.slice(0, 1000),
				lastRequestId: result.requestId ?? null,
				nextAttemptAt: giveUp ? now : now + retryDelay(attempts, result.retryAfterMs),
			})
			.where(eq(outbox.id, row.id));
	}
	return counts;
}
