// Asking for leave and withdrawing it, with the demo class and a controlled clock.
import { env } from "cloudflare:test";
import { and, asc, eq, gt, isNotNull, lt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import {
	attendance,
	auditLog,
	classes,
	leaveRequestSessions,
	leaveRequests,
	sessions,
} from "../../src/db/schema";
import { withdrawDeadline } from "../../src/domain/leave-policy";
import { addDays, taipeiInstant } from "../../src/domain/taipei-time";
import { myLeaveRequests, submitLeave, withdrawLeave } from "../../src/services/leave-requests";
import type { TraineeClass } from "../../src/services/trainee-class";
import { seedRunningClass } from "./fixtures";

const db = createDb(env.DB);
const NOW = Date.now();
let klass: TraineeClass;
let trainees: number[];
let nextTrainee = 10;

beforeAll(async () => {
	({ klass, trainees } = await seedRunningClass(db, NOW, env.PII_HMAC_KEY));
});

const person = () => trainees[nextTrainee++] as number;
const future = async (n = 2, offset = 10) =>
	(
		await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW)))
			.orderBy(asc(sessions.startsAt))
	)
		.slice(offset, offset + n)
		.map((s) => s.id);
const key = () => crypto.randomUUID();

describe("asking for leave", () => {
	it("files a pending request over two sessions and shows it in 請假節次", async () => {
		const me = person();
		const ids = await future(2);
		const result = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: ids,
			typeCode: "sick",
			remark: "發燒",
			clientKey: key(),
		});
		expect(result).toMatchObject({ ok: true, created: true });
		const [view] = await myLeaveRequests({ db, now: NOW }, me, klass);
		expect(view).toMatchObject({
			status: "pending",
			statusLabel: "待審核",
			typeName: "病假",
			remark: "發燒",
			hours: 6,
		});
		expect(view?.sessions.map((s) => s.id)).toEqual(ids);
		expect(view?.withdrawUntil).toBe(withdrawDeadline(view?.lastDate ?? "", klass.endDate, klass.plan));
		const audit = await db
			.select()
			.from(auditLog)
			.where(
				and(
					eq(auditLog.action, "leave.submitted"),
					eq(auditLog.entityId, String(result.ok ? result.requestId : 0)),
				),
			);
		expect(audit).toHaveLength(1);
	});

	it("makes one request from a double tap (same client key), even at the same moment", async () => {
		const me = person();
		const ids = await future(1, 14);
		const input = { sessionIds: ids, typeCode: "personal", remark: "", clientKey: key() };
		const [a, b] = await Promise.all([
			submitLeave({ db, now: NOW }, me, klass, input),
			submitLeave({ db, now: NOW }, me, klass, input),
		]);
		expect(a.ok && b.ok && a.requestId === b.requestId).toBe(true);
		expect(await db.select().from(leaveRequests).where(eq(leaveRequests.personId, me))).toHaveLength(1);
	});

	it("lets only one of two concurrent requests over a shared session through", async () => {
		const me = person();
		const [s1, s2, s3] = await future(3, 20);
		const results = await Promise.all([
			submitLeave({ db, now: NOW }, me, klass, {
				sessionIds: [s1 as number, s2 as number],
				typeCode: "sick",
				remark: "",
				clientKey: key(),
			}),
			submitLeave({ db, now: NOW }, me, klass, {
				sessionIds: [s2 as number, s3 as number],
				typeCode: "personal",
				remark: "",
				clientKey: key(),
			}),
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toMatchObject({ code: "LEAVE_OVERLAP" });
		// Nothing half-written by the loser.
		const rows = await db.select().from(leaveRequests).where(eq(leaveRequests.personId, me));
		expect(rows).toHaveLength(1);
		expect(
			await db.select().from(leaveRequestSessions).where(eq(leaveRequestSessions.personId, me)),
		).toHaveLength(2);
	});

	it("frees the sessions of a withdrawn request for a new one", async () => {
		const me = person();
		const ids = await future(1, 30);
		const first = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: ids,
			typeCode: "sick",
			remark: "",
			clientKey: key(),
		});
		expect(first.ok).toBe(true);
		expect((await withdrawLeave({ db, now: NOW }, me, klass, first.ok ? first.requestId : 0)).ok).toBe(true);
		const again = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: ids,
			typeCode: "personal",
			remark: "",
			clientKey: key(),
		});
		expect(again.ok).toBe(true);
	});

	it("refuses a full-absence type for a session the trainee checked in to, and 遲到 without a late check-in", async () => {
		const attended = await db
			.select()
			.from(attendance)
			.innerJoin(sessions, eq(sessions.id, attendance.sessionId))
			.where(
				and(
					eq(sessions.classId, klass.id),
					isNotNull(attendance.checkInAt),
					lt(sessions.startsAt, NOW),
					eq(attendance.role, "trainee"),
					eq(attendance.status, "present"),
				),
			)
			.orderBy(asc(sessions.startsAt))
			.limit(1)
			.get();
		const when = (attended?.sessions.startsAt ?? 0) + 86_400_000;
		const me = attended?.attendance.personId as number;
		const sick = await submitLeave({ db, now: when }, me, klass, {
			sessionIds: [attended?.sessions.id as number],
			typeCode: "sick",
			remark: "",
			clientKey: key(),
		});
		expect(sick).toMatchObject({
			ok: false,
			code: "LEAVE_NOT_ALLOWED",
			problems: [expect.objectContaining({ code: "ATTENDED_SESSION" })],
		});
		const late = await submitLeave({ db, now: when }, me, klass, {
			sessionIds: [attended?.sessions.id as number],
			typeCode: "late",
			remark: "",
			clientKey: key(),
		});
		expect(late).toMatchObject({
			ok: false,
			problems: [expect.objectContaining({ code: "NO_LATE_CHECK_IN" })],
		});
	});

	it("refuses sessions of another class and back-dating beyond the plan's limit", async () => {
		const other = await db.select().from(classes).where(eq(classes.code, "DEMO-115-02")).get();
		const foreign = await db
			.select()
			.from(sessions)
			.where(eq(sessions.classId, other?.id ?? -1))
			.limit(1)
			.get();
		const me = person();
		const r1 = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: [foreign?.id as number],
			typeCode: "sick",
			remark: "",
			clientKey: key(),
		});
		expect(r1).toMatchObject({
			ok: false,
			problems: [expect.objectContaining({ code: "SESSION_NOT_IN_CLASS" })],
		});

		// A session exactly 8 days back in Taipei, asked at 00:30 Taipei (the previous UTC day).
		const target = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), lt(sessions.startsAt, NOW - 20 * 86_400_000)))
			.orderBy(asc(sessions.startsAt))
			.limit(1)
			.get();
		const s = target as typeof sessions.$inferSelect;
		const atLimit = taipeiInstant(addDays(s.date, 7), "00:30");
		const beyond = taipeiInstant(addDays(s.date, 8), "00:30");
		const absent = trainees[1] as number;
		const okBack = await submitLeave({ db, now: atLimit }, absent, klass, {
			sessionIds: [s.id],
			typeCode: "official",
			remark: "",
			clientKey: key(),
		});
		const tooFar = await submitLeave({ db, now: beyond }, absent, klass, {
			sessionIds: [s.id],
			typeCode: "official",
			remark: "",
			clientKey: key(),
		});
		expect(tooFar).toMatchObject({
			ok: false,
			problems: expect.arrayContaining([expect.objectContaining({ code: "TOO_FAR_BACK" })]),
		});
		expect("problems" in okBack ? okBack.problems.map((p) => p.code) : []).not.toContain("TOO_FAR_BACK");
	});
});

