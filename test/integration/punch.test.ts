// Punches through the real SessionRoom Durable Object and the real D1: rules, refusals, single-use
// tokens, 60 trainees at once, and a room restarted in the middle of a rush.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { insertIgnoringStatements } from "../../src/db/batch";
import { createDb } from "../../src/db/client";
import { attendance, classTeachers, enrollments, people, punches, sessions } from "../../src/db/schema";
import { taipeiInstant } from "../../src/domain/taipei-time";
import type { SessionRoom } from "../../src/durable/session-room";
import { mintSessionQrToken, sessionShortCode } from "../../src/qr/rotating-token";
import { mintPersonalToken, mintScanTicket } from "../../src/qr/tickets";
import {
	type PunchDeps,
	punchWithPersonalToken,
	punchWithSessionCode,
	roomOf,
} from "../../src/services/punch";
import { insertFixtureSession, uniqueSuffix } from "./fixtures";
import { resetRoom } from "./room-reset";

const db = createDb(env.DB);
const KEY = env.QR_SIGNING_KEY;
const MIN = 60_000;

/** A session 09:00–12:00 Taipei with `count` more trainees and a teacher. */
async function sessionWithTrainees(count: number, date = "2026-12-03") {
	const f = await insertFixtureSession(db, date);
	const extra: number[] = [];
	for (let i = 0; i < count; i++) {
		const p = await db
			.insert(people)
			.values({
				name: `學員${i}`,
				nationalIdHmac: `hmac-${uniqueSuffix()}`,
				nationalIdMasked: "A12****789",
				nationalIdKind: "national",
				birthDate: "1990-01-01",
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		extra.push(p.id);
	}
	const rows = extra.map((personId) => ({ classId: f.classId, personId, enrolledAt: 1 }));
	for (const statement of insertIgnoringStatements(db, enrollments, rows)) await statement;
	const teacher = await db
		.insert(people)
		.values({
			name: "林老師",
			nationalIdHmac: `hmac-${uniqueSuffix()}`,
			nationalIdMasked: "B12****789",
			nationalIdKind: "national",
			birthDate: "1980-01-01",
			createdAt: 1,
			updatedAt: 1,
		})
		.returning()
		.get();
	await db.insert(classTeachers).values({ classId: f.classId, personId: teacher.id, createdAt: 1 });
	const startsAt = taipeiInstant(date, "09:00");
	return {
		...f,
		trainees: [f.personId, ...extra],
		teacherId: teacher.id,
		startsAt,
		endsAt: startsAt + 180 * MIN,
	};
}

const deps = (now: number): PunchDeps => ({ db, rooms: env.SESSION_ROOM, qrKey: KEY, now });
const tokenAt = async (sessionId: number, now: number) => ({
	token: (await mintSessionQrToken(KEY, sessionId, now)).token,
});
const recordOf = (sessionId: number, personId: number) =>
	db
		.select()
		.from(attendance)
		.where(and(eq(attendance.sessionId, sessionId), eq(attendance.personId, personId)))
		.get();

describe("checking in with the session QR", () => {
	it("records an on-time check-in, then a late one for another trainee, in D1", async () => {
		const s = await sessionWithTrainees(1);
		const now = s.startsAt + 5 * MIN;
		const first = await punchWithSessionCode(
			deps(now),
			{ personId: s.trainees[0] as number, role: "trainee" },
			"check_in",
			await tokenAt(s.sessionId, now),
		);
		expect(first).toMatchObject({
			ok: true,
			action: "check_in",
			at: now,
			timing: "on_time",
			repeated: false,
		});
		const later = s.startsAt + 11 * MIN;
		const second = await punchWithSessionCode(
			deps(later),
			{ personId: s.trainees[1] as number, role: "trainee" },
			"check_in",
			await tokenAt(s.sessionId, later),
		);
		expect(second).toMatchObject({ ok: true, timing: "late" });
		expect(await recordOf(s.sessionId, s.trainees[0] as number)).toMatchObject({
			checkInAt: now,
			checkInMethod: "session_qr",
			status: "present",
		});
		expect(await recordOf(s.sessionId, s.trainees[1] as number)).toMatchObject({ status: "late" });
	});

	it("answers a second check-in with the first time, and keeps one record", async () => {
		const s = await sessionWithTrainees(0);
		const who = { personId: s.personId, role: "trainee" as const };
		const t1 = s.startsAt - 10 * MIN;
		await punchWithSessionCode(deps(t1), who, "check_in", await tokenAt(s.sessionId, t1));
		const t2 = s.startsAt + 20 * MIN;
		const again = await punchWithSessionCode(deps(t2), who, "check_in", await tokenAt(s.sessionId, t2));
		expect(again).toMatchObject({ ok: true, at: t1, repeated: true, timing: "on_time" });
		expect((await recordOf(s.sessionId, s.personId))?.checkInAt).toBe(t1);
		const rows = await db.select().from(attendance).where(eq(attendance.sessionId, s.sessionId));
		expect(rows).toHaveLength(1);
	});

	it("keeps the last check-out and tells an early one as 早退", async () => {
		const s = await sessionWithTrainees(0);
		const who = { personId: s.personId, role: "trainee" as const };
		const early = s.endsAt - 30 * MIN;
		expect(
			await punchWithSessionCode(deps(early), who, "check_out", await tokenAt(s.sessionId, early)),
		).toMatchObject({ ok: true, timing: "early" });
		const end = s.endsAt + 5 * MIN;
		expect(
			await punchWithSessionCode(deps(end), who, "check_out", await tokenAt(s.sessionId, end)),
		).toMatchObject({ ok: true, at: end, timing: "on_time" });
		expect((await recordOf(s.sessionId, s.personId))?.checkOutAt).toBe(end);
	});

	it("refuses, with a reason and nothing recorded: forged, old (a forwarded screenshot), other class, outside the window", async () => {
		const s = await sessionWithTrainees(0);
		const other = await sessionWithTrainees(0);
		const who = { personId: s.personId, role: "trainee" as const };
		const now = s.startsAt;
		const forged = await punchWithSessionCode(deps(now), who, "check_in", {
			token: (await mintSessionQrToken("not-our-key", s.sessionId, now)).token,
		});
		expect(forged).toMatchObject({ ok: false, code: "TOKEN_FORGED" });
		const old = await punchWithSessionCode(
			deps(now),
			who,
			"check_in",
			await tokenAt(s.sessionId, now - 31_000),
		);
		expect(old).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });
		const foreign = await punchWithSessionCode(
			deps(now),
			who,
			"check_in",
			await tokenAt(other.sessionId, now),
		);
		expect(foreign).toMatchObject({ ok: false, code: "NOT_IN_CLASS" });
		const tooEarly = s.startsAt - 31 * MIN;
		expect(
			await punchWithSessionCode(deps(tooEarly), who, "check_in", await tokenAt(s.sessionId, tooEarly)),
		).toMatchObject({ ok: false, code: "CHECK_IN_NOT_OPEN" });
		expect(await recordOf(s.sessionId, s.personId)).toBeUndefined();
		expect(await recordOf(other.sessionId, s.personId)).toBeUndefined();
		// Refusals the room saw are logged with their reason.
		const logged = await db.select().from(punches).where(eq(punches.sessionId, s.sessionId));
		expect(logged.map((p) => [p.accepted, p.reason]).sort()).toEqual([
			[false, "CHECK_IN_NOT_OPEN"],
			[false, "TOKEN_EXPIRED"],
		]);
		const elsewhere = await db.select().from(punches).where(eq(punches.sessionId, other.sessionId));
		expect(elsewhere.map((p) => p.reason)).toEqual(["NOT_IN_CLASS"]);
	});

	it("accepts the short code typed in, only for the person's own session", async () => {
		const s = await sessionWithTrainees(0);
		const other = await sessionWithTrainees(0);
		const now = s.startsAt + 2 * MIN;
		const code = await sessionShortCode(KEY, s.sessionId, now);
		expect(
			await punchWithSessionCode(deps(now), { personId: s.personId, role: "trainee" }, "check_in", { code }),
		).toMatchObject({ ok: true });
		expect((await recordOf(s.sessionId, s.personId))?.checkInMethod).toBe("short_code");
		expect(
			await punchWithSessionCode(deps(now), { personId: other.personId, role: "trainee" }, "check_in", {
				code,
			}),
		).toMatchObject({ ok: false, code: "SHORT_CODE_WRONG" });
	});

	it("lets a scan ticket through once, two minutes after the QR was seen", async () => {
		const s = await sessionWithTrainees(0);
		const seen = s.startsAt;
		const { ticket } = await mintScanTicket(KEY, s.sessionId, seen);
		const who = { personId: s.personId, role: "trainee" as const };
		const later = seen + 119_000;
		expect(await punchWithSessionCode(deps(later), who, "check_in", { ticket })).toMatchObject({
			ok: true,
			at: later,
		});
		expect(await punchWithSessionCode(deps(later), who, "check_out", { ticket })).toMatchObject({
			ok: false,
			code: "TOKEN_REUSED",
		});
		expect(await punchWithSessionCode(deps(seen + 120_000), who, "check_in", { ticket })).toMatchObject({
			ok: false,
			code: "TOKEN_EXPIRED",
		});
	});

	it("lets the teacher of the class punch; a teacher of another class is not in it", async () => {
		const s = await sessionWithTrainees(0);
		const other = await sessionWithTrainees(0);
		const now = s.startsAt - 20 * MIN;
		expect(
			await punchWithSessionCode(
				deps(now),
				{ personId: s.teacherId, role: "teacher" },
				"check_in",
				await tokenAt(s.sessionId, now),
			),
		).toMatchObject({ ok: true, name: "林老師" });
		expect(
			await punchWithSessionCode(
				deps(now),
				{ personId: other.teacherId, role: "teacher" },
				"check_in",
				await tokenAt(s.sessionId, now),
			),
		).toMatchObject({ ok: false, code: "NOT_IN_CLASS" });
		expect((await recordOf(s.sessionId, s.teacherId))?.role).toBe("teacher");
	});
});

