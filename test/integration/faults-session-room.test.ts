// Fault: the SessionRoom Durable Object is reset (evicted, redeployed, its machine lost) in the
// middle of a morning rush — while punches are in flight, or while D1 is down and the punches the
// room answered wait for its alarm. Afterwards D1 must hold every punch a person was told was taken,
// once, at the time they were told, and a person who got no answer can simply try again.
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertIgnoringStatements } from "../../src/db/batch";
import { createDb } from "../../src/db/client";
import { attendance, enrollments, people, punches } from "../../src/db/schema";
import { taipeiInstant } from "../../src/domain/taipei-time";
import type { PunchOutcome, SessionRoom } from "../../src/durable/session-room";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { type PunchDeps, punchWithSessionCode, roomOf } from "../../src/services/punch";
import { insertFixtureSession, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);
const KEY = env.QR_SIGNING_KEY;
const deps = (now: number): PunchDeps => ({ db, rooms: env.SESSION_ROOM, qrKey: KEY, now });

/** A session 09:00–12:00 Taipei on 2026-12-03 with `count` trainees. */
async function classOf(count: number) {
	const f = await insertFixtureSession(db, "2026-12-03");
	const rows = [];
	for (let i = 1; i < count; i++) {
		rows.push({
			name: `學員${i}`,
			nationalIdHmac: `hmac-${uniqueSuffix()}`,
			nationalIdMasked: "A12****789",
			nationalIdKind: "national" as const,
			birthDate: "1990-01-01",
			createdAt: 1,
			updatedAt: 1,
		});
	}
	const extra: number[] = [];
	for (const statement of insertIgnoringStatements(db, people, rows))
		extra.push(...(await statement.returning({ id: people.id })).map((p) => p.id));
	for (const statement of insertIgnoringStatements(
		db,
		enrollments,
		extra.map((personId) => ({ classId: f.classId, personId, enrolledAt: 1 })),
	))
		await statement;
	return { ...f, trainees: [f.personId, ...extra], startsAt: taipeiInstant("2026-12-03", "09:00") };
}

const recordsOf = (sessionId: number) =>
	db.select().from(attendance).where(eq(attendance.sessionId, sessionId));
const acceptedOf = (sessionId: number) =>
	db
		.select()
		.from(punches)
		.where(and(eq(punches.sessionId, sessionId), eq(punches.accepted, true)));

/** Makes every D1 batch of the room fail, as when D1 is unreachable from its location. */
async function cutRoomFromD1(room: DurableObjectStub<SessionRoom>) {
	await runInDurableObject(room, (instance: SessionRoom) => {
		const target = instance as unknown as { env: Env };
		const real = target.env.DB;
		target.env = {
			...target.env,
			DB: {
				prepare: (query: string) => real.prepare(query),
				batch: () => Promise.reject(new Error("D1_ERROR: Network connection lost.")),
			} as unknown as D1Database,
		};
	});
}

