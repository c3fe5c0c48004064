// 今日's attention lists: today's absentees, trainees near or over the plan's leave-hour limit in
// a running class, and trainees a LINE message could not reach — each for the unit's own people.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { unitAlerts } from "../../src/services/unit-alerts";
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

async function deadPush(personId: number, createdAt: number) {
	const userId = `U${uniqueSuffix()}`;
	await db.insert(schema.lineUsers).values({ userId, createdAt: 1, updatedAt: 1 });
	await db.insert(schema.lineBindings).values({ lineUserId: userId, role: "trainee", personId, boundAt: 1 });
	await db.insert(schema.outbox).values({
		channel: "line_push",
		recipient: userId,
		payload: "{}",
		retryKey: crypto.randomUUID(),
		status: "dead",
		nextAttemptAt: createdAt,
		createdAt,
	});
}

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
