// Runs stored webhook events through the handler, one after another (a user's events keep their
// order), recording each as done or failed. Used right after receipt and by the retry cron.

import { lineEventSchema } from "../line/webhook-events";
import { describeError, log } from "../log";
import { handleLineEvent, type LineEventDeps } from "./line-events";
import { claimEventsForRetry, markEventDone, markEventFailed } from "./webhook-inbox";

export async function processEvents(deps: LineEventDeps, events: Parameters<typeof handleLineEvent>[1][]) {
	for (const event of events) {
		try {
			await handleLineEvent(deps, event);
			await markEventDone(deps.db, event.webhookEventId, deps.now);
		} catch (err) {
			const status = await markEventFailed(deps.db, event.webhookEventId, describeError(err), deps.now);
			log.error("webhook_event_failed", {
				webhookEventId: event.webhookEventId,
				type: event.type,
				status,
				error: describeError(err),
			});
		}
	}
}

/** The cron's part: events that failed or were cut off get another try, a bounded number of times. */
export async function retryFailedEvents(deps: LineEventDeps): Promise<{ retried: number }> {
	const claimed = await claimEventsForRetry(deps.db, deps.now);
	const events = claimed.flatMap((row) => {
		const parsed = lineEventSchema.safeParse(JSON.parse(row.payload));
		return parsed.success ? [parsed.data] : [];
	});
	await processEvents(deps, events);
	return { retried: events.length };
}
