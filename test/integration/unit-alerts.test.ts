// 今日's attention lists: today's absentees, trainees near or over the plan's leave-hour limit in
// a running class, and trainees a LINE message could not reach — each for the unit's own people.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { USER_BLOCKED_ERROR } from "../../src/domain/undelivered-reason";
import { recordUnfollow } from "../../src/services/line-users";
import { deliverOutbox, enqueue } from "../../src/services/outbox";
import { unitAlerts } from "../../src/services/unit-alerts";
import { signedIn } from "./admin-helpers";
import { enrollNewTrainee, insertFixtureSession, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);

const trainee = async (classId: number, name: string) => (await enrollNewTrainee(db, classId, name)).id;

async function approvedLeave(f: { unitId: number; classId: number }, personId: number, hours: number) {
	await db.insert(schema.leaveRequests).values({
		personId,
		classId: f.classId,
		unitId: f.unitId,
		leaveTypeCode: "sick",
		status: "approved",
		firstDate: "2026-11-20",
		lastDate: "2026-11-20",
		hours,
		idempotencyKey: uniqueSuffix(),
		submittedAt: 1,
		updatedAt: 1,
	});
}

async function boundLineUser(personId: number) {
	const userId = `U${uniqueSuffix()}`;
	await db.insert(schema.lineUsers).values({ userId, createdAt: 1, updatedAt: 1 });
	await db.insert(schema.lineBindings).values({ lineUserId: userId, role: "trainee", personId, boundAt: 1 });
	return userId;
}

/** A push given up on: after the maximum tries (dead), or at once (failed, e.g. the user blocked us). */
async function givenUpPush(
	personId: number,
	createdAt: number,
	give: { status: "dead" | "failed"; lastError?: string; at?: number } = { status: "dead" },
) {
	await db.insert(schema.outbox).values({
		channel: "line_push",
		recipient: await boundLineUser(personId),
		payload: "{}",
		retryKey: crypto.randomUUID(),
		status: give.status,
		lastError: give.lastError ?? null,
		nextAttemptAt: give.at ?? createdAt,
		createdAt,
	});
}
const deadPush = (personId: number, createdAt: number) => givenUpPush(personId, createdAt);
const DAY = 24 * 60 * 60 * 1000;

describe("今日's alerts", () => {
	it("lists the unit's absentees, leave-hour warnings and undelivered pushes, nobody else's", async () => {
		const now = taipeiInstant("2026-12-03", "15:00");
		const f = await insertFixtureSession(db, "2026-12-03");
		const other = await insertFixtureSession(db, "2026-12-03");
		// 100 hours at the default 10 %: the limit is 10 hours, "near" from 8.
		for (const k of [f, other])
			await db.update(schema.classes).set({ totalHours: 100 }).where(eq(schema.classes.id, k.classId));
		const near = await trainee(f.classId, "林接近");
		const over = await trainee(f.classId, "陳超過");
		const fine = await trainee(f.classId, "王正常");
		await approvedLeave(f, near, 8);
		await approvedLeave(f, over, 6);
		await approvedLeave(f, over, 6);
		await approvedLeave(f, fine, 7.5);
		await approvedLeave(other, other.personId, 12);
		await db.insert(schema.attendance).values([
			{ sessionId: f.sessionId, personId: f.personId, role: "trainee", status: "absent", updatedAt: 1 },
			{ sessionId: f.sessionId, personId: near, role: "trainee", status: "present", updatedAt: 1 },
			{
				sessionId: other.sessionId,
				personId: other.personId,
				role: "trainee",
				status: "absent",
				updatedAt: 1,
			},
		]);
		await deadPush(fine, now - 60_000);
		await deadPush(other.personId, now - 60_000);
		// A week and a day ago: history, not today's work.
		await deadPush(near, now - 8 * 24 * 60 * 60 * 1000);

		const alerts = await unitAlerts(db, f.unitId, taipeiDate(now), [f.sessionId], now);

		expect(alerts.absent.items.map((a) => [a.name, a.sessionId])).toEqual([["測試學員", f.sessionId]]);
		expect(alerts.leaveHours.items.map((a) => [a.name, a.approvedHours, a.threshold, a.level])).toEqual([
			["陳超過", 12, 10, "over"],
			["林接近", 8, 10, "near"],
		]);
		expect(alerts.undelivered.items.map((m) => m.name)).toEqual(["王正常"]);
	});

	it("stops warning the day after a class ends, by the Taipei date (07:30 Taipei is the previous UTC day)", async () => {
		const f = await insertFixtureSession(db, "2026-12-03");
		await db
			.update(schema.classes)
			.set({ totalHours: 100, endDate: "2026-12-03" })
			.where(eq(schema.classes.id, f.classId));
		await approvedLeave(f, f.personId, 20);
		const lastEvening = Date.parse("2026-12-03T15:59:00Z"); // 23:59 Taipei on the last day
		const nextMorning = Date.parse("2026-12-03T23:30:00Z"); // 07:30 Taipei the day after
		const warned = async (now: number) =>
			(await unitAlerts(db, f.unitId, taipeiDate(now), [], now)).leaveHours.items.map((a) => a.personId);
		expect(await warned(lastEvening)).toEqual([f.personId]);
		expect(await warned(nextMorning)).toEqual([]);
	});

	it("does not warn in a class whose total hours are not set", async () => {
		const f = await insertFixtureSession(db, "2026-12-03");
		await approvedLeave(f, f.personId, 20);
		const now = taipeiInstant("2026-12-03", "10:00");
		expect((await unitAlerts(db, f.unitId, "2026-12-03", [], now)).leaveHours.total).toBe(0);
	});
});

