// Fault: LINE's Messaging API has a bad quarter of an hour — 500s, then 429s, then calls that never
// answer (some of which LINE took before the connection died) — and then recovers; or it never
// recovers. The outbox must lose nothing, show nobody a message twice, reuse each message's
// X-Line-Retry-Key on every try, and record a give-up where the clerk sees it (今日).
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { selectInChunks } from "../../src/db/batch";
import { createDb } from "../../src/db/client";
import { emulatorLog, lineBindings, lineUsers, outbox, people } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { createLineApi } from "../../src/line/line-api";
import { emailOutboxDeliverer } from "../../src/services/code-senders";
import { lineDeliverers } from "../../src/services/line-delivery";
import { deliverOutbox, enqueue, MAX_DELIVERY_ATTEMPTS } from "../../src/services/outbox";
import { signedIn } from "./admin-helpers";
import { type FakeLine, installFakeLine } from "./fake-line";

const db = createDb(env.DB);
let line: FakeLine;
beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	line = installFakeLine();
});
afterEach(() => line.restore());

const PUSH = /^\/v2\/bot\/message\/push$/;
async function cron(at: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(
		createScheduledController({ cron: CRONS.everyFiveMinutes, scheduledTime: at }),
		env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
}
const rowsOf = (ids: number[]) =>
	selectInChunks(ids, (chunk) =>
		db.select().from(outbox).where(inArray(outbox.id, chunk)).orderBy(outbox.id),
	);
/** Just after the latest retry of these rows is due. */
const nextDue = async (ids: number[]) => Math.max(...(await rowsOf(ids)).map((r) => r.nextAttemptAt)) + 1;

describe("LINE failing for a while, then back", () => {
	it("delivers every message once, each try with the message's own retry key", async () => {
		const T0 = Date.parse("2026-12-04T00:30:00Z"); // 08:30 Taipei: the morning's leave results
		const users: string[] = [];
		const ids: number[] = [];
		for (let i = 0; i < 10; i++) {
			const userId = `U${crypto.randomUUID().replace(/-/g, "")}`;
			await db.insert(lineUsers).values({ userId, createdAt: T0, updatedAt: T0 });
			users.push(userId);
			const payload = { messages: [{ type: "text", text: `您的假單已通過（${i}）` }] };
			ids.push(await enqueue(db, { channel: "line_push", recipient: userId, payload }, T0));
		}

		// 1st try: LINE answers 500 to every push.
		line.failing.push({ path: PUSH, status: 500 });
		await cron(T0);
		expect((await rowsOf(ids)).map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["pending", 1]));
		expect((await rowsOf(ids)).every((r) => r.lastError?.includes("HTTP 500"))).toBe(true);

		// 2nd try: rate limited, without a Retry-After: every push is still tried (only the header pauses LINE).
		(line.failing[0] as { status: number }).status = 429;
		await cron(await nextDue(ids));
		expect((await rowsOf(ids)).every((r) => r.attempts === 2 && r.lastError?.includes("HTTP 429"))).toBe(
			true,
		);

		// 3rd try: calls hang. LINE took half of them before the connection died; the rest never arrive.
		line.failing.length = 0;
		line.pushPlan.push(...Array(5).fill("accepted-then-lost"), ...Array(5).fill("never-answers"));
		const hanging = createLineApi(env, { timeoutMs: 50 });
		await deliverOutbox({ db, deliverers: lineDeliverers(db, hanging), now: await nextDue(ids) });
		const third = await rowsOf(ids);
		expect(third.every((r) => r.status === "pending" && r.attempts === 3)).toBe(true);
		expect(third.filter((r) => r.lastError?.includes("timeout"))).toHaveLength(5);

		// Back: every message is sent — those LINE already took are confirmed by its 409, not sent again.
		await cron(await nextDue(ids));
		const done = await rowsOf(ids);
		expect(done.map((r) => [r.status, r.attempts, r.lastError])).toEqual(ids.map(() => ["sent", 4, null]));

		const pushes = line.pushes().filter((p) => users.includes(p.to));
		for (const row of done) {
			const tries = pushes.filter((p) => p.to === row.recipient);
			expect(tries).toHaveLength(4);
			expect(new Set(tries.map((p) => p.retryKey))).toEqual(new Set([row.retryKey]));
			expect(line.acceptedRetryKeys.has(row.retryKey)).toBe(true);
		}
		// LINE shows a message once per retry key: one 200 for those it never had, none for the others.
		const okAnswers = line.calls.filter(
			(c) => c.path === "/v2/bot/message/push" && c.response?.status === 200,
		);
		const okKeys = okAnswers.map((c) => c.headers.get("x-line-retry-key"));
		expect(new Set(okKeys).size).toBe(okKeys.length);
		expect(okKeys.filter((k) => done.some((r) => r.retryKey === k))).toHaveLength(5);

		// Later runs leave sent messages alone.
		await cron((await nextDue(ids)) + 3_600_000);
		expect(line.pushes().filter((p) => users.includes(p.to))).toHaveLength(40);
	});
});

