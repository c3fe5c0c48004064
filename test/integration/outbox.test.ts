// The outbox against a LINE that fails for a while: nothing lost, nothing sent twice, one retry key
// per message, backoff between tries, stop on refusals, give-up recorded.
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { lineUsers, outbox } from "../../src/db/schema";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { createLineApi } from "../../src/line/line-api";
import { lineDeliverers } from "../../src/services/line-delivery";
import { backoffDelay, deliverOutbox, enqueue, MAX_DELIVERY_ATTEMPTS } from "../../src/services/outbox";
import { type FakeLine, installFakeLine } from "./fake-line";

const db = createDb(env.DB);
let line: FakeLine;
beforeEach(() => {
	line = installFakeLine();
});
afterEach(() => line.restore());

const T0 = Date.parse("2026-12-03T23:30:00Z"); // 07:30 Taipei, the previous UTC day's evening shift
const newUser = async () => {
	const userId = `U${crypto.randomUUID().replace(/-/g, "")}`;
	await db.insert(lineUsers).values({ userId, createdAt: T0, updatedAt: T0 });
	return userId;
};
const queuePush = async (userId: string, text = "您的假單已通過") =>
	enqueue(
		db,
		{ channel: "line_push", recipient: userId, payload: { messages: [{ type: "text", text }] } },
		T0,
	);
const deliver = (now: number, ids?: number[]) =>
	deliverOutbox({ db, deliverers: lineDeliverers(db, createLineApi(env)), now }, ids ? { ids } : {});
