// 設定 (agency only): a plan's settings and leave types edited through the dashboard, saved and
// audited in one batch; refused input shown again with a message per field and nothing changed;
// unit members answered 404; and the rules the settings govern use the new values.
import { env, runInDurableObject } from "cloudflare:test";
import { and, asc, count, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
	attendance,
	auditLog,
	leaveRequestSessions,
	leaveRequests,
	planLeaveTypes,
	plans,
	sessions,
	staff,
} from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiInstant } from "../../src/domain/taipei-time";
import type { SessionRoom } from "../../src/durable/session-room";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { myLeaveRequests, submitLeave, withdrawLeave } from "../../src/services/leave-requests";
import { punchWithSessionCode, roomOf } from "../../src/services/punch";
import { traineeClass } from "../../src/services/trainee-class";
import { signedIn } from "./admin-helpers";
import { routeLineToEmulator } from "./dev-server";
import { enrollNewTrainee, insertFixtureSession, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);
const MIN = 60_000;
const AGENCY = "admin@agency.example";

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** A plan of its own (fixture unit, class, trainee, session on 2026-12-03) offering 病假 and 事假. */
async function planFixture() {
	const f = await insertFixtureSession(db, "2026-12-03");
	await db.insert(planLeaveTypes).values([
		{ planId: f.planId, leaveTypeCode: "sick" },
		{ planId: f.planId, leaveTypeCode: "personal" },
	]);
	return f;
}

/** The form as the page shows a plan with the manual's defaults, 病假 and 事假 ticked. */
const FORM: Record<string, string | string[]> = {
	lateGraceMinutes: "10",
	earlyLeaveGraceMinutes: "10",
	checkInOpensMinutes: "30",
	checkOutClosesMinutes: "60",
	qrRotationSeconds: "15",
	cancelWindowDays: "7",
	revokeWindowDays: "14",
	backdateLimitDays: "7",
	reviewWindowDays: "14",
	advanceNoticeDays: "3",
	leaveHoursWarningPercent: "10",
	leaveTypes: ["sick", "personal"],
};

/** Everything of a plan a save could change, and its audit entries. */
async function planState(planId: number) {
	const [plan, types, audits] = await Promise.all([
		db.select().from(plans).where(eq(plans.id, planId)).get(),
		db
			.select({ code: planLeaveTypes.leaveTypeCode })
			.from(planLeaveTypes)
			.where(eq(planLeaveTypes.planId, planId))
			.orderBy(asc(planLeaveTypes.leaveTypeCode)),
		db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, "plan"), eq(auditLog.entityId, String(planId))))
			.orderBy(asc(auditLog.id)),
	]);
	return { plan, types: types.map((t) => t.code), audits };
}

async function save(planId: number, changes: Record<string, string | string[]>) {
	const agency = await signedIn(AGENCY);
	return agency.post(`/admin/settings/plans/${planId}`, { ...FORM, ...changes });
}

describe("設定 in the menu and the plan list", () => {
	it("is the agency admin's: the menu shows it and the list shows every plan", async () => {
		const f = await planFixture();
		const agency = await signedIn(AGENCY);
		const home = await (await agency.get("/admin")).text();
		expect(home).toContain('href="/admin/settings"');
		const res = await agency.get("/admin/settings");
		expect(res.status).toBe(200);
		const body = await res.text();
		expect(body).toContain(`href="/admin/settings/plans/${f.planId}"`);
		expect(body).toContain("測試計畫");
		expect(body).toContain("病假、事假");
		expect(body).toContain("10%");
	});

	it.each(["north.admin@unit.example", "north.clerk@unit.example"])("is not in %s's menu", async (email) => {
		const member = await signedIn(email);
		const home = await (await member.get("/admin")).text();
		expect(home).not.toContain('href="/admin/settings"');
		expect(home).not.toContain(">設定<");
	});
});

