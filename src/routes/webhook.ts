// POST /webhook/line — verify the signature on the raw bytes, store the events, answer 200 at once,
// handle them in waitUntil.
import { Hono } from "hono";
import { createDb } from "../db/client";
import { lineEventDeps } from "../deps";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { verifyLineSignature } from "../line/signature";
import { readWebhookEvents, webhookBodySchema } from "../line/webhook-events";
import { log } from "../log";
import { validationError } from "../middleware/validate";
import { recordWebhookEvents } from "../services/webhook-inbox";
import { processEvents } from "../services/webhook-processing";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export const webhookRoutes = new Hono<AppEnv>().post("/webhook/line", async (c) => {
	const raw = await c.req.arrayBuffer();
	if (!(await verifyLineSignature(c.env.LINE_CHANNEL_SECRET, raw, c.req.header("x-line-signature")))) {
		log.warn("webhook_bad_signature", { requestId: c.get("requestId"), bytes: raw.byteLength });
		throw new AppError("INVALID_SIGNATURE");
	}
	let json: unknown;
	try {
		json = JSON.parse(utf8.decode(raw));
	} catch {
		log.warn("webhook_malformed_json", { requestId: c.get("requestId"), bytes: raw.byteLength });
		throw new AppError("MALFORMED_JSON");
	}
	const body = webhookBodySchema.safeParse(json);
	if (!body.success) throw validationError(body.error);
	// An empty list is LINE's connection check ("Verify" in the console): nothing to store.
	if (body.data.events.length === 0) return c.json({});

	const { events, unreadable, unkeyed } = readWebhookEvents(body.data.events);
	for (const event of unreadable)
		log.warn("webhook_event_unreadable", {
			requestId: c.get("requestId"),
			webhookEventId: event.webhookEventId,
			error: event.error,
		});
	// Without an id there is nothing to store an event under: it can only be logged.
	if (unkeyed) log.warn("webhook_event_unreadable", { requestId: c.get("requestId"), withoutId: unkeyed });
	const now = Date.now();
	const fresh = await recordWebhookEvents(createDb(c.env.DB), events, now, unreadable);
	if (fresh.length) {
		c.executionCtx.waitUntil(processEvents(lineEventDeps(c.env, now, new URL(c.req.url).origin), fresh));
	}
	return c.json({});
});