describe("withdrawing (銷假)", () => {
	it("is allowed until 23:59:59 Taipei of the 7th day after the last leave date, not a second later", async () => {
		const me = person();
		const ids = await future(1, 40);
		const filed = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: ids,
			typeCode: "sick",
			remark: "",
			clientKey: key(),
		});
		const id = filed.ok ? filed.requestId : 0;
		const [view] = await myLeaveRequests({ db, now: NOW }, me, klass);
		const deadline = taipeiInstant(addDays(view?.lastDate ?? "", 8), "00:00");
		expect(new Date(deadline).toISOString().slice(11, 19)).toBe("16:00:00");
		expect(await withdrawLeave({ db, now: deadline }, me, klass, id)).toMatchObject({
			ok: false,
			code: "WITHDRAW_WINDOW_PASSED",
		});
		expect(await withdrawLeave({ db, now: deadline - 1000 }, me, klass, id)).toEqual({ ok: true });
		expect(await withdrawLeave({ db, now: deadline - 500 }, me, klass, id)).toMatchObject({
			ok: false,
			code: "LEAVE_NOT_PENDING",
		});
		const [after] = await myLeaveRequests({ db, now: NOW }, me, klass);
		expect(after).toMatchObject({ status: "cancelled", statusLabel: "已銷假", withdrawUntil: null });
	});

	it("refuses another trainee's request as not found", async () => {
		const me = person();
		const filed = await submitLeave({ db, now: NOW }, me, klass, {
			sessionIds: await future(1, 45),
			typeCode: "sick",
			remark: "",
			clientKey: key(),
		});
		const someoneElse = person();
		expect(
			await withdrawLeave({ db, now: NOW }, someoneElse, klass, filed.ok ? filed.requestId : 0),
		).toMatchObject({ ok: false, code: "NOT_FOUND" });
	});
});

describe("請假節次 of a trainee with many requests", () => {
	it("lists more than 100 of them (D1 binds at most 100 parameters per statement)", async () => {
		const me = person();
		const [first] = await future(1, 30);
		const rows = Array.from({ length: 120 }, (_, i) => ({
			personId: me,
			classId: klass.id,
			unitId: klass.unitId,
			leaveTypeCode: "personal",
			status: "rejected" as const,
			firstDate: "2026-11-20",
			lastDate: "2026-11-20",
			hours: 3,
			idempotencyKey: `many-${i}-${key()}`,
			submittedAt: NOW - i * 60_000,
			updatedAt: 1,
		}));
		for (let i = 0; i < rows.length; i += 5) await db.insert(leaveRequests).values(rows.slice(i, i + 5));
		const newest = await db
			.select({ id: leaveRequests.id })
			.from(leaveRequests)
			.where(and(eq(leaveRequests.personId, me), eq(leaveRequests.submittedAt, NOW)))
			.get();
		await db
			.insert(leaveRequestSessions)
			.values({ leaveRequestId: newest?.id ?? 0, sessionId: first as number, personId: me, active: null });
		const list = await myLeaveRequests({ db, now: NOW }, me, klass);
		expect(list).toHaveLength(120);
		expect(list[0]?.sessions).toHaveLength(1);
	});
});