describe("LINE failing for good", () => {
	it("gives up after the maximum tries, records why, and 今日 lists the trainee to call", async () => {
		const trainee = DEMO_LINE_USERS.trainee;
		const person = await db
			.select({ name: people.name })
			.from(lineBindings)
			.innerJoin(people, eq(people.id, lineBindings.personId))
			.where(eq(lineBindings.lineUserId, trainee))
			.get();
		expect(person?.name).toBeTruthy();
		const clerk = await signedIn("north.admin@unit.example");
		const undeliveredTile = async () => {
			const html = await (await clerk.get("/admin")).text();
			return { html, count: Number(/<strong>(\d+)<\/strong> 則 LINE 通知未送達/.exec(html)?.[1]) };
		};
		const before = await undeliveredTile();

		const now = Date.now();
		const id = await enqueue(
			db,
			{
				channel: "line_push",
				recipient: trainee,
				payload: { messages: [{ type: "text", text: "假單已通過" }] },
			},
			now,
		);
		line.failing.push({ path: PUSH, status: 503 });
		let at = now;
		for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) {
			// Half of the outage LINE answers 503, then it throttles.
			if (i === MAX_DELIVERY_ATTEMPTS / 2 + 1) (line.failing[0] as { status: number }).status = 429;
			await cron(at);
			const row = (await rowsOf([id]))[0];
			expect(row?.attempts).toBe(i);
			at = (row?.nextAttemptAt ?? at) + 1;
		}
		const [dead] = await rowsOf([id]);
		expect(dead).toMatchObject({ status: "dead", attempts: MAX_DELIVERY_ATTEMPTS });
		expect(dead?.lastError).toContain("HTTP 429");
		expect(dead?.lastRequestId).toMatch(/^req-\d+$/);
		const tries = line.pushes().filter((p) => p.retryKey === dead?.retryKey);
		expect(tries).toHaveLength(MAX_DELIVERY_ATTEMPTS);

		// LINE is back the next day: a dead message is not sent any more (the clerk calls instead).
		line.failing.length = 0;
		await cron(at + 86_400_000);
		expect(line.pushes().filter((p) => p.retryKey === dead?.retryKey)).toHaveLength(MAX_DELIVERY_ATTEMPTS);

		const after = await undeliveredTile();
		expect(after.count).toBe(before.count + 1);
		const list = after.html.slice(after.html.indexOf("LINE 通知未送達（請改以電話聯絡）"));
		expect(list).toContain(person?.name);
	});
});

