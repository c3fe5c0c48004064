// Fault: D1 refuses one statement in the middle of a multi-row write. The failure is real — a
// trigger created in this test database only (never in the migrations) that aborts one chosen
// INSERT — and the writes are the product's own: a clerk's attendance correction (record, audit,
// manual punches) and a bulk leave approval (per request: status, audit, notice, attendance).
// Nothing may be half-written, and the clerk is told what happened.
import { env } from "cloudflare:test";
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
	attendance,
	auditLog,
	classes,
	leaveRequestSessions,
	leaveRequests,
	lineBindings,
	outbox,
	punches,
	sessions,
} from "../../src/db/schema";
import { addDays, taipeiDate } from "../../src/domain/taipei-time";
import { submitLeave } from "../../src/services/leave-requests";
import type { TraineeClass } from "../../src/services/trainee-class";
import { signedIn } from "./admin-helpers";
import { routeLineToEmulator } from "./dev-server";
import { enrollNewTrainee, seedRunningClass } from "./fixtures";

const db = createDb(env.DB);
const NOW = Date.now();
let klass: TraineeClass;
let trainees: number[];
beforeAll(async () => {
	({ klass, trainees } = await seedRunningClass(db, NOW, env.PII_HMAC_KEY));
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(async () => {
	vi.restoreAllMocks();
	await env.DB.exec("DROP TRIGGER IF EXISTS test_fault");
});

/** D1 aborts every INSERT into `table` that matches `when` (SQL over NEW), until afterEach drops it. */
const failInsertsInto = (table: string, when: string) =>
	env.DB.exec(
		`CREATE TRIGGER test_fault BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
	);

describe("a clerk's attendance correction", () => {
	it("writes neither the record nor its audit entry when a manual punch is refused, and works after", async () => {
		const running = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
		const session = (await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, running?.id ?? 0), isNull(sessions.cancelledAt)))
			.orderBy(asc(sessions.startsAt))
			.get()) as typeof sessions.$inferSelect;
		const person = await enrollNewTrainee(db, session.classId, "更正失敗生");
		const before = {
			sessionId: session.id,
			personId: person.id,
			role: "trainee" as const,
			checkInAt: session.startsAt + 20 * 60_000,
			checkInMethod: "session_qr" as const,
			status: "late" as const,
			updatedAt: 1,
		};
		await db.insert(attendance).values(before);
		const path = `/admin/sessions/${session.id}/punches/${person.id}/correct`;
		const form = { checkIn: "09:00", checkOut: "12:00", mark: "punches", reason: "打卡機故障，依簽到單更正" };
		const clerk = await signedIn("north.clerk@unit.example");
		const audits = () =>
			db
				.select()
				.from(auditLog)
				.where(
					and(eq(auditLog.entityType, "attendance"), eq(auditLog.entityId, `${session.id}:${person.id}`)),
				);
		const manual = () =>
			db
				.select()
				.from(punches)
				.where(and(eq(punches.personId, person.id), eq(punches.method, "manual")));

		// The second manual punch (the check-out) is the statement D1 refuses.
		await failInsertsInto("punches", `NEW.person_id = ${person.id} AND NEW.action = 'check_out'`);
		const failed = await clerk.post(path, form);
		expect(failed.status).toBe(500);
		expect(await failed.json()).toMatchObject({
			error: { code: "INTERNAL", message: expect.stringContaining("系統發生錯誤，請稍後再試") },
		});
		const row = await db
			.select()
			.from(attendance)
			.where(and(eq(attendance.sessionId, session.id), eq(attendance.personId, person.id)))
			.get();
		expect(row).toMatchObject({ ...before, correctedAt: null, correctionReason: null });
		expect(await audits()).toHaveLength(0);
		expect(await manual()).toHaveLength(0);

		await env.DB.exec("DROP TRIGGER test_fault");
		expect((await clerk.post(path, form)).status).toBe(303);
		const fixed = await db
			.select()
			.from(attendance)
			.where(and(eq(attendance.sessionId, session.id), eq(attendance.personId, person.id)))
			.get();
		expect(fixed).toMatchObject({ status: "present", checkInMethod: "manual", checkOutMethod: "manual" });
		expect(await audits()).toHaveLength(1);
		expect((await manual()).map((p) => p.action).sort()).toEqual(["check_in", "check_out"]);
	});
});

describe("a bulk leave approval", () => {
	/** Pending requests of three trainees, one of them on a session already missed (曠課). */
	async function threeRequests() {
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
			);
		const future = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, klass.id), gt(sessions.startsAt, NOW)))
			.orderBy(asc(sessions.startsAt))
			.limit(40);
		const file = async (personId: number, sessionIds: number[]) => {
			const filed = await submitLeave({ db, now: NOW }, personId, klass, {
				sessionIds,
				typeCode: "official",
				remark: "",
				clientKey: crypto.randomUUID(),
			});
			return filed.ok ? filed.requestId : null;
		};
		let absentOne: { id: number; sessionId: number; personId: number } | null = null;
		for (const m of missed) {
			const id = await file(m.personId, [m.sessionId]);
			if (id) {
				absentOne = { id, ...m };
				break;
			}
		}
		if (!absentOne) throw new Error("no missed session to ask leave for");
		const others: number[] = [];
		for (const personId of trainees.slice(10)) {
			for (const s of future) {
				const id = await file(personId, [s.id]);
				if (id) {
					others.push(id);
					break;
				}
			}
			if (others.length === 2) break;
		}
		return { absentOne, poisoned: others[0] as number, third: others[1] as number };
	}

	it("approves the others and tells the clerk which failed when one request's write is refused", async () => {
		const r = await threeRequests();
		const ids = [r.absentOne.id, r.poisoned, r.third];
		// D1 refuses the approval's audit entry of the middle request: its status change must not stand alone.
		await failInsertsInto("audit_log", `NEW.entity_id = '${r.poisoned}' AND NEW.action = 'leave.approved'`);
		const clerk = await signedIn("north.clerk@unit.example");
		const res = await clerk.post("/admin/leave/review", {
			ids: ids.map(String),
			decision: "approved",
			remark: "",
			back: "/admin/leave",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/leave?done=2&failed=1");
		const page = await (await clerk.get(res.headers.get("location") ?? "")).text();
		expect(page).toMatch(/2 張.*1 張/s);

		const statusOf = new Map(
			(await db.select().from(leaveRequests).where(inArray(leaveRequests.id, ids))).map((q) => [
				q.id,
				q.status,
			]),
		);
		expect(ids.map((id) => statusOf.get(id))).toEqual(["approved", "pending", "approved"]);
		// The refused one: nothing of it written — no audit, no notice, its sessions still held.
		const auditsOf = (id: number) =>
			db
				.select()
				.from(auditLog)
				.where(
					and(
						eq(auditLog.entityType, "leave_request"),
						eq(auditLog.entityId, String(id)),
						eq(auditLog.action, "leave.approved"),
					),
				);
		expect(await auditsOf(r.poisoned)).toHaveLength(0);
		expect(
			await db
				.select()
				.from(outbox)
				.where(eq(outbox.dedupeKey, `leave:${r.poisoned}:approved`)),
		).toEqual([]);
		const held = await db
			.select()
			.from(leaveRequestSessions)
			.where(eq(leaveRequestSessions.leaveRequestId, r.poisoned));
		expect(held.every((h) => h.active === 1)).toBe(true);
		// The others: complete, and the missed session now reads 請假 instead of 曠課.
		for (const id of [r.absentOne.id, r.third]) expect(await auditsOf(id)).toHaveLength(1);
		const bound = await db
			.select({ personId: lineBindings.personId })
			.from(lineBindings)
			.where(eq(lineBindings.role, "trainee"));
		if (bound.some((b) => b.personId === r.absentOne.personId))
			expect(
				await db
					.select()
					.from(outbox)
					.where(eq(outbox.dedupeKey, `leave:${r.absentOne.id}:approved`)),
			).toHaveLength(1);
		const record = await db
			.select()
			.from(attendance)
			.where(
				and(eq(attendance.sessionId, r.absentOne.sessionId), eq(attendance.personId, r.absentOne.personId)),
			)
			.get();
		expect(record).toMatchObject({ status: "leave", leaveTypeCode: "official" });

		// D1 is well again: the clerk approves the one left, once.
		await env.DB.exec("DROP TRIGGER test_fault");
		const again = await clerk.post("/admin/leave/review", {
			ids: ids.map(String),
			decision: "approved",
			remark: "",
			back: "/admin/leave",
		});
		expect(again.headers.get("location")).toBe("/admin/leave?done=1&failed=2");
		expect(await auditsOf(r.poisoned)).toHaveLength(1);
		for (const id of [r.absentOne.id, r.third]) expect(await auditsOf(id)).toHaveLength(1);
	});
});
