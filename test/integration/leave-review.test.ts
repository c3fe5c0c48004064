// The unit's side of leave: bulk approval of 200 requests, rejection, revocation windows, the race
// with a withdraw, notices to the trainee, attendance following the decision, unit scoping.
import { env } from "cloudflare:test";
import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import {
	attendance,
	auditLog,
	leaveRequestSessions,
	leaveRequests,
	lineBindings,
	outbox,
	sessions,
	staff,
	units,
} from "../../src/db/schema";
import { DEMO_LINE_USERS } from "../../src/demo/seed";
import { revokeDeadline } from "../../src/domain/leave-policy";
import { addDays, taipeiDate } from "../../src/domain/taipei-time";
import { settingsOf } from "../../src/env";
import { submitLeave, withdrawLeave } from "../../src/services/leave-requests";
import { type Reviewer, reviewLeave, revokeLeave } from "../../src/services/leave-review";
import type { TraineeClass } from "../../src/services/trainee-class";
import { seedRunningClass } from "./fixtures";

const db = createDb(env.DB);
const NOW = Date.now();
const settings = settingsOf(env);
let klass: TraineeClass;
let trainees: number[];
let clerk: Reviewer;
let otherUnit: Reviewer;
let futureSessions: number[];

beforeAll(async () => {
	({ klass, trainees } = await seedRunningClass(db, NOW, env.PII_HMAC_KEY));
	const north = await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get();
	const south = await db.select().from(staff).where(eq(staff.email, "south.admin@unit.example")).get();
	clerk = { staffId: north?.id as number, unitId: north?.unitId as number };
	otherUnit = { staffId: south?.id as number, unitId: south?.unitId as number };
	futureSessions = (
		await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW)))
			.orderBy(asc(sessions.startsAt))
	).map((s) => s.id);
});

let slot = 0;
/** A new pending request of this trainee, on the next future session they have no leave on yet. */
async function pendingRequest(personIndex: number): Promise<number> {
	for (let tries = 0; tries < futureSessions.length; tries++) {
		const result = await submitLeave({ db, now: NOW }, trainees[personIndex] as number, klass, {
			sessionIds: [futureSessions[slot++ % futureSessions.length] as number],
			typeCode: "personal",
			remark: "家中有事",
			clientKey: crypto.randomUUID(),
		});
		if (result.ok) return result.requestId;
	}
	throw new Error("no free session left");
}

describe("approving and rejecting", () => {
	it("approves 200 requests in one call, each with its audit entry and one notice", async () => {
		const ids: number[] = [];
		for (let i = 0; ids.length < 200; i++) ids.push(await pendingRequest(10 + (i % 10)));
		const outcomes = await reviewLeave({ db, now: NOW + 1000, settings }, clerk, {
			ids,
			decision: "approved",
			remark: "准假",
		});
		expect(outcomes.filter((o) => o.ok)).toHaveLength(200);
		const rows = await db
			.select()
			.from(leaveRequests)
			.where(inArray(leaveRequests.id, ids.slice(0, 90)));
		expect(
			rows.every(
				(r) => r.status === "approved" && r.reviewerStaffId === clerk.staffId && r.reviewRemark === "准假",
			),
		).toBe(true);
		const audits = await db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, "leave.approved"), inArray(auditLog.entityId, ids.slice(0, 90).map(String))),
			);
		expect(audits).toHaveLength(90);
		// Approving again changes nothing and sends nothing more.
		const again = await reviewLeave({ db, now: NOW + 2000, settings }, clerk, {
			ids: ids.slice(0, 5),
			decision: "approved",
			remark: null,
		});
		expect(again.every((o) => !o.ok && o.code === "LEAVE_STATUS_CHANGED")).toBe(true);
	});

	it("notifies the trainee by LINE once, through the outbox", async () => {
		const traineePerson = await db
			.select()
			.from(lineBindings)
			.where(eq(lineBindings.lineUserId, DEMO_LINE_USERS.trainee))
			.get();
		const index = trainees.indexOf(traineePerson?.personId as number);
		const id = await pendingRequest(index);
		await reviewLeave({ db, now: NOW + 3000, settings }, clerk, {
			ids: [id],
			decision: "rejected",
			remark: "請補附證明",
		});
		const notices = await db
			.select()
			.from(outbox)
			.where(eq(outbox.dedupeKey, `leave:${id}:rejected`));
		expect(notices).toHaveLength(1);
		expect(notices[0]?.recipient).toBe(DEMO_LINE_USERS.trainee);
		expect(notices[0]?.payload).toContain("您的假單未通過");
		expect(notices[0]?.payload).toContain("請補附證明");
	});

	it("frees the sessions of a rejected request", async () => {
		const id = await pendingRequest(3);
		await reviewLeave({ db, now: NOW + 4000, settings }, clerk, {
			ids: [id],
			decision: "rejected",
			remark: "x",
		});
		const covered = await db
			.select()
			.from(leaveRequestSessions)
			.where(eq(leaveRequestSessions.leaveRequestId, id));
		expect(covered.every((c) => c.active === null)).toBe(true);
	});

	it("answers another unit's request as not found and changes nothing", async () => {
		const id = await pendingRequest(4);
		const [outcome] = await reviewLeave({ db, now: NOW, settings }, otherUnit, {
			ids: [id],
			decision: "approved",
			remark: null,
		});
		expect(outcome).toMatchObject({ ok: false, code: "NOT_FOUND" });
		expect((await db.select().from(leaveRequests).where(eq(leaveRequests.id, id)).get())?.status).toBe(
			"pending",
		);
	});

	it("ends a withdraw racing an approval in exactly one outcome", async () => {
		for (let round = 0; round < 5; round++) {
			const id = await pendingRequest(5 + round);
			const person = trainees[5 + round] as number;
			const [withdrawn, [reviewed]] = await Promise.all([
				withdrawLeave({ db, now: NOW }, person, klass, id),
				reviewLeave({ db, now: NOW + 10 + round, settings }, clerk, {
					ids: [id],
					decision: "approved",
					remark: null,
				}),
			]);
			const final = (await db.select().from(leaveRequests).where(eq(leaveRequests.id, id)).get())?.status;
			expect([withdrawn.ok, reviewed?.ok].filter(Boolean)).toHaveLength(1);
			expect(final).toBe(withdrawn.ok ? "cancelled" : "approved");
			const loser = withdrawn.ok ? reviewed : withdrawn;
			expect(loser).toMatchObject({ ok: false, status: final });
		}
	});
});

