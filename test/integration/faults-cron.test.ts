// Fault: Cloudflare fires a cron twice, and the two runs overlap (same scheduled time, started
// together). Whatever the job, the outcome must equal one run: one status change, one audit entry,
// one notice per person, one push per message, one handling per webhook event, and no failed job.
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import * as t from "../../src/db/schema";
import { expiresAt } from "../../src/domain/leave-policy";
import { taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { STUCK_AFTER_MS } from "../../src/services/webhook-inbox";
import { type FakeLine, installFakeLine } from "./fake-line";
import { enrollNewTrainee, insertFixtureSession, uniqueSuffix } from "./fixtures";
import { lineEvent } from "./webhook-helpers";

const db = createDb(env.DB);
let line: FakeLine;
let errors: string[];
beforeEach(() => {
	line = installFakeLine();
	line.provisionMenus();
	errors = [];
	vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
		errors.push(args.map(String).join(" "));
	});
});
afterEach(() => vi.restoreAllMocks());

async function runCron(cron: string, scheduledTime: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron, scheduledTime }), env, ctx);
	await waitOnExecutionContext(ctx);
}
/** The same trigger delivered twice at once. */
const twiceAtOnce = (cron: string, at: number) => Promise.all([runCron(cron, at), runCron(cron, at)]);
const failedJobs = () => errors.filter((e) => e.includes("job_failed"));

const boundLineUser = async (personId: number) => {
	const userId = `U${crypto.randomUUID().replace(/-/g, "")}`;
	await db.insert(t.lineUsers).values({ userId, createdAt: 1, updatedAt: 1 });
	await db.insert(t.lineBindings).values({ lineUserId: userId, role: "trainee", personId, boundAt: 1 });
	return userId;
};

