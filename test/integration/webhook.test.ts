// POST /webhook/line at the HTTP level: signature on the exact bytes, LINE's connection check,
// malformed bodies, idempotency under redelivery and double delivery, standby, groups, unknown types.
import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { webhookEvents } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { signLineBody } from "../../src/line/signature";
import { type FakeLine, installFakeLine } from "./fake-line";
import { lineEvent, postWebhook, sendEvents } from "./webhook-helpers";

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

const signed = async (body: string) => postWebhook(body, await signLineBody(env.LINE_CHANNEL_SECRET, body));
const storedCount = async (ids: string[]) =>
	(await db.select().from(webhookEvents).where(inArray(webhookEvents.webhookEventId, ids))).length;

describe("signature", () => {
	it("accepts bodies with escaped unicode, escaped slashes, emoji and CJK exactly as received", async () => {
		const event = lineEvent.text(DEMO_LINE_USERS.unbound, "placeholder");
		// Hand-written JSON the way LINE writes it: \ud83e\udd12 escapes and \/ in strings.
		const body = JSON.stringify({ destination: "Ubot", events: [event] }).replace(
			'"placeholder"',
			'"\\ud83e\\udd12 請假 \\/ 病假 🤒 𠀋"',
		);
		const res = await signed(body);
		expect(res.status).toBe(200);
		expect(await storedCount([event.webhookEventId])).toBe(1);
	});

	it("refuses the same JSON re-serialized or pretty-printed (the signature is of the bytes)", async () => {
		const event = lineEvent.text(DEMO_LINE_USERS.unbound, "\ud83e\udd12 請假");
		const original = JSON.stringify({ destination: "Ubot", events: [event] }).replace(
			"請假",
			"\\u8acb\\u5047",
		);
		const signature = await signLineBody(env.LINE_CHANNEL_SECRET, original);
		for (const body of [
			JSON.stringify(JSON.parse(original)),
			JSON.stringify(JSON.parse(original), null, 2),
		]) {
			const res = await postWebhook(body, signature);
			expect(res.status).toBe(401);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("INVALID_SIGNATURE");
		}
		expect(await storedCount([event.webhookEventId])).toBe(0);
	});

	it("answers 401 in the error shape without a signature header, and stores nothing", async () => {
		const event = lineEvent.text(DEMO_LINE_USERS.unbound, "hi");
		const res = await postWebhook(JSON.stringify({ events: [event] }), null);
		expect(res.status).toBe(401);
		const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
		expect(body.error.code).toBe("INVALID_SIGNATURE");
		expect(body.error.message).toMatch(/簽章/);
		expect(await storedCount([event.webhookEventId])).toBe(0);
		expect(line.calls).toHaveLength(0);
	});
});

describe("bodies", () => {
	it("answers LINE's connection check (no events) with 200 and touches nothing", async () => {
		const before = (await db.select().from(webhookEvents)).length;
		const res = await signed(JSON.stringify({ destination: "Ubot", events: [] }));
		expect(res.status).toBe(200);
		expect((await db.select().from(webhookEvents)).length).toBe(before);
		expect(line.calls).toHaveLength(0);
	});

	it("answers 400 to a correctly signed body that is not JSON, or not UTF-8", async () => {
		const res = await signed('{"events": [');
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("MALFORMED_JSON");
		const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
		const notUtf8 = await postWebhook(invalidUtf8, await signLineBody(env.LINE_CHANNEL_SECRET, invalidUtf8));
		expect(notUtf8.status).toBe(400);
		expect(((await notUtf8.json()) as { error: { code: string } }).error.code).toBe("MALFORMED_JSON");
	});

	it("answers 400 to a signed body without an events list", async () => {
		const res = await signed(JSON.stringify({ destination: "Ubot" }));
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
	});

	it("ignores unknown event types with 200 and sends nothing", async () => {
		const event = {
			...lineEvent.unfollow(DEMO_LINE_USERS.unbound),
			type: "videoPlayComplete",
			replyToken: "r",
		};
		const res = await sendEvents(event);
		expect(res.status).toBe(200);
		expect(line.calls).toHaveLength(0);
		const row = await db
			.select()
			.from(webhookEvents)
			.where(eq(webhookEvents.webhookEventId, event.webhookEventId))
			.get();
		expect(row?.status).toBe("done");
	});
});