describe("revoking", () => {
	it("is allowed until 23:59:59 Taipei of the 14th day after the last leave date", async () => {
		const past = await db
			.select()
			.from(leaveRequests)
			.where(
				and(
					eq(leaveRequests.classId, klass.id),
					eq(leaveRequests.status, "approved"),
					lt(leaveRequests.lastDate, taipeiDate(NOW)),
				),
			)
			.get();
		if (!past) throw new Error("the demo has an approved past request");
		const deadline = revokeDeadline(past.lastDate, { revokeWindowDays: 14 });
		const late = await revokeLeave({ db, now: deadline, settings }, clerk, past.id, "經查有出席");
		expect(late).toMatchObject({ ok: false, code: "REVOKE_WINDOW_PASSED" });
		const before = await db.select().from(attendance).where(eq(attendance.personId, past.personId));
		const leaveRows = before.filter((a) => a.status === "leave");
		const inTime = await revokeLeave({ db, now: deadline - 1000, settings }, clerk, past.id, "經查有出席");
		expect(inTime).toEqual({ id: past.id, ok: true, status: "revoked" });
		// The sessions show what the punches say again.
		const after = await db
			.select()
			.from(attendance)
			.where(
				inArray(
					attendance.id,
					leaveRows.map((a) => a.id),
				),
			);
		expect(after.every((a) => a.status !== "leave" && a.leaveTypeCode === null)).toBe(true);
		expect(await revokeLeave({ db, now: deadline - 500, settings }, clerk, past.id, "again")).toMatchObject({
			ok: false,
			code: "LEAVE_NOT_APPROVED",
		});
	});

	it("shows approved leave as 請假 in attendance for a session that has started", async () => {
		// A recent session a trainee missed entirely (no punch): leave can still be asked for it.
		const missed = await db
			.select({ sessionId: attendance.sessionId, personId: attendance.personId })
			.from(attendance)
			.innerJoin(sessions, eq(sessions.id, attendance.sessionId))
			.where(
				and(
					eq(sessions.classId, klass.id),
					eq(attendance.status, "absent"),
					gt(sessions.date, addDays(taipeiDate(NOW), -6)),
				),
			)
			.all();
		for (const m of missed) {
			const filed = await submitLeave({ db, now: NOW }, m.personId, klass, {
				sessionIds: [m.sessionId],
				typeCode: "official",
				remark: "",
				clientKey: crypto.randomUUID(),
			});
			if (!filed.ok) continue;
			await reviewLeave({ db, now: NOW + 5000, settings }, clerk, {
				ids: [filed.requestId],
				decision: "approved",
				remark: null,
			});
			const row = await db
				.select()
				.from(attendance)
				.where(and(eq(attendance.sessionId, m.sessionId), eq(attendance.personId, m.personId)))
				.get();
			expect(row).toMatchObject({ status: "leave", leaveTypeCode: "official" });
			return;
		}
		throw new Error("no session without a check-in to ask leave for");
	});
});

describe("units", () => {
	it("exist for both demo units", async () => {
		expect(await db.select().from(units)).toHaveLength(2);
	});
});
