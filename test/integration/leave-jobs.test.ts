// Scheduled leave and attendance jobs with controlled times, including runs between 00:00 and
// 08:00 Taipei (still the previous day in UTC); each job twice to show it is idempotent.
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { attendance, leaveRequestSessions, leaveRequests, outbox, sessions } from "../../src/db/schema";
import { expiresAt } from "../../src/domain/leave-policy";
import { taipeiDate, taipeiTime, taipeiWeekday } from "../../src/domain/taipei-time";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { submitLeave } from "../../src/services/leave-requests";
import type { TraineeClass } from "../../src/services/trainee-class";
import { seedRunningClass } from "./fixtures";

const db = createDb(env.DB);
const NOW = Date.now();
let klass: TraineeClass;
let trainees: number[];

beforeAll(async () => {
	({ klass, trainees } = await seedRunningClass(db, NOW, env.PII_HMAC_KEY));
});

async function cron(expression: string, at: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron: expression, scheduledTime: at }), env, ctx);
	await waitOnExecutionContext(ctx);
}

describe("cron triggers in Taipei time", () => {
	it.each([
		[CRONS.taipeiMidnight, Date.UTC(2026, 11, 3, 16, 0), "00:00", 5, "2026-12-04"],
		[CRONS.taipeiWeekdayMorning, Date.UTC(2026, 11, 4, 0, 0), "08:00", 5, "2026-12-04"],
		[CRONS.taipeiWeekdayMorning, Date.UTC(2026, 11, 7, 0, 0), "08:00", 1, "2026-12-07"],
	])("%s firing at %s UTC is %s Taipei, weekday %s, business date %s", (_, utc, time, weekday, date) => {
		expect(taipeiTime(utc)).toBe(time);
		expect(taipeiWeekday(utc)).toBe(weekday);
		expect(taipeiDate(utc)).toBe(date);
	});
	it("are the triggers declared in wrangler.toml", () => {
		expect(Object.values(CRONS)).toEqual(["*/5 * * * *", "*/15 * * * *", "0 16 * * *", "0 0 * * MON-FRI"]);
	});
});

describe("leave expiry (00:00 Taipei)", () => {
	it("expires a pending request at the end of its review window, once, freeing its sessions and telling the unit", async () => {
		const upcoming = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW)))
			.orderBy(asc(sessions.startsAt))
			.limit(60)
			.all();
		const session = upcoming.at(-1) as typeof sessions.$inferSelect;
		const filed = await submitLeave({ db, now: NOW }, trainees[25] as number, klass, {
			sessionIds: [session.id],
			typeCode: "personal",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		if (!filed.ok) throw new Error("filed");
		const deadline = expiresAt(session.date, klass.plan);
		// The deadline is a Taipei midnight, which the 16:00 UTC trigger hits exactly.
		expect(taipeiTime(deadline)).toBe("00:00");

		await cron(CRONS.taipeiMidnight, deadline - 86_400_000);
		expect(
			(await db.select().from(leaveRequests).where(eq(leaveRequests.id, filed.requestId)).get())?.status,
		).toBe("pending");
		await cron(CRONS.taipeiMidnight, deadline);
		await cron(CRONS.taipeiMidnight, deadline + 86_400_000);
		const request = await db.select().from(leaveRequests).where(eq(leaveRequests.id, filed.requestId)).get();
		expect(request).toMatchObject({ status: "expired", expiredAt: deadline });
		const covered = await db
			.select()
			.from(leaveRequestSessions)
			.where(eq(leaveRequestSessions.leaveRequestId, filed.requestId));
		expect(covered.every((c) => c.active === null)).toBe(true);
		const notices = await db
			.select()
			.from(outbox)
			.where(eq(outbox.dedupeKey, `leave-unit:${filed.requestId}:expired`));
		expect(notices).toHaveLength(1);
		expect(notices[0]?.recipient).toBe("north@unit.example");
	});
});

describe("session close-out (every 15 minutes)", () => {
	it("writes final statuses once check-out has closed, and only once", async () => {
		const next = (await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW), isNull(sessions.closedAt)))
			.orderBy(asc(sessions.startsAt))
			.limit(1)
			.get()) as typeof sessions.$inferSelect;
		const closes = next.endsAt + klass.plan.checkOutClosesMinutes * 60_000;
		await cron(CRONS.everyQuarterHour, closes - 1000);
		expect(await db.select().from(attendance).where(eq(attendance.sessionId, next.id))).toHaveLength(0);

		await cron(CRONS.everyQuarterHour, closes);
		const rows = await db.select().from(attendance).where(eq(attendance.sessionId, next.id));
		expect(rows).toHaveLength(trainees.length);
		// Nobody punched this (future) session: 曠課, except approved leave.
		expect(rows.filter((r) => r.status === "absent").length).toBeGreaterThan(trainees.length - 5);
		expect((await db.select().from(sessions).where(eq(sessions.id, next.id)).get())?.closedAt).toBe(closes);

		await db.update(attendance).set({ updatedAt: 1 }).where(eq(attendance.sessionId, next.id));
		await cron(CRONS.everyQuarterHour, closes + 15 * 60_000);
		const again = await db.select().from(attendance).where(eq(attendance.sessionId, next.id));
		expect(again.every((r) => r.updatedAt === 1)).toBe(true);
	});
});

describe("pending-leave digest (08:00 Taipei on weekdays)", () => {
	it("sends each unit one e-mail a day about requests close to expiry", async () => {
		const later = (
			await db
				.select()
				.from(sessions)
				.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW)))
				.orderBy(asc(sessions.startsAt))
				.limit(80)
				.all()
		).at(-1);
		const filed = await submitLeave({ db, now: NOW }, trainees[26] as number, klass, {
			sessionIds: [later?.id as number],
			typeCode: "official",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		expect(filed.ok).toBe(true);
		// 08:00 Taipei on the day before the request expires.
		const dayBefore = expiresAt(later?.date as string, klass.plan) - 86_400_000 + 8 * 3_600_000;
		await cron(CRONS.taipeiWeekdayMorning, dayBefore);
		await cron(CRONS.taipeiWeekdayMorning, dayBefore + 60_000);
		const digests = await db
			.select()
			.from(outbox)
			.where(eq(outbox.dedupeKey, `digest:${klass.unitId}:${taipeiDate(dayBefore)}`));
		expect(digests).toHaveLength(1);
		expect(digests[0]?.payload).toContain("即將逾期");
	});
});