const rowOf = async (id: number) => db.select().from(outbox).where(eq(outbox.id, id)).get();
async function cron(at: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(
		createScheduledController({ cron: CRONS.everyFiveMinutes, scheduledTime: at }),
		env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
}

describe("a large delivery", () => {
	it("sends 150 pushes to 150 trainees in one call (D1 binds at most 100 parameters)", async () => {
		const ids: number[] = [];
		for (let i = 0; i < 150; i++) ids.push(await queuePush(await newUser()));
		const counts = await deliverOutbox(
			{ db, deliverers: lineDeliverers(db, createLineApi(env)), now: T0 },
			{ ids, limit: 200 },
		);
		expect(counts.sent).toBe(150);
		expect(new Set(line.pushes().map((p) => p.to)).size).toBe(150);
	});
});

describe("retries", () => {
	it("retries 500, 429 and network failures with backoff, reusing one retry key, until sent", async () => {
		const id = await queuePush(await newUser());
		line.pushPlan.push(500, 429, "network-error", 200);

		await deliver(T0, [id]);
		let row = await rowOf(id);
		expect(row).toMatchObject({ status: "pending", attempts: 1 });
		expect(row?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 30_000);
		expect(row?.nextAttemptAt).toBeLessThanOrEqual(T0 + 90_000);
		expect(row?.lastError).toContain("500");

		// Not yet due: the cron leaves it alone.
		await cron(T0 + 10_000);
		expect(line.pushes()).toHaveLength(1);

		let at = T0;
		for (const attempts of [2, 3, 4]) {
			at = ((await rowOf(id))?.nextAttemptAt ?? 0) + 1;
			await cron(at);
			row = await rowOf(id);
			expect(row?.attempts).toBe(attempts);
		}
		expect(row).toMatchObject({ status: "sent", sentAt: at });
		const keys = new Set(line.pushes().map((p) => p.retryKey));
		expect(keys.size).toBe(1);
		expect(line.pushes()).toHaveLength(4);
	});

	it("records LINE's x-line-request-id of a failed push, for support cases with LINE", async () => {
		const id = await queuePush(await newUser());
		line.pushPlan.push(500);
		await deliver(T0, [id]);
		const row = await rowOf(id);
		expect(row?.status).toBe("pending");
		const [call] = line.calls.filter((c) => c.path === "/v2/bot/message/push");
		expect(call?.response?.status).toBe(500);
		expect(row?.lastRequestId).toMatch(/^req-\d+$/);
		expect(row?.lastRequestId).toBe(call?.response?.requestId);
		// Sent on the next try, so later tests' cron runs find nothing of this test pending.
		await deliver((row?.nextAttemptAt ?? 0) + 1, [id]);
		expect((await rowOf(id))?.status).toBe("sent");
	});

	it("treats a push LINE never answers as a timeout and retries it later with the same retry key", async () => {
		const userId = await newUser();
		const id = await queuePush(userId);
		line.pushPlan.push("never-answers", 200);
		const api = createLineApi(env, { timeoutMs: 50 });
		await deliverOutbox({ db, deliverers: lineDeliverers(db, api), now: T0 }, { ids: [id] });
		const row = await rowOf(id);
		expect(row).toMatchObject({ status: "pending", attempts: 1 });
		expect(row?.lastError).toContain("timeout");
		expect(row?.nextAttemptAt).toBeGreaterThan(T0);

		await cron((row?.nextAttemptAt ?? 0) + 1);
		expect(await rowOf(id)).toMatchObject({ status: "sent", attempts: 2 });
		// The cron also delivers what earlier tests of this file left pending: look at this user's pushes.
		const pushes = line.pushes().filter((p) => p.to === userId);
		expect(pushes).toHaveLength(2);
		expect(pushes[0]?.retryKey).toBe(row?.retryKey);
		expect(pushes[1]?.retryKey).toBe(row?.retryKey);
	});

	it("does not send twice when LINE accepted a push whose answer was lost (409 on retry)", async () => {
		const id = await queuePush(await newUser());
		line.pushPlan.push("accepted-then-lost", 200);
		await deliver(T0, [id]);
		expect((await rowOf(id))?.status).toBe("pending");
		await deliver(((await rowOf(id))?.nextAttemptAt ?? 0) + 1, [id]);
		expect((await rowOf(id))?.status).toBe("sent");
		expect(line.acceptedRetryKeys.size).toBe(1);
	});

	it("stops on a refusal (4xx) and records why; later runs leave it alone", async () => {
		const id = await queuePush(await newUser());
		line.pushPlan.push(400);
		await deliver(T0, [id]);
		const row = await rowOf(id);
		expect(row).toMatchObject({ status: "failed", attempts: 1 });
		expect(row?.lastError).toContain("400");
		await cron(T0 + 3_600_000);
		expect(line.pushes()).toHaveLength(1);
	});

	it("gives up after the maximum attempts and records it", async () => {
		const id = await queuePush(await newUser());
		line.pushPlan.push(...Array(MAX_DELIVERY_ATTEMPTS).fill(503));
		let at = T0;
		for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
			await deliver(at, [id]);
			at = ((await rowOf(id))?.nextAttemptAt ?? at) + 1;
		}
		expect(await rowOf(id)).toMatchObject({ status: "dead", attempts: MAX_DELIVERY_ATTEMPTS });
		await deliver(at + 86_400_000, [id]);
		expect(line.pushes()).toHaveLength(MAX_DELIVERY_ATTEMPTS);
	});

	it("grows the delay between tries (1, 2, 4 … minutes, capped at an hour) with jitter", () => {
		expect(backoffDelay(1, () => 0.5)).toBe(60_000);
		expect(backoffDelay(2, () => 0.5)).toBe(120_000);
		expect(backoffDelay(3, () => 0)).toBe(120_000);
		expect(backoffDelay(20, () => 0.5)).toBe(3_600_000);
		expect(backoffDelay(1, () => 0.999)).toBeLessThan(90_000);
	});
});

describe("recipients and concurrency", () => {
	it("never pushes to a user who blocked the account", async () => {
		const userId = await newUser();
		await db.update(lineUsers).set({ blockedAt: T0 }).where(eq(lineUsers.userId, userId));
		const id = await queuePush(userId);
		await deliver(T0, [id]);
		expect(line.pushes()).toHaveLength(0);
		expect(await rowOf(id)).toMatchObject({ status: "failed" });
		expect((await rowOf(id))?.lastError).toContain("USER_BLOCKED");
	});

	it("delivers a row once when two runs overlap", async () => {
		const id = await queuePush(await newUser());
		await Promise.all([deliver(T0, [id]), deliver(T0, [id]), deliver(T0)]);
		expect(line.pushes()).toHaveLength(1);
		expect((await rowOf(id))?.status).toBe("sent");
	});

	it("queues a logical message once however often it is queued", async () => {
		const userId = await newUser();
		const item = {
			channel: "line_push" as const,
			recipient: userId,
			payload: { messages: [] },
			dedupeKey: `leave:${userId}`,
		};
		const a = await enqueue(db, item, T0);
		const b = await enqueue(db, item, T0 + 1);
		expect(a).toBe(b);
	});
});
