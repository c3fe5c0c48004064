// Fault: one SessionRoom is reset (evicted, redeployed, its machine lost) in the middle of a morning
// rush, and between taking a punch and writing it to D1. Trainees punch through the real LIFF route
// and press again when they get an error, with the same QR token. Afterwards every trainee told
// 簽到成功 has one check-in in D1 at the time they were told, nobody has two, and the room, rebuilt
// from its storage and D1, counts what D1 holds. Only the room under test is reset (room-reset.ts).
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { insertIgnoringStatements, runInBatches } from "../../src/db/batch";
import { createDb } from "../../src/db/client";
import { attendance, lineBindings, lineUsers, punches, sessions } from "../../src/db/schema";
import { taipeiDate } from "../../src/domain/taipei-time";
import type { SessionRoom } from "../../src/durable/session-room";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { roomOf } from "../../src/services/punch";
import { freshLineUser, liffCall, routeLineToEmulator } from "./dev-server";
import { enrollNewTrainee, insertFixtureSession } from "./fixtures";
import { resetRoom } from "./room-reset";

const db = createDb(env.DB);
const MIN = 60_000;

beforeEach(() => {
	routeLineToEmulator();
	return () => vi.restoreAllMocks();
});

type Trainee = { personId: number; userId: string };

/** A session that began five minutes ago, with `count` trainees each bound to a LINE user. */
async function runningSession(count: number) {
	const now = Date.now();
	const f = await insertFixtureSession(db, taipeiDate(now));
	await db
		.update(sessions)
		.set({ startsAt: now - 5 * MIN, endsAt: now + 180 * MIN })
		.where(eq(sessions.id, f.sessionId));
	const ids = [f.personId];
	for (let i = 1; i < count; i++) ids.push((await enrollNewTrainee(db, f.classId, `學員${i}`)).id);
	const trainees: Trainee[] = ids.map((personId) => ({ personId, userId: freshLineUser() }));
	await runInBatches(db, [
		...insertIgnoringStatements(
			db,
			lineUsers,
			trainees.map((t) => ({
				userId: t.userId,
				followedAt: now,
				activeRole: "trainee" as const,
				createdAt: now,
				updatedAt: now,
			})),
		),
		...insertIgnoringStatements(
			db,
			lineBindings,
			trainees.map((t) => ({
				lineUserId: t.userId,
				role: "trainee" as const,
				personId: t.personId,
				boundAt: now,
			})),
		),
	]);
	return { sessionId: f.sessionId, trainees, room: () => roomOf(env.SESSION_ROOM, f.sessionId) };
}

/** The token the teacher's display shows now. */
const displayedToken = async (sessionId: number) =>
	(await mintSessionQrToken(env.QR_SIGNING_KEY, sessionId, Date.now())).token;

type Answer = { status: number; at?: number; repeated?: boolean; code?: string; message?: string };

/** 簽到 as the LIFF scan page sends it; a request that never got an answer counts as status 0. */
async function checkIn(t: Trainee, token: string): Promise<Answer> {
	try {
		const res = await liffCall(t.userId, "/api/liff/punch", {
			method: "POST",
			json: { role: "trainee", action: "check_in", token },
		});
		const body = (await res.json()) as {
			at?: number;
			repeated?: boolean;
			error?: { code: string; message: string };
		};
		const { at, repeated, error } = body;
		return { status: res.status, at, repeated, code: error?.code, message: error?.message };
	} catch {
		return { status: 0 };
	}
}

const attendanceOf = (sessionId: number) =>
	db.select().from(attendance).where(eq(attendance.sessionId, sessionId));
const acceptedOf = (sessionId: number, personId: number) =>
	db
		.select()
		.from(punches)
		.where(and(eq(punches.sessionId, sessionId), eq(punches.personId, personId), eq(punches.accepted, true)));

/** The room's instance object: a reset replaces it. */
const instanceOf = (room: DurableObjectStub<SessionRoom>) =>
	runInDurableObject(room, (instance: SessionRoom) => instance);

/** What the room's own storage holds for a person. */
const roomRecordOf = (room: DurableObjectStub<SessionRoom>, personId: number) =>
	runInDurableObject(
		room,
		(_instance, state) =>
			state.storage.sql
				.exec<{ check_in_at: number | null }>("SELECT check_in_at FROM records WHERE person_id = ?", personId)
				.toArray()[0],
	);