describe("personal QR scanned by staff", () => {
	it("is taken once per action", async () => {
		const s = await sessionWithTrainees(0);
		const now = s.startsAt;
		const { token } = await mintPersonalToken(KEY, s.personId, "trainee", now);
		expect(await punchWithPersonalToken(deps(now + 1000), s.sessionId, "check_in", token)).toMatchObject({
			ok: true,
			name: "測試學員",
		});
		expect(await punchWithPersonalToken(deps(now + 2000), s.sessionId, "check_in", token)).toMatchObject({
			ok: false,
			code: "TOKEN_REUSED",
		});
		expect(await punchWithPersonalToken(deps(now + 60_000), s.sessionId, "check_out", token)).toMatchObject({
			ok: false,
			code: "TOKEN_EXPIRED",
		});
		expect((await recordOf(s.sessionId, s.personId))?.checkInMethod).toBe("personal_qr");
	});
});

describe("the morning rush", () => {
	it("records 60 trainees punching at once exactly once each", async () => {
		const s = await sessionWithTrainees(59);
		const now = s.startsAt - 1 * MIN;
		const token = await tokenAt(s.sessionId, now);
		const results = await Promise.all(
			s.trainees.flatMap((personId) => [
				punchWithSessionCode(deps(now), { personId, role: "trainee" }, "check_in", token),
				// A double tap of every third trainee.
				...(personId % 3 === 0
					? [punchWithSessionCode(deps(now + 500), { personId, role: "trainee" }, "check_in", token)]
					: []),
			]),
		);
		expect(results.every((r) => r.ok)).toBe(true);
		const rows = await db.select().from(attendance).where(eq(attendance.sessionId, s.sessionId));
		expect(rows).toHaveLength(60);
		expect(new Set(rows.map((r) => r.personId)).size).toBe(60);
		expect(rows.every((r) => r.checkInAt === now)).toBe(true);
		const live = await roomOf(env.SESSION_ROOM, s.sessionId).live(s.sessionId);
		expect(live).toMatchObject({ checkedIn: 60, expected: 60 });
		// The display shows the latest five, masked (學員12 → 學○○2).
		expect(live?.recent).toHaveLength(5);
		expect(live?.recent.every((r) => /^.○+.$/.test(r.name))).toBe(true);
	});

	it("loses nothing when the room is restarted in the middle", async () => {
		const s = await sessionWithTrainees(39);
		const now = s.startsAt;
		const token = await tokenAt(s.sessionId, now);
		const punch = (personId: number) =>
			punchWithSessionCode(deps(now), { personId, role: "trainee" }, "check_in", token);
		const firstHalf = await Promise.all(s.trainees.slice(0, 20).map(punch));
		await resetRoom(roomOf(env.SESSION_ROOM, s.sessionId));
		const secondHalf = await Promise.all(s.trainees.slice(20).map(punch));
		// Everyone of the first half punching again after the restart is told their first time.
		const again = await Promise.all(s.trainees.slice(0, 20).map(punch));
		expect([...firstHalf, ...secondHalf].every((r) => r.ok && !r.repeated)).toBe(true);
		expect(again.every((r) => r.ok && r.repeated)).toBe(true);
		const rows = await db.select().from(attendance).where(eq(attendance.sessionId, s.sessionId));
		expect(rows).toHaveLength(40);
		const accepted = await db
			.select()
			.from(punches)
			.where(and(eq(punches.sessionId, s.sessionId), eq(punches.accepted, true)));
		expect(accepted).toHaveLength(60);
	});
});

