// An event whose handling fails is kept with its error and retried by the 5-minute cron a bounded
// number of times — never silently dropped. The failure is real: a table is briefly missing in D1.
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { webhookEvents } from "../../src/db/schema";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { MAX_EVENT_ATTEMPTS } from "../../src/services/webhook-inbox";
import { type FakeLine, installFakeLine } from "./fake-line";
import { lineEvent, sendEvents } from "./webhook-helpers";

const db = createDb(env.DB);
let line: FakeLine;
beforeEach(() => {
	line = installFakeLine();
});
afterEach(() => line.restore());

const rowOf = async (id: string) =>
	db.select().from(webhookEvents).where(eq(webhookEvents.webhookEventId, id)).get();
const breakDatabase = () => env.DB.exec("ALTER TABLE line_users RENAME TO line_users_away");
const repairDatabase = () => env.DB.exec("ALTER TABLE line_users_away RENAME TO line_users");
async function cron(at: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(
		createScheduledController({ cron: CRONS.everyFiveMinutes, scheduledTime: at }),
		env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
}

describe("failed handling", () => {
	it("is kept with its error, then retried by the cron and answered by push", async () => {
		const user = `U${crypto.randomUUID().replace(/-/g, "")}`;
		const event = lineEvent.postback(user, "a=identity");
		await breakDatabase();
		try {
			const res = await sendEvents(event);
			expect(res.status).toBe(200);
		} finally {
			await repairDatabase();
		}
		const failed = await rowOf(event.webhookEventId);
		expect(failed).toMatchObject({ status: "failed", attempts: 1 });
		expect(failed?.lastError).toContain("line_users");
		expect(line.calls).toHaveLength(0);

		await cron((failed?.nextAttemptAt ?? 0) + 1);
		expect(await rowOf(event.webhookEventId)).toMatchObject({ status: "done" });
		// The reply token is stale by now: the answer goes by push, once.
		expect(line.replies()).toHaveLength(0);
		expect(line.pushes()).toHaveLength(1);
		await cron((failed?.nextAttemptAt ?? 0) + 600_000);
		expect(line.pushes()).toHaveLength(1);
	});

	it("is marked dead after the maximum attempts, with its last error", async () => {
		const event = lineEvent.postback(`U${crypto.randomUUID().replace(/-/g, "")}`, "a=identity");
		await breakDatabase();
		try {
			await sendEvents(event);
			let at = Date.now();
			for (let i = 1; i < MAX_EVENT_ATTEMPTS; i++) {
				at = ((await rowOf(event.webhookEventId))?.nextAttemptAt ?? at) + 1;
				await cron(at);
			}
		} finally {
			await repairDatabase();
		}
		const dead = await rowOf(event.webhookEventId);
		expect(dead).toMatchObject({ status: "dead", attempts: MAX_EVENT_ATTEMPTS });
		expect(dead?.lastError).toBeTruthy();
		await cron(Date.now() + 86_400_000);
		expect((await rowOf(event.webhookEventId))?.status).toBe("dead");
		expect(line.calls).toHaveLength(0);
	});
});