/** How many check-ins the room's own storage holds. */
const roomCheckIns = (room: DurableObjectStub<SessionRoom>) =>
	runInDurableObject(
		room,
		(_instance, state) =>
			state.storage.sql
				.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records WHERE check_in_at IS NOT NULL")
				.one().n,
	);

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
	// Generous: the machine may be busy with other test files.
	for (let i = 0; i < 1000; i++) {
		const value = await probe();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`gave up waiting for ${what}`);
}

/**
 * Holds the room's writes to D1, before D1 sees them or after D1 took them, as a write-through cut
 * by a reset would be: the held batch fails only long after the room has been reset.
 */
async function holdRoomWrites(room: DurableObjectStub<SessionRoom>, when: "before_d1" | "after_d1") {
	await runInDurableObject(room, (instance: SessionRoom) => {
		const target = instance as unknown as { env: Env };
		const real = target.env.DB;
		const held = {
			prepare: (query: string) => real.prepare(query),
			batch: async (statements: D1PreparedStatement[]) => {
				if (when === "after_d1") await real.batch(statements);
				await new Promise((resolve) => setTimeout(resolve, 20_000));
				throw new Error("D1_ERROR: held write was never reset");
			},
		} as unknown as D1Database;
		target.env = { ...target.env, DB: held };
	});
}

/**
 * Runs the room's pending alarm now and waits until D1 holds `count` attendance rows of the session.
 * The runtime also fires the alarm by itself 5 s after it was set: on a busy machine it may have run
 * already, so what is asserted is D1, not whether this call found the alarm.
 */
async function alarmWrites(room: DurableObjectStub<SessionRoom>, sessionId: number, count: number) {
	await runDurableObjectAlarm(room);
	return until(async () => {
		const rows = await attendanceOf(sessionId);
		return rows.length >= count ? rows : undefined;
	}, "the alarm's write to D1");
}

/** Every D1 call of the room's current instance fails (reads too), or works again with `false`. */
async function roomD1Down(room: DurableObjectStub<SessionRoom>, down: boolean) {
	await runInDurableObject(room, (instance: SessionRoom) => {
		const target = instance as unknown as { env: Env };
		const failing = {
			prepare: () => {
				throw new Error("D1_ERROR: unavailable");
			},
			batch: () => Promise.reject(new Error("D1_ERROR: unavailable")),
		} as unknown as D1Database;
		target.env = { ...target.env, DB: down ? failing : env.DB };
	});
}

/**
 * A check-in the room takes but cannot write to D1 before the room is reset: the trainee's request
 * fails (500). Returns the check-in time the room had taken.
 */
async function cutOffCheckIn(room: DurableObjectStub<SessionRoom>, trainee: Trainee, token: string) {
	await holdRoomWrites(room, "before_d1");
	const inFlight = checkIn(trainee, token);
	const taken = await until(
		async () => (await roomRecordOf(room, trainee.personId))?.check_in_at ?? undefined,
		"the room to take the punch",
	);
	await resetRoom(room);
	expect((await inFlight).status).toBe(500);
	return taken;
}

