// The demo data set: complete, realistic, anchored on the Taipei "today", and idempotent.
import { env } from "cloudflare:test";
import { count, eq, getTableName, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as t from "../../src/db/schema";
import { DEMO_LINE_USERS, DEMO_PASSWORD, type DemoSeedResult, seedDemoData } from "../../src/demo/seed";
import { LEAVE_STATUSES } from "../../src/domain/leave-status";
import { taipeiDate, taipeiInstant, weekdayOf } from "../../src/domain/taipei-time";
import { verifyPassword } from "../../src/services/password";
import { unitAlerts } from "../../src/services/unit-alerts";

const db = createDb(env.DB);
// 02:30 on Friday 2026-12-04 in Taipei, still Thursday 2026-12-03 in UTC.
const NOW = Date.parse("2026-12-03T18:30:00Z");
let first: DemoSeedResult;

const tableCounts = async () =>
	Object.fromEntries(
		await Promise.all(
			[
				t.people,
				t.classes,
				t.sessions,
				t.enrollments,
				t.leaveRequests,
				t.attendance,
				t.punches,
				t.staff,
				t.lineBindings,
			].map(
				async (table) =>
					[getTableName(table), (await db.select({ n: count() }).from(table).get())?.n] as const,
			),
		),
	);

beforeAll(async () => {
	first = await seedDemoData(db, { now: NOW, piiKey: env.PII_HMAC_KEY });
});

describe("demo data", () => {
	it("uses the Taipei date as today, even in the hours when UTC is still on the previous day", () => {
		expect(first.firstRun).toBe(true);
		expect(first.anchorDate).toBe("2026-12-04");
	});

	it("has three classes: one running today, one upcoming, one ended", async () => {
		const classes = await db.select().from(t.classes).orderBy(t.classes.startDate);
		const today = first.anchorDate;
		expect(classes).toHaveLength(3);
		expect(classes.filter((c) => c.startDate <= today && today <= c.endDate)).toHaveLength(1);
		expect(classes.filter((c) => c.startDate > today)).toHaveLength(1);
		expect(classes.filter((c) => c.endDate < today)).toHaveLength(1);
	});

	it("offers all ten leave types of the manual in one plan and six of them in the other", async () => {
		const rows = await db
			.select({ plan: t.plans.code, leaveType: t.leaveTypes.name })
			.from(t.planLeaveTypes)
			.innerJoin(t.plans, eq(t.planLeaveTypes.planId, t.plans.id))
			.innerJoin(t.leaveTypes, eq(t.planLeaveTypes.leaveTypeCode, t.leaveTypes.code))
			.orderBy(t.plans.code, t.leaveTypes.sortOrder);
		const byPlan: Record<string, string[]> = {};
		for (const r of rows) byPlan[r.plan] = [...(byPlan[r.plan] ?? []), r.leaveType];
		expect(byPlan).toEqual({
			// 職前訓練計畫: the manual's ten, in its order.
			"PLAN-PRE": [
				"病假",
				"事假",
				"公假",
				"曠課",
				"喪假",
				"遲到",
				"未打卡",
				"防疫隔離假",
				"核酸檢測假",
				"疫苗接種假",
			],
			// 在職進修訓練計畫: no 曠課 and none of the three epidemic-prevention types.
			"PLAN-INS": ["病假", "事假", "公假", "喪假", "遲到", "未打卡"],
		});
	});

	it("has 30 trainees in the running class, one of them also a teacher", async () => {
		const running = await db.select().from(t.classes).where(eq(t.classes.code, "DEMO-115-01")).get();
		const roster = await db
			.select()
			.from(t.enrollments)
			.where(eq(t.enrollments.classId, running?.id ?? -1));
		expect(roster).toHaveLength(30);
		const teachers = await db.selectDistinct({ personId: t.classTeachers.personId }).from(t.classTeachers);
		expect(teachers).toHaveLength(3);
		expect(roster.filter((r) => teachers.some((x) => x.personId === r.personId))).toHaveLength(1);
	});

	it("schedules weekday sessions 09:00–12:00 and 13:00–16:00 Taipei, and sessions today", async () => {
		const sessions = await db.select().from(t.sessions);
		for (const s of sessions) {
			expect([taipeiInstant(s.date, "09:00"), taipeiInstant(s.date, "13:00")]).toContain(s.startsAt);
			expect(s.endsAt - s.startsAt).toBe(3 * 3_600_000);
			if (s.date !== first.anchorDate) expect([0, 6]).not.toContain(weekdayOf(s.date));
		}
		expect(sessions.filter((s) => s.date === first.anchorDate)).toHaveLength(2);
	});

	it("has leave requests in every status, each holding its sessions only while active", async () => {
		const requests = await db.select().from(t.leaveRequests);
		expect(new Set(requests.map((r) => r.status))).toEqual(new Set(LEAVE_STATUSES));
		const covered = await db.select().from(t.leaveRequestSessions);
		for (const r of requests) {
			const active = r.status === "pending" || r.status === "approved" ? 1 : null;
			const mine = covered.filter((c) => c.leaveRequestId === r.id);
			expect(mine.length).toBeGreaterThan(0);
			expect(mine.every((c) => c.active === active)).toBe(true);
		}
	});

	it("gives 今日 a trainee whose approved leave nears the plan's limit", async () => {
		const north = await db.select().from(t.units).where(eq(t.units.code, "DEMO-N")).get();
		const alerts = await unitAlerts(db, north?.id ?? -1, taipeiDate(NOW), [], NOW);
		expect(alerts.leaveHours.items).toEqual([
			expect.objectContaining({ classCode: "DEMO-115-01", approvedHours: 39, threshold: 48, level: "near" }),
		]);
	});

	it("has punches and attendance only for sessions that have started", async () => {
		const late = await db
			.select({ n: count() })
			.from(t.punches)
			.innerJoin(t.sessions, eq(t.punches.sessionId, t.sessions.id))
			.where(sql`${t.sessions.startsAt} > ${NOW}`)
			.get();
		expect(late?.n).toBe(0);
		const statuses = await db.selectDistinct({ status: t.attendance.status }).from(t.attendance);
		expect(statuses.map((s) => s.status)).toEqual(
			expect.arrayContaining(["present", "late", "absent", "leave"]),
		);
	});

	it("stores no national ID in clear, only HMACs and masked forms", async () => {
		const people = await db.select().from(t.people);
		expect(people.length).toBeGreaterThan(50);
		const dump = JSON.stringify(people);
		expect(dump).not.toContain(first.bindingExample.nationalId);
		for (const p of people) expect(p.nationalIdMasked).toMatch(/^[A-Z][A-Z0-9]{2}\*{4}\d{3}$/);
	});

	it("has staff for the agency and both units who can sign in with the printed password", async () => {
		const staff = await db.select().from(t.staff);
		expect(staff.map((s) => s.role).sort()).toEqual([
			"agency_admin",
			"unit_admin",
			"unit_admin",
			"unit_staff",
		]);
		const admin = staff.find((s) => s.email === first.logins[0]?.email);
		expect(await verifyPassword(DEMO_PASSWORD, admin?.passwordHash ?? "")).toBe(true);
		expect(await verifyPassword("wrong password", admin?.passwordHash ?? "")).toBe(false);
	});

	it("binds the demo LINE users: trainee, teacher, both roles; the unbound one has none", async () => {
		const rolesOf = async (userId: string) =>
			(await db.select().from(t.lineBindings).where(eq(t.lineBindings.lineUserId, userId)))
				.map((b) => b.role)
				.sort();
		expect(await rolesOf(DEMO_LINE_USERS.unbound)).toEqual([]);
		expect(await rolesOf(DEMO_LINE_USERS.trainee)).toEqual(["trainee"]);
		expect(await rolesOf(DEMO_LINE_USERS.teacher)).toEqual(["teacher"]);
		expect(await rolesOf(DEMO_LINE_USERS.both)).toEqual(["teacher", "trainee"]);
		const example = await db
			.select()
			.from(t.people)
			.where(eq(t.people.email, first.bindingExample.email))
			.get();
		expect(example?.name).toBe(first.bindingExample.name);
	});

	it("writes nothing on a second run, even on a later day", async () => {
		const before = await tableCounts();
		const again = await seedDemoData(db, { now: NOW + 3 * 86_400_000, piiKey: env.PII_HMAC_KEY });
		expect(again.firstRun).toBe(false);
		expect(again.anchorDate).toBe("2026-12-04");
		expect(Object.keys(before)).toHaveLength(9);
		expect(await tableCounts()).toEqual(before);
	});
});