describe("LINE asking us to wait (Retry-After)", () => {
	const T0 = Date.parse("2026-12-04T00:30:00Z");
	async function onePush(at = T0) {
		const userId = `U${crypto.randomUUID().replace(/-/g, "")}`;
		await db.insert(lineUsers).values({ userId, createdAt: at, updatedAt: at });
		const payload = { messages: [{ type: "text", text: "您的假單已通過" }] };
		return enqueue(db, { channel: "line_push", recipient: userId, payload }, at);
	}
	const triesOf = (retryKey: string) => line.pushes().filter((p) => p.retryKey === retryKey);
	/** The run right after queuing: LINE as faked, e-mail into the emulator's inbox. */
	const deliverNow = (now: number, ids: number[], limit?: number) =>
		deliverOutbox(
			{
				db,
				now,
				deliverers: { ...lineDeliverers(db, createLineApi(env)), email: emailOutboxDeliverer(env, db, true) },
			},
			{ ids, limit },
		);
	const pushCalls = () => line.calls.filter((c) => PUSH.test(c.path)).length;

	it("after a 429 with Retry-After, calls LINE no more that run: the other pushes wait without a try, e-mail still goes", async () => {
		const T1 = Date.parse("2026-12-07T00:30:00Z"); // a Monday, 08:30 Taipei
		const pushes = [await onePush(T1), await onePush(T1)];
		const subject = `假單到期提醒 ${crypto.randomUUID()}`;
		const mail = await enqueue(
			db,
			{ channel: "email", recipient: "north.admin@unit.example", payload: { subject, text: "請審核" } },
			T1,
		);
		pushes.push(await onePush(T1), await onePush(T1), await onePush(T1));
		const keys = (await rowsOf(pushes)).map((r) => r.retryKey);

		line.failing.push({ path: PUSH, status: 429, headers: { "retry-after": "120" } });
		const counts = await deliverNow(T1, [...pushes, mail]);
		expect(pushCalls()).toBe(1);
		expect(counts).toMatchObject({ sent: 1, retrying: 1, deferred: 4 });
		const waiting = await rowsOf(pushes);
		expect(waiting.map((r) => [r.status, r.attempts])).toEqual([
			["pending", 1],
			...Array(4).fill(["pending", 0]),
		]);
		expect(waiting.every((r) => r.nextAttemptAt >= T1 + 120_000)).toBe(true);
		expect(waiting.map((r) => r.retryKey)).toEqual(keys);
		expect(waiting.slice(1).every((r) => r.lastError === null)).toBe(true);
		expect((await rowsOf([mail]))[0]).toMatchObject({ status: "sent", attempts: 1 });
		const inbox = await db.select().from(emulatorLog).where(eq(emulatorLog.kind, "email"));
		expect(inbox.filter((m) => m.body.includes(subject))).toHaveLength(1);

		// LINE is fine again, and the claim's lease is long over, but the 120 s are not: nothing is sent.
		line.failing.length = 0;
		await deliverNow(T1 + 119_000, pushes);
		expect(pushCalls()).toBe(1);

		await deliverNow(await nextDue(pushes), pushes);
		const sent = await rowsOf(pushes);
		expect(sent.map((r) => [r.status, r.attempts])).toEqual([["sent", 2], ...Array(4).fill(["sent", 1])]);
		expect(pushCalls()).toBe(6);
		// Each sent once now, with the retry key it had from the start.
		expect(keys.map((k) => triesOf(k).length)).toEqual([2, 1, 1, 1, 1]);
		for (const k of keys) expect(new Set(triesOf(k).map((p) => p.retryKey))).toEqual(new Set([k]));
		expect(line.acceptedRetryKeys).toEqual(new Set(keys));
	});

	it("pauses a bulk approval's pushes in one run, beyond D1's 100 bound parameters", async () => {
		const T2 = Date.parse("2026-12-08T00:30:00Z");
		const ids: number[] = [];
		for (let i = 0; i < 120; i++) ids.push(await onePush(T2));
		line.failing.push({ path: PUSH, status: 503, headers: { "retry-after": "300" } });
		const counts = await deliverNow(T2, ids, 200);
		expect(pushCalls()).toBe(1);
		expect(counts).toMatchObject({ retrying: 1, deferred: 119 });
		const rows = await rowsOf(ids);
		expect(rows.filter((r) => r.status === "pending" && r.attempts === 0)).toHaveLength(119);
		expect(rows.every((r) => r.nextAttemptAt === T2 + 300_000)).toBe(true);
	});

	it("waits the 120 s a 429 asks for, then sends once with the same retry key", async () => {
		const id = await onePush();
		line.failing.push({ path: PUSH, status: 429, headers: { "retry-after": "120" } });
		await cron(T0);
		const [waiting] = await rowsOf([id]);
		expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
		// Our own first backoff is 30–90 s: only LINE's header makes it two minutes.
		expect(waiting?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 120_000);
		const retryKey = waiting?.retryKey as string;
		expect(triesOf(retryKey)).toHaveLength(1);

		// LINE is fine again, but we were told to wait: a run before then sends nothing.
		line.failing.length = 0;
		await cron(T0 + 119_000);
		expect(triesOf(retryKey)).toHaveLength(1);
		expect((await rowsOf([id]))[0]).toMatchObject({ status: "pending", attempts: 1 });

		await cron(waiting?.nextAttemptAt as number);
		expect((await rowsOf([id]))[0]).toMatchObject({ status: "sent", attempts: 2, lastError: null });
		expect(triesOf(retryKey).map((p) => p.retryKey)).toEqual([retryKey, retryKey]);
		const okAnswers = line.calls.filter(
			(c) => c.headers.get("x-line-retry-key") === retryKey && c.response?.status === 200,
		);
		expect(okAnswers).toHaveLength(1);
	});

	it("reads an HTTP-date Retry-After of a 503 against LINE's Date header", async () => {
		const id = await onePush();
		line.failing.push({
			path: PUSH,
			status: 503,
			headers: { date: "Fri, 04 Dec 2026 00:30:00 GMT", "retry-after": "Fri, 04 Dec 2026 00:35:00 GMT" },
		});
		await cron(T0);
		expect((await rowsOf([id]))[0]?.nextAttemptAt).toBe(T0 + 300_000);
	});

	it("waits at most an hour however long LINE asks for, and ignores a header it cannot read", async () => {
		const huge = await onePush();
		line.failing.push({ path: PUSH, status: 429, headers: { "retry-after": "864000" } });
		await cron(T0);
		expect((await rowsOf([huge]))[0]?.nextAttemptAt).toBe(T0 + 3_600_000);

		line.failing.length = 0;
		const garbled = await onePush();
		line.failing.push({ path: PUSH, status: 429, headers: { "retry-after": "soon" } });
		await cron(T0);
		const [row] = await rowsOf([garbled]);
		expect(row).toMatchObject({ status: "pending", attempts: 1 });
		// Our own backoff then: 1 minute ± 50 %.
		expect(row?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + 30_000);
		expect(row?.nextAttemptAt).toBeLessThanOrEqual(T0 + 90_000);
	});
});