describe("a room reset in the middle of a rush", () => {
	it("keeps every answered punch once at the time told, and takes the retries of those cut off", async () => {
		const s = await runningSession(31);
		const [early, rest] = [s.trainees.slice(0, 10), s.trainees.slice(10, 30)];
		const latecomer = s.trainees[30] as Trainee;
		// A neighbouring session's room: the reset must leave it alone.
		const other = await runningSession(1);
		await s.room().live(s.sessionId);
		await other.room().live(other.sessionId);
		const before = await instanceOf(s.room());
		const neighbour = await instanceOf(other.room());

		const answers = new Map<number, Answer[]>(s.trainees.map((t) => [t.personId, []]));
		const token = await displayedToken(s.sessionId);
		/**
		 * One trainee's phone: 簽到 with the scanned QR; after an error they press again (the QR once it
		 * has rotated out on a slow machine: they scan the display again). Some tap once more after 成功.
		 */
		const phone = async (t: Trainee, tapAgain: boolean) => {
			let scanned = token;
			for (let attempt = 0; attempt < 6; attempt++) {
				const answer = await checkIn(t, scanned);
				answers.get(t.personId)?.push(answer);
				if (answer.status === 200) break;
				if (answer.code === "TOKEN_EXPIRED") scanned = await displayedToken(s.sessionId);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			if (tapAgain) answers.get(t.personId)?.push(await checkIn(t, scanned));
		};

		// The first ten are through; then D1 is slow to take the room's writes, the other twenty scan
		// at once, and the room is reset with ten or more of them taken and waiting for D1.
		await Promise.all(early.map((t) => phone(t, false)));
		await holdRoomWrites(s.room(), "before_d1");
		const rush = Promise.all(rest.map((t, i) => phone(t, i % 5 === 0)));
		await until(
			async () => ((await roomCheckIns(s.room())) >= 20 ? true : undefined),
			"the room to take ten punches of the rush",
		);
		await resetRoom(s.room());
		await Promise.all([rush, ...early.filter((_, i) => i % 3 === 0).map((t) => phone(t, false))]);
		expect((await instanceOf(s.room())) === before).toBe(false);
		expect((await instanceOf(other.room())) === neighbour).toBe(true);

		const failed = [...answers.values()].flat().filter((a) => a.status !== 200);
		expect(failed.length).toBeGreaterThanOrEqual(10);
		// A cut-off punch is an error the person can retry, never a refusal of their check-in.
		expect(failed.every((a) => a.status === 500 || a.code === "TOKEN_EXPIRED")).toBe(true);
		const rows = await attendanceOf(s.sessionId);
		expect(rows).toHaveLength(30);
		expect(new Set(rows.map((r) => r.personId)).size).toBe(30);
		for (const t of [...early, ...rest]) {
			const mine = answers.get(t.personId) ?? [];
			const told = mine.filter((a) => a.status === 200);
			const row = rows.find((r) => r.personId === t.personId);
			// Every 成功 this person saw names one time, their first check-in, and D1 has it.
			expect(told.length).toBeGreaterThan(0);
			expect(new Set(told.map((a) => a.at))).toEqual(new Set([row?.checkInAt]));
			// The first answer is new unless an attempt before it was cut off; later ones are repeats.
			if (mine[0]?.status === 200) expect(mine[0].repeated).toBe(false);
			expect(told.slice(1).every((a) => a.repeated)).toBe(true);
			// Each attempt is logged at most once, whatever the reset cut.
			const logged = await acceptedOf(s.sessionId, t.personId);
			expect(logged.length).toBeGreaterThan(0);
			expect(logged.length).toBeLessThanOrEqual(mine.length);
		}

		// The room works again: a latecomer checks in, is new, and lands in D1.
		const late = await checkIn(latecomer, await displayedToken(s.sessionId));
		expect(late).toMatchObject({ status: 200, repeated: false });
		expect((await attendanceOf(s.sessionId)).find((r) => r.personId === latecomer.personId)?.checkInAt).toBe(
			late.at,
		);
		// Rebuilt from its storage and D1 (after another reset too), the room counts what D1 holds.
		expect(await s.room().live(s.sessionId)).toMatchObject({ checkedIn: 31, expected: 31 });
		await resetRoom(s.room());
		expect(await s.room().live(s.sessionId)).toMatchObject({ checkedIn: 31, expected: 31 });
		expect(await attendanceOf(s.sessionId)).toHaveLength(31);
	});
});

describe("a room reset between taking a punch and writing it to D1", () => {
	it("answers the cut-off person with an error; their retry is told the first time, recorded once", async () => {
		const s = await runningSession(2);
		const [cut, other] = s.trainees as [Trainee, Trainee];
		await s.room().live(s.sessionId);
		await holdRoomWrites(s.room(), "before_d1");
		const token = await displayedToken(s.sessionId);
		const inFlight = checkIn(cut, token);
		const taken = await until(
			async () => (await roomRecordOf(s.room(), cut.personId))?.check_in_at ?? undefined,
			"the room to take the punch",
		);
		expect(await attendanceOf(s.sessionId)).toHaveLength(0);

		await resetRoom(s.room());
		// Not told 簽到成功: told to try again.
		expect(await inFlight).toMatchObject({
			status: 500,
			code: "INTERNAL",
			message: expect.stringContaining("請稍後再試"),
		});
		const retry = await checkIn(cut, token);
		expect(retry).toMatchObject({ status: 200, repeated: true, at: taken });
		const rows = await attendanceOf(s.sessionId);
		expect(rows.map((r) => [r.personId, r.checkInAt])).toEqual([[cut.personId, taken]]);
		// Both presses are in the punch log, once each: the one cut off and the retry after it.
		const logged = (await acceptedOf(s.sessionId, cut.personId)).map((p) => p.at).sort();
		expect(logged).toHaveLength(2);
		expect(logged[0]).toBe(taken);
		expect(logged[1]).toBeGreaterThan(taken);
		// The next trainee is recorded as usual.
		expect(await checkIn(other, token)).toMatchObject({ status: 200, repeated: false });
		expect(await s.room().live(s.sessionId)).toMatchObject({ checkedIn: 2, expected: 2 });
		expect(await attendanceOf(s.sessionId)).toHaveLength(2);
	});

	it("writes a cut-off punch nobody retried from the room's alarm, so D1 and the display agree", async () => {
		const s = await runningSession(2);
		const [cut] = s.trainees as [Trainee];
		await s.room().live(s.sessionId);
		const taken = await cutOffCheckIn(s.room(), cut, await displayedToken(s.sessionId));

		// The trainee walks away; the display (which counted the punch) asks the room again.
		expect(await s.room().live(s.sessionId)).toMatchObject({ checkedIn: 1 });
		const rows = await alarmWrites(s.room(), s.sessionId, 1);
		expect(rows.map((r) => [r.personId, r.checkInAt])).toEqual([[cut.personId, taken]]);
		expect(await acceptedOf(s.sessionId, cut.personId)).toHaveLength(1);
	});

	it("covers a write cut off by a reset also in a room whose alarm has run before", async () => {
		const s = await runningSession(3);
		const [first, cut] = s.trainees as [Trainee, Trainee];
		const token = await displayedToken(s.sessionId);
		expect(await checkIn(first, token)).toMatchObject({ status: 200, repeated: false });
		// The alarm the first write left runs and finds nothing to do.
		await alarmWrites(s.room(), s.sessionId, 1);
		await runDurableObjectAlarm(s.room());

		const taken = await cutOffCheckIn(s.room(), cut, token);

		const rows = await alarmWrites(s.room(), s.sessionId, 2);
		expect(rows.find((r) => r.personId === cut.personId)?.checkInAt).toBe(taken);
	});

	it("keeps retrying from its alarm while a new room cannot read its session from D1", async () => {
		const s = await runningSession(2);
		const [cut] = s.trainees as [Trainee];
		await s.room().live(s.sessionId);
		const taken = await cutOffCheckIn(s.room(), cut, await displayedToken(s.sessionId));

		// The new room wakes for its alarm while D1 is down: it cannot load the session.
		await roomD1Down(s.room(), true);
		for (let i = 0; i < 3; i++) {
			await runDurableObjectAlarm(s.room());
			const next = await runInDurableObject(s.room(), (_i, state) => state.storage.getAlarm());
			expect(next).not.toBeNull();
		}
		expect(await attendanceOf(s.sessionId)).toEqual([]);

		await roomD1Down(s.room(), false);
		const rows = await alarmWrites(s.room(), s.sessionId, 1);
		expect(rows.map((r) => [r.personId, r.checkInAt])).toEqual([[cut.personId, taken]]);
	});

	it("writes nothing twice when D1 had taken the write before the reset", async () => {
		const s = await runningSession(2);
		const [cut, other] = s.trainees as [Trainee, Trainee];
		await s.room().live(s.sessionId);
		await holdRoomWrites(s.room(), "after_d1");
		const token = await displayedToken(s.sessionId);
		const inFlight = checkIn(cut, token);
		const row = await until(
			async () => (await attendanceOf(s.sessionId)).find((r) => r.personId === cut.personId),
			"D1 to take the write",
		);
		await resetRoom(s.room());
		expect((await inFlight).status).toBe(500);

		// The new room writes again what it cannot know D1 has; D1 keeps one of each.
		await runDurableObjectAlarm(s.room());
		const retry = await checkIn(cut, token);
		expect(retry).toMatchObject({ status: 200, repeated: true, at: row.checkInAt });
		expect(await checkIn(other, token)).toMatchObject({ status: 200, repeated: false });
		const rows = await attendanceOf(s.sessionId);
		expect(rows).toHaveLength(2);
		expect(rows.find((r) => r.personId === cut.personId)?.checkInAt).toBe(row.checkInAt);
		const logged = await acceptedOf(s.sessionId, cut.personId);
		expect(logged).toHaveLength(2);
		expect(new Set(logged.map((p) => p.punchKey)).size).toBe(2);
		expect(await s.room().live(s.sessionId)).toMatchObject({ checkedIn: 2, expected: 2 });
	});
});
