// Fault: LINE delivers the same webhook body twice at the same time (same bytes, same signature),
// and a third time as a redelivery while the first two are still being handled. Every event is
// handled once: one answer per event, one state change, one queued rich-menu link — and the order
// of a user's events (block, then unblock) is kept.
import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { lineUsers, outbox, webhookEvents } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { signLineBody } from "../../src/line/signature";
import { type FakeLine, installFakeLine } from "./fake-line";
import { lineEvent, postWebhook } from "./webhook-helpers";

const db = createDb(env.DB);
let line: FakeLine;
beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	line = installFakeLine();
	line.provisionMenus();
});
afterEach(() => line.restore());

const bodyOf = (events: object[]) => JSON.stringify({ destination: "Ubot", events });
const deliverAtOnce = async (bodies: string[]) =>
	Promise.all(
		bodies.map(async (body) => postWebhook(body, await signLineBody(env.LINE_CHANNEL_SECRET, body))),
	);
const rowsOf = (ids: string[]) =>
	db.select().from(webhookEvents).where(inArray(webhookEvents.webhookEventId, ids));
const newUser = () => `U${crypto.randomUUID().replace(/-/g, "")}`;

describe("the same body delivered twice at once, and redelivered meanwhile", () => {
	it("handles each event of it once, in order", async () => {
		const stranger = newUser();
		const trainee = DEMO_LINE_USERS.trainee;
		// A new user follows and asks for 請假; the demo trainee blocks and at once unblocks the account.
		const events = [
			lineEvent.follow(stranger),
			lineEvent.text(stranger, "請假"),
			lineEvent.unfollow(trainee),
			lineEvent.follow(trainee, true),
		];
		const body = bodyOf(events);
		const redelivered = bodyOf(events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })));

		const answers = await deliverAtOnce([body, body, redelivered]);

		expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
		const ids = events.map((e) => e.webhookEventId);
		const rows = await rowsOf(ids);
		expect(rows.map((r) => [r.webhookEventId, r.status, r.attempts]).sort()).toEqual(
			ids.map((id) => [id, "done", 0]).sort(),
		);
		// One answer per event that has one (follow, 請假, welcome back): by reply, none by push.
		const replies = line.replies();
		expect(replies.map((r) => r.replyToken).sort()).toEqual(
			[events[0], events[1], events[3]]
				.map((e) => (e as unknown as { replyToken: string }).replyToken)
				.sort(),
		);
		expect(line.pushes()).toHaveLength(0);
		// Blocked, then unblocked: the trainee can be reached, and their menu is linked once.
		const state = await db.select().from(lineUsers).where(eq(lineUsers.userId, trainee)).get();
		expect(state?.blockedAt).toBeNull();
		const menuLinks = await db
			.select()
			.from(outbox)
			.where(eq(outbox.recipient, trainee))
			.then((r) => r.filter((row) => row.channel === "line_rich_menu"));
		expect(menuLinks).toHaveLength(1);
		expect(line.menuLinks().filter((l) => l.userId === trainee)).toHaveLength(1);
		expect(await db.select().from(lineUsers).where(eq(lineUsers.userId, stranger))).toHaveLength(1);
	});

	it("handles events shared by two different bodies racing each other once", async () => {
		const user = newUser();
		const [a, b, c] = [
			lineEvent.postback(user, "a=faq"),
			lineEvent.postback(user, "a=identity"),
			lineEvent.text(user, "客服"),
		];
		// LINE retried b with c while the body with a and b was still on its way.
		await deliverAtOnce([bodyOf([a, b]), bodyOf([b, c]), bodyOf([a, b])]);

		const rows = await rowsOf([a, b, c].map((e) => e.webhookEventId));
		expect(rows.every((r) => r.status === "done")).toBe(true);
		expect(rows).toHaveLength(3);
		expect(
			line
				.replies()
				.map((r) => r.replyToken)
				.sort(),
		).toEqual([a, b, c].map((e) => e.replyToken).sort());
		const answers = await db
			.select()
			.from(outbox)
			.where(
				inArray(
					outbox.dedupeKey,
					[a, b, c].map((e) => `answer:${e.webhookEventId}`),
				),
			);
		expect(answers).toHaveLength(3);
	});
});
