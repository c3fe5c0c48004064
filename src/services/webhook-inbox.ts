// Webhook events are stored by webhookEventId before they are handled: a redelivery or a duplicate
// delivery finds its row already there and is not handled again. Failures are kept for retry.
import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEvents } from "../db/schema";
import type { LineEvent, UnreadableEvent } from "../line/webhook-events";

/** Handling is retried this many times (by the 5-minute cron) before the event is marked dead. */
export const MAX_EVENT_ATTEMPTS = 5;
/** An event still "received" after this long was cut off mid-handling (the isolate died): retry it. */
export const STUCK_AFTER_MS = 2 * 60_000;

/**
 * Stores the events; returns those seen for the first time, in the order LINE sent them. An id
 * that occurs twice in one body is one event: only its first occurrence is kept and handled.
 * Unreadable events are stored as "dead" with the reason, so the retry cron never picks them up.
 */
export async function recordWebhookEvents(
	db: Db,
	events: LineEvent[],
	now: number,
	unreadable: UnreadableEvent[] = [],
): Promise<LineEvent[]> {
	const byId = new Map<string, LineEvent>();
	for (const event of events) if (!byId.has(event.webhookEventId)) byId.set(event.webhookEventId, event);
	const unique = [...byId.values()];
	const statements = unique.map((event) =>
		db
			.insert(webhookEvents)
			.values({
				webhookEventId: event.webhookEventId,
				type: event.type,
				lineUserId: event.source?.userId ?? null,
				payload: JSON.stringify(event),
				receivedAt: now,
			})
			.onConflictDoNothing()
			.returning({ id: webhookEvents.webhookEventId }),
	);
	const dead = unreadable.map((event) =>
		db
			.insert(webhookEvents)
			.values({
				webhookEventId: event.webhookEventId,
				type: event.type.slice(0, 64),
				payload: JSON.stringify(event.payload),
				status: "dead",
				lastError: `unreadable event: ${event.error}`.slice(0, 1000),
				receivedAt: now,
			})
			.onConflictDoNothing()
			.returning({ id: webhookEvents.webhookEventId }),
	);
	const all = [...statements, ...dead];
	if (all.length === 0) return [];
	const results = await db.batch(all as [(typeof all)[number], ...typeof all]);
	const fresh = new Set(
		results
			.slice(0, statements.length)
			.flat()
			.map((r) => r.id),
	);
	return unique.filter((e) => fresh.has(e.webhookEventId));
}

export async function markEventDone(db: Db, id: string, now: number): Promise<void> {
	await db
		.update(webhookEvents)
		.set({ status: "done", handledAt: now, lastError: null, nextAttemptAt: null })
		.where(eq(webhookEvents.webhookEventId, id));
}

/** Records a failed attempt: retried later with backoff, or dead after MAX_EVENT_ATTEMPTS. */
export async function markEventFailed(
	db: Db,
	id: string,
	error: string,
	now: number,
): Promise<"failed" | "dead"> {
	const row = await db
		.update(webhookEvents)
		.set({ attempts: sql`${webhookEvents.attempts} + 1`, lastError: error.slice(0, 1000) })
		.where(eq(webhookEvents.webhookEventId, id))
		.returning({ attempts: webhookEvents.attempts })
		.get();
	const attempts = row?.attempts ?? MAX_EVENT_ATTEMPTS;
	const status = attempts >= MAX_EVENT_ATTEMPTS ? "dead" : "failed";
	await db
		.update(webhookEvents)
		.set({ status, nextAttemptAt: status === "dead" ? null : now + 60_000 * 2 ** (attempts - 1) })
		.where(eq(webhookEvents.webhookEventId, id));
	return status;
}

/**
 * Claims up to `limit` events due for another try (failed and due, or stuck in "received") by
 * pushing their next attempt a lease into the future, so an overlapping cron run skips them.
 */
export async function claimEventsForRetry(
	db: Db,
	now: number,
	limit = 20,
): Promise<{ id: string; payload: string }[]> {
	const due = db
		.select({ id: webhookEvents.webhookEventId })
		.from(webhookEvents)
		.where(
			or(
				and(eq(webhookEvents.status, "failed"), lte(webhookEvents.nextAttemptAt, now)),
				and(
					eq(webhookEvents.status, "received"),
					lte(webhookEvents.receivedAt, now - STUCK_AFTER_MS),
					or(sql`${webhookEvents.nextAttemptAt} IS NULL`, lte(webhookEvents.nextAttemptAt, now)),
				),
			),
		)
		.limit(limit);
	return db
		.update(webhookEvents)
		.set({ nextAttemptAt: now + STUCK_AFTER_MS })
		.where(inArray(webhookEvents.webhookEventId, due))
		.returning({ id: webhookEvents.webhookEventId, payload: webhookEvents.payload });
}