describe("a room reset while punches are in flight", () => {
	it("keeps every punch that was answered, once, and takes the retries of those cut off", async () => {
		const s = await classOf(60);
		const now = s.startsAt - 5 * 60_000;
		const token = { token: (await mintSessionQrToken(KEY, s.sessionId, now)).token };
		const punch = (personId: number, at = now) =>
			punchWithSessionCode(deps(at), { personId, role: "trainee" }, "check_in", token);
		await roomOf(env.SESSION_ROOM, s.sessionId).live(s.sessionId);

		// Trainees arrive two a millisecond; the room is reset when half of them have scanned.
		const inFlight: Promise<PunchOutcome>[] = [];
		let reset: Promise<void> = Promise.resolve();
		for (let i = 0; i < s.trainees.length; i += 2) {
			inFlight.push(...s.trainees.slice(i, i + 2).map((personId) => punch(personId)));
			if (i === 30) reset = abortAllDurableObjects();
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
		await reset;
		const first = await Promise.allSettled(inFlight);

		const answered = new Map<number, PunchOutcome>();
		const cutOff: number[] = [];
		first.forEach((result, i) => {
			const personId = s.trainees[i] as number;
			if (result.status === "fulfilled") answered.set(personId, result.value);
			else cutOff.push(personId);
		});
		expect([...answered.values()].every((o) => o.ok && !o.repeated && o.at === now)).toBe(true);
		// Usually the reset cuts some punches off (their callers get an error, not an answer); how many
		// depends on timing, so the test holds for any number: what follows must be true either way.

		// Those without an answer press 簽到 again a few seconds later.
		const retries = await Promise.all(cutOff.map((personId) => punch(personId, now + 5_000)));
		expect(retries.every((o) => o.ok)).toBe(true);
		// Whatever the reset left pending is written by the room's alarm.
		await runDurableObjectAlarm(roomOf(env.SESSION_ROOM, s.sessionId));

		const records = await recordsOf(s.sessionId);
		expect(records).toHaveLength(s.trainees.length);
		const byPerson = new Map(records.map((r) => [r.personId, r]));
		for (const [personId, outcome] of answered)
			expect(byPerson.get(personId)?.checkInAt).toBe(outcome.ok ? outcome.at : -1);
		cutOff.forEach((personId, i) => {
			const retry = retries[i];
			// A cut-off punch the room had taken stands ("repeated"); otherwise the retry is the check-in.
			expect(byPerson.get(personId)?.checkInAt).toBe(retry?.ok ? retry.at : -1);
			expect(retry?.ok && (retry.repeated ? retry.at === now : retry.at === now + 5_000)).toBe(true);
		});
		// Each answered punch is logged once; a cut-off one at most once more than it was tried.
		const logged = await acceptedOf(s.sessionId);
		for (const personId of answered.keys())
			expect(logged.filter((p) => p.personId === personId)).toHaveLength(1);
		for (const personId of cutOff)
			expect(logged.filter((p) => p.personId === personId).length).toBeLessThanOrEqual(2);
		const live = await roomOf(env.SESSION_ROOM, s.sessionId).live(s.sessionId);
		expect(live).toMatchObject({ checkedIn: s.trainees.length, expected: s.trainees.length });
	});
});

describe("a room reset while D1 is down", () => {
	it("writes the punches it answered when its alarm runs in the new instance", async () => {
		const s = await classOf(30);
		const room = roomOf(env.SESSION_ROOM, s.sessionId);
		await room.live(s.sessionId);
		await cutRoomFromD1(room);
		const now = s.startsAt + 60_000;
		const token = { token: (await mintSessionQrToken(KEY, s.sessionId, now)).token };
		const outcomes = await Promise.all(
			s.trainees.map((personId) =>
				punchWithSessionCode(deps(now), { personId, role: "trainee" }, "check_in", token),
			),
		);
		expect(outcomes.every((o) => o.ok && o.at === now)).toBe(true);
		expect(await recordsOf(s.sessionId)).toHaveLength(0);

		// Evicted before the retry: the new instance has only what the room stored, and its alarm.
		await abortAllDurableObjects();
		// Stubs of the old instance are broken by the reset, as a Worker's would be: a new one.
		expect(await runDurableObjectAlarm(roomOf(env.SESSION_ROOM, s.sessionId))).toBe(true);

		const records = await recordsOf(s.sessionId);
		expect(records.map((r) => [r.personId, r.checkInAt]).sort()).toEqual(
			s.trainees.map((p) => [p, now]).sort(),
		);
		expect(await acceptedOf(s.sessionId)).toHaveLength(s.trainees.length);
		// Everyone scanning again is told their first time; nothing new is recorded.
		const later = now + 30_000;
		const shown = { token: (await mintSessionQrToken(KEY, s.sessionId, later)).token };
		const again = await Promise.all(
			s.trainees.map((personId) =>
				punchWithSessionCode(deps(later), { personId, role: "trainee" }, "check_in", shown),
			),
		);
		expect(again.every((o) => o.ok && o.repeated && o.at === now)).toBe(true);
		expect((await recordsOf(s.sessionId)).every((r) => r.checkInAt === now)).toBe(true);
	});

	it("writes them with the next punch when that comes before the alarm", async () => {
		const s = await classOf(20);
		const room = roomOf(env.SESSION_ROOM, s.sessionId);
		await room.live(s.sessionId);
		await cutRoomFromD1(room);
		const now = s.startsAt + 2 * 60_000;
		const token = { token: (await mintSessionQrToken(KEY, s.sessionId, now)).token };
		const early = s.trainees.slice(0, 19);
		const late = s.trainees[19] as number;
		const outcomes = await Promise.all(
			early.map((personId) =>
				punchWithSessionCode(deps(now), { personId, role: "trainee" }, "check_in", token),
			),
		);
		expect(outcomes.every((o) => o.ok)).toBe(true);
		await abortAllDurableObjects();

		// The last trainee wakes the new instance, which reads D1 (still without the 19) and writes all.
		const later = now + 60_000;
		const last = await punchWithSessionCode(deps(later), { personId: late, role: "trainee" }, "check_in", {
			token: (await mintSessionQrToken(KEY, s.sessionId, later)).token,
		});
		expect(last).toMatchObject({ ok: true, repeated: false });
		const records = await recordsOf(s.sessionId);
		expect(records).toHaveLength(20);
		expect(records.filter((r) => r.checkInAt === now)).toHaveLength(19);
		expect(await acceptedOf(s.sessionId)).toHaveLength(20);
		// The alarm left from the outage finds nothing more to write.
		await runDurableObjectAlarm(roomOf(env.SESSION_ROOM, s.sessionId));
		expect(await acceptedOf(s.sessionId)).toHaveLength(20);
		expect(await recordsOf(s.sessionId)).toHaveLength(20);
	});
});