describe("a session with punches already in D1", () => {
	it("takes them as they are: a trainee checked in before keeps that time", async () => {
		const s = await sessionWithTrainees(0);
		const earlier = s.startsAt - 5 * MIN;
		await db.insert(attendance).values({
			sessionId: s.sessionId,
			personId: s.personId,
			role: "trainee",
			checkInAt: earlier,
			checkInMethod: "manual",
			status: "present",
			updatedAt: 1,
		});
		const now = s.startsAt + 1 * MIN;
		const result = await punchWithSessionCode(
			deps(now),
			{ personId: s.personId, role: "trainee" },
			"check_in",
			await tokenAt(s.sessionId, now),
		);
		expect(result).toMatchObject({ ok: true, at: earlier, repeated: true });
		const session = await db.select().from(sessions).where(eq(sessions.id, s.sessionId)).get();
		expect(session?.id).toBe(s.sessionId);
	});
});

describe("D1 unavailable for a while", () => {
	it("keeps the punch in the room, answers the person, and writes it when the alarm runs", async () => {
		const s = await sessionWithTrainees(0);
		const room = roomOf(env.SESSION_ROOM, s.sessionId);
		await room.live(s.sessionId);
		// Fault injection at the binding: every D1 batch of the room fails until put back.
		await runInDurableObject(room, (instance: SessionRoom) => {
			const target = instance as unknown as { env: Env };
			const real = target.env.DB;
			const failing = {
				prepare: (query: string) => real.prepare(query),
				batch: () => Promise.reject(new Error("D1_ERROR: unavailable")),
			} as unknown as D1Database;
			target.env = { ...target.env, DB: failing };
		});
		const now = s.startsAt + 60_000;
		const result = await punchWithSessionCode(
			deps(now),
			{ personId: s.personId, role: "trainee" },
			"check_in",
			await tokenAt(s.sessionId, now),
		);
		expect(result).toMatchObject({ ok: true, at: now });
		expect(await recordOf(s.sessionId, s.personId)).toBeUndefined();

		await runInDurableObject(room, (instance: SessionRoom) => {
			const target = instance as unknown as { env: Env };
			target.env = { ...target.env, DB: env.DB };
		});
		// The runtime fires the alarm by itself 5 s after the failure; on a busy machine it may have.
		await runDurableObjectAlarm(room);
		await vi.waitFor(
			async () => expect(await recordOf(s.sessionId, s.personId)).toMatchObject({ checkInAt: now }),
			{
				timeout: 10_000,
			},
		);
		const logged = await db.select().from(punches).where(eq(punches.sessionId, s.sessionId));
		expect(logged).toHaveLength(1);
	});
});