describe("the agency edits a plan", () => {
	it("saves the values and the leave types, audits before and after, and shows them with a notice", async () => {
		const f = await planFixture();
		const agencyId = (await db.select().from(staff).where(eq(staff.email, AGENCY)).get())?.id;
		const res = await save(f.planId, {
			lateGraceMinutes: "5",
			qrRotationSeconds: "30",
			cancelWindowDays: "3",
			leaveHoursWarningPercent: "12.5",
			leaveTypes: ["sick", "official"],
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe(`/admin/settings/plans/${f.planId}?saved=1`);

		const state = await planState(f.planId);
		expect(state.plan).toMatchObject({
			lateGraceMinutes: 5,
			qrRotationSeconds: 30,
			cancelWindowDays: 3,
			leaveHoursWarningRatio: 0.125,
			revokeWindowDays: 14,
		});
		expect(state.types).toEqual(["official", "sick"]);
		expect(state.audits).toHaveLength(1);
		const [entry] = state.audits;
		expect(entry).toMatchObject({
			action: "plan.settings_updated",
			actorType: "staff",
			actorId: String(agencyId),
		});
		expect(JSON.parse(entry?.before ?? "")).toMatchObject({
			settings: {
				lateGraceMinutes: 10,
				qrRotationSeconds: 15,
				cancelWindowDays: 7,
				leaveHoursWarningRatio: 0.1,
			},
			leaveTypes: ["sick", "personal"],
		});
		expect(JSON.parse(entry?.after ?? "")).toMatchObject({
			settings: {
				lateGraceMinutes: 5,
				qrRotationSeconds: 30,
				cancelWindowDays: 3,
				leaveHoursWarningRatio: 0.125,
			},
			leaveTypes: ["sick", "official"],
		});

		const agency = await signedIn(AGENCY);
		const page = await (await agency.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("設定已儲存");
		expect(page).toContain('name="lateGraceMinutes" value="5"');
		expect(page).toContain('name="leaveHoursWarningPercent" value="12.5"');
		expect(page).toMatch(/value="official" checked/);
		expect(page).not.toMatch(/value="personal" checked/);
		for (const legend of ["<legend>出勤</legend>", "<legend>請假</legend>", "<legend>假別</legend>"])
			expect(page).toContain(legend);
		// The rule in the manual's words beside its field.
		expect(page).toContain("手冊：請假 7 天後");
	});

	it("writes nothing when nothing was changed", async () => {
		const f = await planFixture();
		const before = await planState(f.planId);
		const res = await save(f.planId, {});
		expect(res.headers.get("location")).toBe(`/admin/settings/plans/${f.planId}?saved=0`);
		expect(await planState(f.planId)).toEqual(before);
	});

	it.each<{ why: string; changes: Record<string, string | string[]>; message: string; shown: string }>([
		{
			why: "a negative grace",
			changes: { lateGraceMinutes: "-1" },
			message: "請填 0–60 的整數（分鐘）",
			shown: 'name="lateGraceMinutes" value="-1"',
		},
		{
			why: "a ratio of 0%",
			changes: { leaveHoursWarningPercent: "0" },
			message: "請填 0.1–100 之間的數字，例如 10 表示 10%",
			shown: 'name="leaveHoursWarningPercent" value="0"',
		},
		{
			why: "a ratio of 150%",
			changes: { leaveHoursWarningPercent: "150" },
			message: "請填 0.1–100 之間的數字，例如 10 表示 10%",
			shown: 'name="leaveHoursWarningPercent" value="150"',
		},
		{
			why: "text for a number",
			changes: { qrRotationSeconds: "abc" },
			message: "請填 5–300 的整數（秒）",
			shown: 'name="qrRotationSeconds" value="abc"',
		},
		{
			why: "a QR rotation under 5 s",
			changes: { qrRotationSeconds: "4" },
			message: "請填 5–300 的整數（秒）",
			shown: 'name="qrRotationSeconds" value="4"',
		},
		{
			why: "a fraction of a day",
			changes: { cancelWindowDays: "2.5" },
			message: "請填 0–60 的整數（天）",
			shown: 'name="cancelWindowDays" value="2.5"',
		},
		{
			why: "an empty field",
			changes: { revokeWindowDays: "" },
			message: "這一欄必填：請填 0–90 的整數（天）",
			shown: 'name="revokeWindowDays" value=""',
		},
		{
			why: "no leave type",
			changes: { leaveTypes: [] },
			message: "至少要啟用一種假別",
			// Every box shown unticked, as sent.
			shown: 'value="sick"/>病假',
		},
		{
			why: "an unknown leave type",
			changes: { leaveTypes: ["sick", "holiday"] },
			message: "沒有這種假別",
			shown: 'value="sick" checked',
		},
		{
			why: "a review window shorter than back-dating",
			changes: { reviewWindowDays: "3", backdateLimitDays: "7" },
			message: "審核期限不能短於可補請假天數",
			shown: 'name="reviewWindowDays" value="3"',
		},
	])(
		"refuses $why with a message beside the field and changes nothing",
		async ({ changes, message, shown }) => {
			const f = await planFixture();
			const before = await planState(f.planId);
			const res = await save(f.planId, { lateGraceMinutes: "5", ...changes });
			expect(res.status).toBe(400);
			const body = await res.text();
			expect(body).toContain(message);
			expect(body).toContain('class="field-error"');
			expect(body).toContain("設定尚未儲存");
			// What was typed is shown again (the valid change too), not what is stored.
			expect(body).toContain(shown);
			if (!("lateGraceMinutes" in changes)) expect(body).toContain('name="lateGraceMinutes" value="5"');
			expect(await planState(f.planId)).toEqual(before);
		},
	);

	it("refuses a form with a field left out", async () => {
		const f = await planFixture();
		const before = await planState(f.planId);
		const { cancelWindowDays: _left, ...rest } = FORM;
		const agency = await signedIn(AGENCY);
		const res = await agency.post(`/admin/settings/plans/${f.planId}`, rest);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("這一欄必填：請填 0–60 的整數（天）");
		expect(await planState(f.planId)).toEqual(before);
	});

	it("answers 404 for a plan that does not exist", async () => {
		const agency = await signedIn(AGENCY);
		expect((await agency.get("/admin/settings/plans/999999")).status).toBe(404);
		expect((await agency.post("/admin/settings/plans/999999", FORM)).status).toBe(404);
	});
});

describe("unit members", () => {
	const routes = [
		{ route: "GET /admin/settings", send: (t: Tab) => t.get("/admin/settings") },
		{
			route: "GET /admin/settings/plans/:id",
			send: (t: Tab, id: number) => t.get(`/admin/settings/plans/${id}`),
		},
		{
			route: "POST /admin/settings/plans/:id",
			send: (t: Tab, id: number) => t.post(`/admin/settings/plans/${id}`, { ...FORM, lateGraceMinutes: "0" }),
		},
		{
			route: "POST /admin/settings/plans",
			send: (t: Tab) =>
				t.post("/admin/settings/plans", { code: `UNIT-${uniqueSuffix()}`, name: "單位自建計畫" }),
		},
	];
	it.each(
		["north.admin@unit.example", "north.clerk@unit.example"].flatMap((email) =>
			routes.map((r) => ({ email, ...r })),
		),
	)("$email: $route answers 404 and changes nothing", async ({ email, send }) => {
		const f = await planFixture();
		const before = await planState(f.planId);
		const plansBefore = await db.select({ n: count() }).from(plans).get();
		const member = await signedIn(email);
		const res = await send(member, f.planId);
		expect(res.status).toBe(404);
		const body = await res.text();
		expect(body).toContain("找不到");
		expect(body).not.toContain("測試計畫");
		expect(await planState(f.planId)).toEqual(before);
		expect(await db.select({ n: count() }).from(plans).get()).toEqual(plansBefore);
	});
});
type Tab = Awaited<ReturnType<typeof signedIn>>;

describe("a new plan", () => {
	it("starts with the manual's settings and all ten leave types, audited", async () => {
		const agency = await signedIn(AGENCY);
		const code = `NEW-${uniqueSuffix()}`;
		const res = await agency.post("/admin/settings/plans", { code, name: "新的<計畫>" });
		expect(res.status).toBe(303);
		const plan = await db.select().from(plans).where(eq(plans.code, code)).get();
		expect(res.headers.get("location")).toBe(`/admin/settings/plans/${plan?.id}?saved=created`);
		expect(plan).toMatchObject({
			name: "新的<計畫>",
			lateGraceMinutes: 10,
			cancelWindowDays: 7,
			revokeWindowDays: 14,
			advanceNoticeDays: 3,
			leaveHoursWarningRatio: 0.1,
			qrRotationSeconds: 15,
		});
		const state = await planState(plan?.id ?? 0);
		expect(state.types).toHaveLength(10);
		expect(state.audits).toMatchObject([{ action: "plan.created", actorType: "staff" }]);
		const page = await (await agency.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("已新增計畫");
		expect(page).toContain("新的&lt;計畫&gt;");
	});

	it.each([
		{
			why: "a code already used",
			form: { code: "PLAN-PRE", name: "重複" },
			message: "計畫代碼「PLAN-PRE」已經有計畫使用了",
		},
		{
			why: "a code with spaces",
			form: { code: "計畫 1", name: "新計畫" },
			message: "計畫代碼只能用英文字母、數字、- 或 _",
		},
		{ why: "no name", form: { code: `X-${uniqueSuffix()}`, name: " " }, message: "請填寫計畫名稱" },
	])("is refused for $why, with the typed values kept", async ({ form, message }) => {
		const before = await db.select({ n: count() }).from(plans).get();
		const agency = await signedIn(AGENCY);
		const res = await agency.post("/admin/settings/plans", form);
		expect(res.status).toBe(400);
		const body = await res.text();
		expect(body).toContain(message);
		expect(body).toContain(`value="${form.code}"`);
		expect(await db.select({ n: count() }).from(plans).get()).toEqual(before);
	});
});

describe("what a change means for data already there", () => {
	it("keeps requests of a disabled leave type: shown by name, reviewable; new ones are refused", async () => {
		const f = await planFixture();
		const now = taipeiInstant("2026-12-02", "10:00");
		const request = await db
			.insert(leaveRequests)
			.values({
				personId: f.personId,
				classId: f.classId,
				unitId: f.unitId,
				leaveTypeCode: "personal",
				firstDate: f.date,
				lastDate: f.date,
				hours: 3,
				idempotencyKey: crypto.randomUUID(),
				submittedAt: now,
				updatedAt: now,
			})
			.returning()
			.get();
		await db
			.insert(leaveRequestSessions)
			.values({ leaveRequestId: request.id, sessionId: f.sessionId, personId: f.personId, active: 1 });

		expect((await save(f.planId, { leaveTypes: ["sick"] })).status).toBe(303);

		// The trainee's 請假節次 and the unit's page still show 事假.
		const klass = await traineeClass(db, f.personId, "2026-12-02");
		if (!klass) throw new Error("the fixture trainee has a class");
		const mine = await myLeaveRequests({ db, now }, f.personId, klass);
		expect(mine).toMatchObject([{ id: request.id, typeName: "事假", status: "pending" }]);
		const agency = await signedIn(AGENCY);
		const detail = await agency.get(`/admin/leave/${request.id}`);
		expect(detail.status).toBe(200);
		expect(await detail.text()).toContain("事假");

		// A new 事假 is refused with the reason; the pending one can still be approved.
		const second = await db
			.insert(sessions)
			.values({
				classId: f.classId,
				date: "2026-12-04",
				startsAt: taipeiInstant("2026-12-04", "09:00"),
				endsAt: taipeiInstant("2026-12-04", "12:00"),
				hours: 3,
				subject: "測試課程二",
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		const refused = await submitLeave({ db, now }, f.personId, klass, {
			sessionIds: [second.id],
			typeCode: "personal",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		expect(refused).toMatchObject({ ok: false, problems: [{ code: "TYPE_NOT_ENABLED" }] });
		const review = await agency.post("/admin/leave/review", {
			ids: [String(request.id)],
			decision: "approved",
		});
		expect(review.status).toBe(303);
		expect(new URL(review.headers.get("location") ?? "", "https://x").searchParams.get("done")).toBe("1");
		expect(
			(await db.select().from(leaveRequests).where(eq(leaveRequests.id, request.id)).get())?.status,
		).toBe("approved");
	});
});

describe("the rules use the new values", () => {
	const extraTrainee = async (classId: number) => (await enrollNewTrainee(db, classId, "另一位學員")).id;
	const checkIn = async (sessionId: number, personId: number, at: number) =>
		punchWithSessionCode(
			{ db, rooms: env.SESSION_ROOM, qrKey: env.QR_SIGNING_KEY, now: at },
			{ personId, role: "trainee" },
			"check_in",
			{ token: (await mintSessionQrToken(env.QR_SIGNING_KEY, sessionId, at)).token },
		);
	const statusOf = async (sessionId: number, personId: number) =>
		(
			await db
				.select({ status: attendance.status })
				.from(attendance)
				.where(and(eq(attendance.sessionId, sessionId), eq(attendance.personId, personId)))
				.get()
		)?.status;

	it("a shorter 遲到寬限 makes the next check-in 8 minutes after the start late; an open room within a minute", async () => {
		const f = await planFixture();
		const late = await extraTrainee(f.classId);
		const start = taipeiInstant(f.date, "09:00");
		// With the manual's 10 minutes, 8 minutes after the start is on time (and the room has read the plan).
		expect(await checkIn(f.sessionId, f.personId, start + 8 * MIN)).toMatchObject({
			ok: true,
			timing: "on_time",
		});
		expect(await statusOf(f.sessionId, f.personId)).toBe("present");

		expect((await save(f.planId, { lateGraceMinutes: "5" })).status).toBe(303);

		// A session whose room has not read the plan yet uses 5 minutes at once.
		const next = await db
			.insert(sessions)
			.values({
				classId: f.classId,
				date: "2026-12-04",
				startsAt: taipeiInstant("2026-12-04", "09:00"),
				endsAt: taipeiInstant("2026-12-04", "12:00"),
				hours: 3,
				subject: "測試課程二",
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		expect(await checkIn(next.id, f.personId, next.startsAt + 8 * MIN)).toMatchObject({
			ok: true,
			timing: "late",
		});
		expect(await statusOf(next.id, f.personId)).toBe("late");

		// The open room re-reads its plan once the minute it trusts what it read is over.
		const room = roomOf(env.SESSION_ROOM, f.sessionId);
		await runInDurableObject(room, (instance: SessionRoom) => {
			const held = instance as unknown as { context: { loadedAt: number } | null };
			if (held.context) held.context.loadedAt -= 60_000;
		});
		expect(await checkIn(f.sessionId, late, start + 8 * MIN)).toMatchObject({ ok: true, timing: "late" });
		expect(await statusOf(f.sessionId, late)).toBe("late");
		// What was recorded before the change stays as it was.
		expect(await statusOf(f.sessionId, f.personId)).toBe("present");
	});

	it("a shorter 銷假 window ends at 24:00 Taipei of its last day, in the UTC day before", async () => {
		const f = await planFixture();
		const pending = async () => {
			const r = await db
				.insert(leaveRequests)
				.values({
					personId: f.personId,
					classId: f.classId,
					unitId: f.unitId,
					leaveTypeCode: "sick",
					firstDate: f.date,
					lastDate: f.date,
					hours: 3,
					idempotencyKey: crypto.randomUUID(),
					submittedAt: 1,
					updatedAt: 1,
				})
				.returning()
				.get();
			return r.id;
		};
		const [first, second] = [await pending(), await pending()];
		expect((await save(f.planId, { cancelWindowDays: "3" })).status).toBe(303);
		const klass = await traineeClass(db, f.personId, "2026-12-06");
		if (!klass) throw new Error("the fixture trainee has a class");

		// 2026-12-07 00:30 Taipei is still 2026-12-06 in UTC: past the 3 days (it was within 7).
		const justAfter = taipeiInstant("2026-12-07", "00:30");
		expect(new Date(justAfter).toISOString().slice(0, 10)).toBe("2026-12-06");
		expect(await withdrawLeave({ db, now: justAfter }, f.personId, klass, first)).toMatchObject({
			ok: false,
			code: "WITHDRAW_WINDOW_PASSED",
			message: "已超過可自行銷假的期限（請假 3 天後或結訓後），請聯繫訓練單位。",
		});
		const lastMinute = taipeiInstant("2026-12-06", "23:59");
		expect(await withdrawLeave({ db, now: lastMinute }, f.personId, klass, second)).toEqual({ ok: true });
	});
});