describe("今日's undelivered LINE notices", () => {
	it("lists pushes given up at once (blocked, refused) beside those given up after retries, each with why", async () => {
		const now = taipeiInstant("2026-12-03", "15:00");
		const f = await insertFixtureSession(db, "2026-12-03");
		const other = await insertFixtureSession(db, "2026-12-03");
		const blocked = await trainee(f.classId, "張封鎖");
		const refused = await trainee(f.classId, "李退回");
		const retried = await trainee(f.classId, "吳重試");
		await givenUpPush(blocked, now - 3 * 60_000, { status: "failed", lastError: USER_BLOCKED_ERROR });
		await givenUpPush(refused, now - 2 * 60_000, { status: "failed", lastError: "HTTP 400: Invalid reply" });
		await givenUpPush(retried, now - 60_000, { status: "dead", lastError: "HTTP 429: fake" });
		await givenUpPush(other.personId, now - 60_000, { status: "failed", lastError: USER_BLOCKED_ERROR });

		const alerts = await unitAlerts(db, f.unitId, taipeiDate(now), [], now);
		expect(alerts.undelivered.items.map((m) => [m.name, m.reason])).toEqual([
			["吳重試", "gave_up"],
			["李退回", "refused"],
			["張封鎖", "blocked"],
		]);
	});

	it("keeps a rolling 7 days, not a Taipei date: at 07:30 Taipei (the previous UTC day) as at any hour", async () => {
		const now = Date.parse("2026-12-09T23:30:00Z"); // 07:30 Taipei, 12-10
		expect(taipeiDate(now)).toBe("2026-12-10");
		const f = await insertFixtureSession(db, "2026-12-03");
		const inside = await trainee(f.classId, "週內");
		const outside = await trainee(f.classId, "週外");
		const lateGiveUp = await trainee(f.classId, "晚放棄");
		const failed = { status: "failed" as const, lastError: USER_BLOCKED_ERROR };
		// 07:31 Taipei on 12-03 (12-02 in UTC) is within 7 × 24 h; 07:29, the same date, is just outside.
		await givenUpPush(inside, now - 7 * DAY + 60_000, failed);
		await givenUpPush(outside, now - 7 * DAY - 60_000, failed);
		// Queued 8 days ago, given up 6 days ago: its age counts from when it was queued.
		await givenUpPush(lateGiveUp, now - 8 * DAY, { status: "dead", at: now - 6 * DAY });

		const alerts = await unitAlerts(db, f.unitId, taipeiDate(now), [], now);
		expect(alerts.undelivered.items.map((m) => m.name)).toEqual(["週內"]);
	});

	it("shows a blocked trainee's push on 今日 with its reason to the unit's admin, and not to another unit", async () => {
		await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
		const north = await db
			.select({ id: schema.classes.id })
			.from(schema.classes)
			.where(eq(schema.classes.code, "DEMO-115-01"))
			.get();
		const name = `封鎖${uniqueSuffix().slice(-4)}`;
		const person = await enrollNewTrainee(db, north?.id as number, name);
		const userId = await boundLineUser(person.id);
		const now = Date.now();
		await recordUnfollow(db, userId, now - 60_000);
		const id = await enqueue(
			db,
			{
				channel: "line_push",
				recipient: userId,
				payload: { messages: [{ type: "text", text: "假單已通過" }] },
			},
			now,
		);
		// Blocked users are never attempted: no deliverer is needed (or called) to give up on them.
		expect(await deliverOutbox({ db, deliverers: {}, now }, { ids: [id] })).toMatchObject({ failed: 1 });

		const undeliveredList = async (email: string) => {
			const html = await (await (await signedIn(email)).get("/admin")).text();
			const start = html.indexOf('aria-label="LINE 通知未送達（請改以電話聯絡）"');
			return { html, list: start < 0 ? "" : html.slice(start, html.indexOf("</section>", start)) };
		};
		const mine = await undeliveredList("north.admin@unit.example");
		const row = mine.list.split("<tr>").find((tr) => tr.includes(name));
		expect(row).toContain("學員已封鎖官方帳號");
		expect(mine.list).toContain('<th scope="col">原因</th>');

		const theirs = await undeliveredList("south.admin@unit.example");
		expect(theirs.html).toContain("今日");
		expect(theirs.html).not.toContain(name);
	});
});