/** A unit with a contact address, and `count` pending requests of bound trainees over one session. */
async function pendingRequests(count: number, options = { bound: true, unitEmail: true }) {
	const f = await insertFixtureSession(db, "2026-11-20");
	if (options.unitEmail)
		await db
			.update(t.units)
			.set({ contactEmail: `unit-${uniqueSuffix()}@unit.example` })
			.where(eq(t.units.id, f.unitId));
	const ids: number[] = [];
	const users: string[] = [];
	for (let i = 0; i < count; i++) {
		const personId = i === 0 ? f.personId : (await enrollNewTrainee(db, f.classId, `逾期${i}`)).id;
		if (options.bound) users.push(await boundLineUser(personId));
		const request = await db
			.insert(t.leaveRequests)
			.values({
				personId,
				classId: f.classId,
				unitId: f.unitId,
				leaveTypeCode: "personal",
				status: "pending",
				firstDate: f.date,
				lastDate: f.date,
				hours: 3,
				idempotencyKey: uniqueSuffix(),
				submittedAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		await db
			.insert(t.leaveRequestSessions)
			.values({ leaveRequestId: request.id, sessionId: f.sessionId, personId, active: 1 });
		ids.push(request.id);
	}
	return { ...f, ids, users };
}

describe("leave expiry (00:00 Taipei) fired twice at once", () => {
	it("expires each request once: one audit entry, one LINE notice, one unit e-mail, no failed job", async () => {
		const r = await pendingRequests(6);
		const runAt = expiresAt(r.date, { reviewWindowDays: 14 });
		expect(new Date(runAt).toISOString()).toMatch(/T16:00:00\.000Z$/);

		await twiceAtOnce(CRONS.taipeiMidnight, runAt);

		const requests = await db.select().from(t.leaveRequests).where(inArray(t.leaveRequests.id, r.ids));
		expect(requests.map((q) => [q.status, q.expiredAt])).toEqual(r.ids.map(() => ["expired", runAt]));
		const covered = await db
			.select()
			.from(t.leaveRequestSessions)
			.where(inArray(t.leaveRequestSessions.leaveRequestId, r.ids));
		expect(covered.every((c) => c.active === null)).toBe(true);
		const audits = await db
			.select()
			.from(t.auditLog)
			.where(
				and(
					eq(t.auditLog.action, "leave.expired"),
					inArray(
						t.auditLog.entityId,
						r.ids.map((id) => String(id)),
					),
				),
			);
		expect(audits.map((a) => a.entityId).sort()).toEqual(r.ids.map(String).sort());
		const notices = await db.select().from(t.outbox).where(inArray(t.outbox.recipient, r.users));
		expect(notices.map((n) => n.recipient).sort()).toEqual([...r.users].sort());
		const mails = await db
			.select()
			.from(t.outbox)
			.where(
				inArray(
					t.outbox.dedupeKey,
					r.ids.map((id) => `leave-unit:${id}:expired`),
				),
			);
		expect(mails).toHaveLength(r.ids.length);
		expect(failedJobs()).toEqual([]);
	});

	it("audits a request nobody is told about (unbound trainee, unit without e-mail) once", async () => {
		const r = await pendingRequests(3, { bound: false, unitEmail: false });
		const runAt = expiresAt(r.date, { reviewWindowDays: 14 });

		await twiceAtOnce(CRONS.taipeiMidnight, runAt);

		const audits = await db
			.select()
			.from(t.auditLog)
			.where(
				inArray(
					t.auditLog.entityId,
					r.ids.map((id) => String(id)),
				),
			);
		expect(audits.map((a) => [a.action, a.entityId]).sort()).toEqual(
			r.ids.map((id) => ["leave.expired", String(id)]).sort(),
		);
		expect(failedJobs()).toEqual([]);
	});
});

describe("session close-out (every 15 minutes) fired twice at once", () => {
	it("closes each ended session once with one final status per trainee", async () => {
		const f = await insertFixtureSession(db, "2026-12-03");
		const trainees = [f.personId];
		for (let i = 0; i < 9; i++) trainees.push((await enrollNewTrainee(db, f.classId, `結算${i}`)).id);
		const startsAt = taipeiInstant("2026-12-03", "09:00");
		// Three came on time and stayed; one came and left early without checking out.
		await db.insert(t.attendance).values([
			...trainees.slice(0, 3).map((personId) => ({
				sessionId: f.sessionId,
				personId,
				role: "trainee" as const,
				checkInAt: startsAt - 60_000,
				checkOutAt: startsAt + 3 * 3_600_000,
				status: "pending" as const,
				updatedAt: 1,
			})),
			{
				sessionId: f.sessionId,
				personId: trainees[3] as number,
				role: "trainee" as const,
				checkInAt: startsAt,
				status: "pending" as const,
				updatedAt: 1,
			},
		]);
		const runAt = taipeiInstant("2026-12-03", "18:00");

		await twiceAtOnce(CRONS.everyQuarterHour, runAt);

		const rows = await db.select().from(t.attendance).where(eq(t.attendance.sessionId, f.sessionId));
		expect(rows).toHaveLength(trainees.length);
		const statusOf = new Map(rows.map((row) => [row.personId, row.status]));
		expect(trainees.map((p) => statusOf.get(p))).toEqual([
			"present",
			"present",
			"present",
			"no_check_out",
			...Array(6).fill("absent"),
		]);
		const session = await db.select().from(t.sessions).where(eq(t.sessions.id, f.sessionId)).get();
		expect(session?.closedAt).toBe(runAt);
		expect(failedJobs()).toEqual([]);
	});
});

describe("the 5-minute cron fired twice at once", () => {
	it("pushes each queued message once, with its retry key", async () => {
		const at = Date.parse("2026-12-04T01:00:00Z");
		const users: string[] = [];
		const ids: number[] = [];
		for (let i = 0; i < 12; i++) {
			const userId = `U${crypto.randomUUID().replace(/-/g, "")}`;
			await db.insert(t.lineUsers).values({ userId, createdAt: 1, updatedAt: 1 });
			users.push(userId);
			const row = await db
				.insert(t.outbox)
				.values({
					channel: "line_push",
					recipient: userId,
					payload: JSON.stringify({ messages: [{ type: "text", text: `通知${i}` }] }),
					retryKey: crypto.randomUUID(),
					nextAttemptAt: at - 1,
					createdAt: at - 1,
				})
				.returning()
				.get();
			ids.push(row.id);
		}

		await twiceAtOnce(CRONS.everyFiveMinutes, at);

		const pushes = line.pushes().filter((p) => users.includes(p.to));
		expect(pushes.map((p) => p.to).sort()).toEqual([...users].sort());
		const rows = await db.select().from(t.outbox).where(inArray(t.outbox.id, ids));
		expect(rows.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
		expect(new Set(pushes.map((p) => p.retryKey))).toEqual(new Set(rows.map((row) => row.retryKey)));
		expect(failedJobs()).toEqual([]);
	});

	it("retries a webhook event cut off mid-handling once, answering it once", async () => {
		const at = Date.parse("2026-12-04T01:10:00Z");
		const user = `U${crypto.randomUUID().replace(/-/g, "")}`;
		// The isolate died after the event was stored: it is still "received" long after.
		const event = lineEvent.postback(user, "a=faq", { timestamp: at - STUCK_AFTER_MS - 60_000 });
		await db.insert(t.webhookEvents).values({
			webhookEventId: event.webhookEventId,
			type: event.type,
			lineUserId: user,
			payload: JSON.stringify(event),
			receivedAt: at - STUCK_AFTER_MS - 60_000,
		});

		await twiceAtOnce(CRONS.everyFiveMinutes, at);

		const row = await db
			.select()
			.from(t.webhookEvents)
			.where(eq(t.webhookEvents.webhookEventId, event.webhookEventId))
			.get();
		expect(row?.status).toBe("done");
		// Its reply token is stale by now: one answer, by push.
		const answers = [...line.replies(), ...line.pushes().filter((p) => p.to === user)];
		expect(answers).toHaveLength(1);
		expect(failedJobs()).toEqual([]);
	});
});

describe("the weekday-morning digest fired twice at once", () => {
	it("queues one e-mail per unit for the day", async () => {
		const r = await pendingRequests(2);
		// 08:00 Taipei, the day before the requests expire (a weekday: Thursday 2026-12-03).
		const at = expiresAt(r.date, { reviewWindowDays: 14 }) - 86_400_000 + 8 * 3_600_000;
		expect(taipeiDate(at)).toBe("2026-12-04");

		await twiceAtOnce(CRONS.taipeiWeekdayMorning, at);

		const digests = await db
			.select()
			.from(t.outbox)
			.where(eq(t.outbox.dedupeKey, `digest:${r.unitId}:${taipeiDate(at)}`));
		expect(digests).toHaveLength(1);
		expect(digests[0]?.payload).toContain("2 張待審核假單");
		expect(failedJobs()).toEqual([]);
	});
});

describe("the Taipei-midnight purge fired twice at once", () => {
	it("deletes what expired and keeps the rest, without a failed job", async () => {
		const runAt = taipeiInstant("2026-12-05", "00:00");
		const jti = (k: string) => `${k}-${uniqueSuffix()}`;
		const old = [jti("old"), jti("old")];
		const fresh = jti("new");
		await db.insert(t.consumedTokens).values([
			...old.map((id) => ({
				jti: id,
				purpose: "personal_qr:check_in",
				consumedAt: 1,
				expiresAt: runAt - 1,
			})),
			{ jti: fresh, purpose: "personal_qr:check_in", consumedAt: 1, expiresAt: runAt + 60_000 },
		]);

		await twiceAtOnce(CRONS.taipeiMidnight, runAt);

		const left = await db
			.select({ jti: t.consumedTokens.jti })
			.from(t.consumedTokens)
			.where(inArray(t.consumedTokens.jti, [...old, fresh]));
		expect(left.map((l) => l.jti)).toEqual([fresh]);
		expect(failedJobs()).toEqual([]);
	});
});