describe("found by trying to break it", () => {
	it("pauses typing after five wrong short codes, even for the right one, and logs every miss", async () => {
		const s = await sessionWithTrainees(0);
		const who = { personId: s.personId, role: "trainee" as const };
		const now = s.startsAt + 60_000;
		const right = await sessionShortCode(KEY, s.sessionId, now);
		const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
		for (let i = 0; i < 5; i++)
			expect(await punchWithSessionCode(deps(now + i), who, "check_in", { code: wrong })).toMatchObject({
				ok: false,
				code: "SHORT_CODE_WRONG",
			});
		expect(await punchWithSessionCode(deps(now + 10), who, "check_in", { code: right })).toMatchObject({
			ok: false,
			code: "TOO_MANY_CODE_TRIES",
		});
		const misses = await db
			.select()
			.from(punches)
			.where(and(eq(punches.sessionId, s.sessionId), eq(punches.reason, "SHORT_CODE_WRONG")));
		expect(misses).toHaveLength(5);
		// Ten minutes after the first miss typing works again (with the code of that moment).
		const later = now + 10 * 60_000 + 5;
		const fresh = await sessionShortCode(KEY, s.sessionId, later);
		expect(await punchWithSessionCode(deps(later), who, "check_in", { code: fresh })).toMatchObject({
			ok: true,
		});
	});

	it("tells a right code of a session not open yet that check-in has not opened", async () => {
		const s = await sessionWithTrainees(0);
		const early = s.startsAt - 45 * MIN;
		const code = await sessionShortCode(KEY, s.sessionId, early);
		expect(
			await punchWithSessionCode(deps(early), { personId: s.personId, role: "trainee" }, "check_in", {
				code,
			}),
		).toMatchObject({ ok: false, code: "CHECK_IN_NOT_OPEN" });
	});

	it("refuses a check-in after the person checked out, and such a refusal leaves a ticket usable", async () => {
		const s = await sessionWithTrainees(0);
		const who = { personId: s.personId, role: "trainee" as const };
		const out = s.startsAt + 30 * MIN;
		expect(
			await punchWithSessionCode(deps(out), who, "check_out", await tokenAt(s.sessionId, out)),
		).toMatchObject({
			ok: true,
			timing: "early",
			subject: "測試課程",
		});
		const { ticket } = await mintScanTicket(KEY, s.sessionId, out + 1000);
		expect(await punchWithSessionCode(deps(out + 2000), who, "check_in", { ticket })).toMatchObject({
			ok: false,
			code: "CHECK_IN_AFTER_CHECK_OUT",
		});
		expect(await recordOf(s.sessionId, s.personId)).toMatchObject({ checkInAt: null, checkOutAt: out });
		expect(await punchWithSessionCode(deps(out + 3000), who, "check_out", { ticket })).toMatchObject({
			ok: true,
		});
	});
});