describe("unreadable events", () => {
	it("stores an event it cannot read as dead with the reason, answers 200, and handles the rest", async () => {
		const readable = lineEvent.postback(DEMO_LINE_USERS.unbound, "a=identity");
		const unreadable = {
			...lineEvent.text(DEMO_LINE_USERS.unbound, "請假"),
			source: { type: "channel", channelId: "1650000000" },
		};
		const withoutId = { type: "message", timestamp: Date.now() };
		const res = await sendEvents(unreadable, withoutId, readable);
		expect(res.status).toBe(200);
		const row = await db
			.select()
			.from(webhookEvents)
			.where(eq(webhookEvents.webhookEventId, unreadable.webhookEventId))
			.get();
		expect(row).toMatchObject({ status: "dead", type: "message", attempts: 0 });
		expect(row?.lastError).toMatch(/^unreadable event: source/);
		expect(JSON.parse(row?.payload ?? "{}")).toEqual(unreadable);
		// Only the readable event was answered.
		expect(line.replies()).toHaveLength(1);
		expect(line.replies()[0]?.replyToken).toBe(readable.replyToken);
	});
});

describe("idempotency", () => {
	it("handles an id that occurs twice in one body once", async () => {
		const event = lineEvent.postback(DEMO_LINE_USERS.unbound, "a=faq");
		const res = await sendEvents(event, event);
		expect(res.status).toBe(200);
		expect(line.replies()).toHaveLength(1);
		expect(line.pushes()).toHaveLength(0);
		expect(await storedCount([event.webhookEventId])).toBe(1);
	});

	it("handles a redelivery of an event already received once", async () => {
		const event = lineEvent.postback(DEMO_LINE_USERS.unbound, "a=identity");
		await sendEvents(event);
		await sendEvents({ ...event, deliveryContext: { isRedelivery: true } });
		expect(line.replies()).toHaveLength(1);
		expect(line.pushes()).toHaveLength(0);
	});

	it("handles the same event delivered twice at the same time once", async () => {
		const event = lineEvent.postback(DEMO_LINE_USERS.unbound, "a=faq");
		const [a, b] = await Promise.all([sendEvents(event), sendEvents(event)]);
		expect([a.status, b.status]).toEqual([200, 200]);
		expect(line.replies()).toHaveLength(1);
	});

	it("answers a first-seen redelivery by push (its reply token is no longer valid)", async () => {
		const event = lineEvent.postback(DEMO_LINE_USERS.unbound, "a=identity", { redelivery: true });
		await sendEvents(event);
		expect(line.replies()).toHaveLength(0);
		expect(line.pushes()).toHaveLength(1);
		expect(line.pushes()[0]?.to).toBe(DEMO_LINE_USERS.unbound);
	});

	it("answers an event that waited too long by push", async () => {
		await sendEvents(
			lineEvent.postback(DEMO_LINE_USERS.unbound, "a=identity", { timestamp: Date.now() - 120_000 }),
		);
		expect(line.replies()).toHaveLength(0);
		expect(line.pushes()).toHaveLength(1);
	});
});

describe("modes and sources", () => {
	it("sends nothing for events in standby mode", async () => {
		await sendEvents(lineEvent.text(DEMO_LINE_USERS.unbound, "請假", { mode: "standby" }));
		expect(line.calls).toHaveLength(0);
	});

	it("stays silent on group messages and says once, on joining, that it works one-to-one", async () => {
		await sendEvents(lineEvent.groupText("Cgroup1", "請假"));
		expect(line.calls).toHaveLength(0);
		await sendEvents(lineEvent.join("Cgroup1"));
		expect(line.replies()).toHaveLength(1);
		expect(JSON.stringify(line.replies()[0]?.messages)).toContain("一對一");
		expect(line.pushes()).toHaveLength(0);
	});

	it("treats rooms like groups: silent on messages, says once on joining that it works one-to-one", async () => {
		await sendEvents(lineEvent.roomText("Rroom1", "請假"));
		expect(line.calls).toHaveLength(0);
		await sendEvents(lineEvent.roomJoin("Rroom1"));
		expect(line.replies()).toHaveLength(1);
		expect(JSON.stringify(line.replies()[0]?.messages)).toContain("一對一");
		expect(line.pushes()).toHaveLength(0);
	});
});
