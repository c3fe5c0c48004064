// Cron dispatch through the Worker's scheduled() handler, with controlled times.
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as t from "../../src/db/schema";
import { taipeiInstant } from "../../src/domain/taipei-time";
import worker from "../../src/index";
import { LINK_RETENTION_MS, WEBHOOK_RETENTION_MS } from "../../src/jobs/purge-expired";
import { CRONS } from "../../src/jobs/schedule";
import { uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);

async function runCron(cron: string, scheduledTime: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron, scheduledTime }), env, ctx);
	await waitOnExecutionContext(ctx);
}

async function insertLink(expiresAt: number) {
	const userId = `U${uniqueSuffix().padStart(32, "0")}`;
	const id = `req-${uniqueSuffix()}`;
	await db.insert(t.lineUsers).values({ userId, createdAt: 1, updatedAt: 1 }).onConflictDoNothing();
	await db
		.insert(t.bindingRequests)
		.values({ id, lineUserId: userId, role: "trainee", expiresAt, createdAt: expiresAt - 600_000 });
	await db.insert(t.otpChallenges).values({
		id: `otp-${id}`,
		bindingRequestId: id,
		channel: "email",
		destinationHmac: "h",
		destinationMasked: "a***@example.com",
		codeHash: "x",
		expiresAt,
		createdAt: expiresAt - 600_000,
	});
	return id;
}

const exists = async (id: string) =>
	(await db.select().from(t.bindingRequests).where(eq(t.bindingRequests.id, id)).get()) !== undefined;

describe("the Taipei-midnight cron (16:00 UTC)", () => {
	it("fires at 00:00 Taipei, which is 16:00 UTC of the previous day", () => {
		expect(CRONS.taipeiMidnight).toBe("0 16 * * *");
		expect(new Date(taipeiInstant("2026-12-04", "00:00")).toISOString()).toBe("2026-12-03T16:00:00.000Z");
	});

	it("purges links and codes expired over a day ago, keeps fresh ones, and is idempotent", async () => {
		const runAt = taipeiInstant("2026-12-04", "00:00");
		const stale = await insertLink(runAt - LINK_RETENTION_MS - 1);
		const recent = await insertLink(runAt - LINK_RETENTION_MS + 60_000);
		const live = await insertLink(runAt + 600_000);
		await db.insert(t.consumedTokens).values([
			{ jti: `old-${uniqueSuffix()}`, purpose: "personal_qr:check_in", consumedAt: 1, expiresAt: runAt - 1 },
			{
				jti: `new-${uniqueSuffix()}`,
				purpose: "personal_qr:check_in",
				consumedAt: 1,
				expiresAt: runAt + 60_000,
			},
		]);

		await runCron(CRONS.taipeiMidnight, runAt);
		expect(await exists(stale)).toBe(false);
		expect(await exists(recent)).toBe(true);
		expect(await exists(live)).toBe(true);
		const codes = await db.select().from(t.otpChallenges);
		expect(codes.map((c) => c.bindingRequestId).sort()).toEqual([live, recent].sort());
		const tokens = await db.select().from(t.consumedTokens);
		expect(tokens.every((x) => x.expiresAt >= runAt)).toBe(true);
		expect(tokens).toHaveLength(1);

		await runCron(CRONS.taipeiMidnight, runAt);
		expect(await exists(recent)).toBe(true);
		expect(await db.select().from(t.otpChallenges)).toHaveLength(2);
	});

	it("purges staff password links a day after they expire and deliveries finished 30 days ago", async () => {
		const runAt = taipeiInstant("2026-12-04", "00:00");
		const member = await db
			.insert(t.staff)
			.values({
				email: `purge-${uniqueSuffix()}@agency.example`,
				name: "清理",
				role: "agency_admin",
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		const link = (hash: string, expiresAt: number) => ({
			tokenHash: hash,
			staffId: member.id,
			expiresAt,
			createdAt: 1,
		});
		const oldLink = `old-${uniqueSuffix()}`;
		const freshLink = `fresh-${uniqueSuffix()}`;
		await db
			.insert(t.staffPasswordTokens)
			.values([link(oldLink, runAt - LINK_RETENTION_MS - 1), link(freshLink, runAt - 1)]);
		const delivery = (status: "sent" | "failed" | "dead" | "pending", at: number) => ({
			channel: "email" as const,
			recipient: "a@example.com",
			payload: "{}",
			retryKey: crypto.randomUUID(),
			status,
			nextAttemptAt: at,
			createdAt: at,
		});
		const monthAgo = runAt - WEBHOOK_RETENTION_MS - 1;
		const rows = await db
			.insert(t.outbox)
			.values([
				delivery("sent", monthAgo),
				delivery("dead", monthAgo),
				delivery("sent", runAt - 60_000),
				delivery("pending", monthAgo),
				delivery("failed", monthAgo),
			])
			.returning({ id: t.outbox.id });
		const ids = rows.map((r) => r.id);

		await runCron(CRONS.taipeiMidnight, runAt);
		const links = await db
			.select()
			.from(t.staffPasswordTokens)
			.where(eq(t.staffPasswordTokens.staffId, member.id));
		expect(links.map((l) => l.tokenHash)).toEqual([freshLink]);
		const left = (await db.select({ id: t.outbox.id }).from(t.outbox).where(inArray(t.outbox.id, ids))).map(
			(r) => r.id,
		);
		// A recent delivery and one still to be tried stay.
		expect(left).toEqual([ids[2], ids[3]]);
	});

	it("ignores a cron it does not know", async () => {
		const id = await insertLink(1);
		await runCron("7 7 * * *", Date.now());
		expect(await exists(id)).toBe(true);
	});
});
