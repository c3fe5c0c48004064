// Demo data for development: two units, two plans, three classes (running, upcoming, ended),
// rosters, teachers, sessions around "today", leave in every status, punches and demo LINE users.
// Idempotent: every row is inserted-or-ignored on a natural key, and a completed run leaves a marker
// (with the "today" it used) after which further runs write nothing. Runs in workerd (tests) and in
// Node through wrangler's platform proxy (npm run seed).

import { and, eq, inArray, lte } from "drizzle-orm";
import { insertIgnoringStatements, runInBatches } from "../db/batch";
import type { Db } from "../db/client";
import * as t from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { LeaveStatus } from "../domain/leave-status";
import { LEAVE_TYPE_CODES, LEAVE_TYPES, type LeaveTypeCode } from "../domain/leave-types";
import { maskNationalId, parseNationalId } from "../domain/national-id";
import type { LineRole, StaffRole } from "../domain/roles";
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "../domain/taipei-time";
import { hashPassword } from "../services/password";
import { nationalIdHmac } from "../services/pii";
import { type DemoPerson, demoPerson } from "./people";

export const DEMO_PASSWORD = "TrainingLine-2026";
const ANCHOR_KEY = "demo.anchor_at";

/** LINE users the emulator offers (ARCHITECTURE §7): unbound, trainee, teacher, and both. */
export const DEMO_LINE_USERS = {
	unbound: "U00000000000000000000000000000001",
	trainee: "U00000000000000000000000000000002",
	teacher: "U00000000000000000000000000000003",
	both: "U00000000000000000000000000000004",
} as const;

const UNITS = [
	{
		code: "DEMO-N",
		name: "北區職業訓練示範中心",
		contactName: "林承辦",
		contactPhone: "02-2345-6789",
		contactEmail: "north@unit.example",
		address: "新北市五股區示範路 1 號",
	},
	{
		code: "DEMO-S",
		name: "南區職能發展示範學院",
		contactName: "陳承辦",
		contactPhone: "07-345-6789",
		contactEmail: "south@unit.example",
		address: "高雄市前鎮區示範路 2 號",
	},
];

const PLANS: { code: string; name: string; leaveTypes: readonly LeaveTypeCode[] }[] = [
	{ code: "PLAN-PRE", name: "職前訓練計畫（示範）", leaveTypes: LEAVE_TYPE_CODES },
	{
		code: "PLAN-INS",
		name: "在職進修訓練計畫（示範）",
		leaveTypes: ["sick", "personal", "official", "bereavement", "late", "missed_punch"],
	},
];

const STAFF: { email: string; name: string; role: StaffRole; unit: string | null }[] = [
	{ email: "admin@agency.example", name: "署本部管理者", role: "agency_admin", unit: null },
	{ email: "north.admin@unit.example", name: "北區管理者", role: "unit_admin", unit: "DEMO-N" },
	{ email: "north.clerk@unit.example", name: "北區承辦人", role: "unit_staff", unit: "DEMO-N" },
	{ email: "south.admin@unit.example", name: "南區管理者", role: "unit_admin", unit: "DEMO-S" },
];

const SUBJECTS: Record<string, string[]> = {
	"DEMO-115-01": [
		"可程式控制器實務",
		"機電整合概論",
		"工業安全衛生",
		"感測器應用",
		"設備保養實作",
		"電路圖判讀",
	],
	"DEMO-115-02": ["Python 資料分析", "試算表進階應用", "資料視覺化", "專題實作"],
	"DEMO-114-09": ["中餐烹調基礎", "食品衛生安全", "刀工實作", "宴席菜製作"],
};

type ClassPlan = {
	code: string;
	name: string;
	unit: string;
	plan: string;
	startDate: string;
	endDate: string;
	location: string;
	room: string;
	trainees: DemoPerson[];
	teachers: [DemoPerson, DemoPerson];
};

export type DemoSeedResult = {
	anchorDate: string;
	firstRun: boolean;
	logins: { email: string; role: StaffRole; unit: string | null }[];
	bindingExample: { name: string; nationalId: string; birthDate: string; phone: string; email: string };
	lineUsers: typeof DEMO_LINE_USERS;
};

/** Monday of the week of `date`. */
function mondayOf(date: string): string {
	return addDays(date, -((weekdayOf(date) + 6) % 7));
}

/** Deterministic 0..99 from two numbers: the "randomness" of demo punches. */
function roll(a: number, b: number): number {
	return (((a * 2_654_435_761) ^ (b * 40_503)) >>> 0) % 100;
}

export async function seedDemoData(
	db: Db,
	options: { now: number; piiKey: string },
): Promise<DemoSeedResult> {
	const example = demoPerson("trainee", 2, 0);
	const summary = (anchorAt: number, firstRun: boolean): DemoSeedResult => ({
		anchorDate: taipeiDate(anchorAt),
		firstRun,
		logins: STAFF.map((s) => ({ email: s.email, role: s.role, unit: s.unit })),
		bindingExample: {
			name: example.name,
			nationalId: example.nationalId,
			birthDate: example.birthDate,
			phone: example.phone,
			email: example.email,
		},
		lineUsers: DEMO_LINE_USERS,
	});
	// The marker is written last: its presence means a complete demo data set is already there.
	const done = await db.select().from(t.appSettings).where(eq(t.appSettings.key, ANCHOR_KEY)).get();
	if (done) return summary(Number(done.value), false);
	const now = options.now;
	const today = taipeiDate(now);

	// ── Units, plans, staff ──
	await runInBatches(db, [
		...insertIgnoringStatements(
			db,
			t.units,
			UNITS.map((u) => ({ ...u, createdAt: now, updatedAt: now })),
		),
		...insertIgnoringStatements(
			db,
			t.plans,
			PLANS.map((p) => ({ code: p.code, name: p.name, createdAt: now, updatedAt: now })),
		),
	]);
	const unitIds = new Map(
		(await db.select({ id: t.units.id, code: t.units.code }).from(t.units)).map((u) => [u.code, u.id]),
	);
	const planIds = new Map(
		(await db.select({ id: t.plans.id, code: t.plans.code }).from(t.plans)).map((p) => [p.code, p.id]),
	);
	const existingStaff = new Set(
		(
			await db
				.select({ email: t.staff.email })
				.from(t.staff)
				.where(
					inArray(
						t.staff.email,
						STAFF.map((s) => s.email),
					),
				)
		).map((s) => s.email),
	);
	const newStaff = [];
	for (const s of STAFF.filter((s) => !existingStaff.has(s.email))) {
		newStaff.push({
			email: s.email,
			name: s.name,
			role: s.role,
			unitId: s.unit ? (unitIds.get(s.unit) as number) : null,
			passwordHash: await hashPassword(DEMO_PASSWORD),
			createdAt: now,
			updatedAt: now,
		});
	}
	await runInBatches(db, [
		...insertIgnoringStatements(
			db,
			t.planLeaveTypes,
			PLANS.flatMap((p) =>
				p.leaveTypes.map((code) => ({ planId: planIds.get(p.code) as number, leaveTypeCode: code })),
			),
		),
		...insertIgnoringStatements(db, t.staff, newStaff),
	]);
	const reviewer = await db
		.select({ id: t.staff.id })
		.from(t.staff)
		.where(eq(t.staff.email, "north.clerk@unit.example"))
		.get();
	const reviewerId = reviewer?.id ?? null;

	// ── People and classes ──
	const teachers = [1, 2, 3].map((n) => demoPerson("teacher", n, 100));
	const [t1, t2, t3] = teachers as [DemoPerson, DemoPerson, DemoPerson];
	// The third teacher is also the 30th trainee of the running class (one LINE user, both identities).
	const running = [...Array.from({ length: 29 }, (_, i) => demoPerson("trainee", i + 1, 0)), t3];
	const upcoming = Array.from({ length: 12 }, (_, i) => demoPerson("trainee", i + 31, 0));
	const ended = Array.from({ length: 15 }, (_, i) => demoPerson("trainee", i + 43, 0));

	const runningStart = mondayOf(addDays(today, -42));
	const upcomingStart = mondayOf(addDays(today, 21));
	const endedEnd = addDays(mondayOf(addDays(today, -14)), 4);
	const classPlans: ClassPlan[] = [
		{
			code: "DEMO-115-01",
			name: "智慧製造設備維護班",
			unit: "DEMO-N",
			plan: "PLAN-PRE",
			startDate: runningStart,
			endDate: addDays(runningStart, 16 * 7 - 3),
			location: "新北市五股區示範路 1 號 3 樓 301 教室",
			room: "301 教室",
			trainees: running,
			teachers: [t1, t2],
		},
		{
			code: "DEMO-115-02",
			name: "數位辦公資料分析班",
			unit: "DEMO-N",
			plan: "PLAN-INS",
			startDate: upcomingStart,
			endDate: addDays(upcomingStart, 8 * 7 - 3),
			location: "新北市五股區示範路 1 號 2 樓電腦教室",
			room: "2 樓電腦教室",
			trainees: upcoming,
			teachers: [t3, t3],
		},
		{
			code: "DEMO-114-09",
			name: "中餐烹調丙級養成班",
			unit: "DEMO-S",
			plan: "PLAN-PRE",
			startDate: addDays(endedEnd, -(8 * 7 - 3)),
			endDate: endedEnd,
			location: "高雄市前鎮區示範路 2 號 1 樓廚藝教室",
			room: "1 樓廚藝教室",
			trainees: ended,
			teachers: [t3, t3],
		},
	];

	const everyone = [...teachers, ...running.slice(0, 29), ...upcoming, ...ended];
	const personRows = [];
	for (const p of everyone) {
		const id = parseNationalId(p.nationalId);
		if (!id.ok) throw new Error(`demo national ID ${p.key} is invalid`);
		personRows.push({
			name: p.name,
			nationalIdHmac: await nationalIdHmac(options.piiKey, id.value.value),
			nationalIdMasked: maskNationalId(id.value.value),
			nationalIdKind: id.value.kind,
			birthDate: p.birthDate,
			phone: p.phone,
			email: p.email,
			createdAt: now,
			updatedAt: now,
		});
	}
	await runInBatches(db, insertIgnoringStatements(db, t.people, personRows));
	const personIds = new Map<string, number>();
	const byHmac = new Map(personRows.map((r, i) => [r.nationalIdHmac, (everyone[i] as DemoPerson).key]));
	for (const r of await db
		.select({ id: t.people.id, hmac: t.people.nationalIdHmac })
		.from(t.people)
		.where(
			inArray(
				t.people.email,
				everyone.map((p) => p.email),
			),
		)) {
		const key = byHmac.get(r.hmac);
		if (key) personIds.set(key, r.id);
	}
	const pid = (p: DemoPerson) => personIds.get(p.key) as number;

	await runInBatches(
		db,
		insertIgnoringStatements(
			db,
			t.classes,
			classPlans.map((c) => ({
				unitId: unitIds.get(c.unit) as number,
				planId: planIds.get(c.plan) as number,
				code: c.code,
				name: c.name,
				startDate: c.startDate,
				endDate: c.endDate,
				location: c.location,
				createdAt: now,
				updatedAt: now,
			})),
		),
	);
	const classRows = await db
		.select()
		.from(t.classes)
		.where(
			inArray(
				t.classes.code,
				classPlans.map((c) => c.code),
			),
		);
	const classId = new Map(classRows.map((c) => [c.code, c.id]));

	// ── Sessions: weekday mornings 09:00–12:00 and afternoons 13:00–16:00 (Taipei) ──
	const sessionRows = [];
	for (const c of classPlans) {
		const subjects = SUBJECTS[c.code] as string[];
		for (let date = c.startDate, day = 0; date <= c.endDate; date = addDays(date, 1)) {
			const weekend = weekdayOf(date) === 0 || weekdayOf(date) === 6;
			// The running class also meets on a weekend "today", so the demo always has a today.
			if (weekend && !(c.code === "DEMO-115-01" && date === today)) continue;
			for (const [half, start, end] of [
				[0, "09:00", "12:00"],
				[1, "13:00", "16:00"],
			] as const) {
				sessionRows.push({
					classId: classId.get(c.code) as number,
					date,
					startsAt: taipeiInstant(date, start),
					endsAt: taipeiInstant(date, end),
					hours: 3,
					subject: weekend ? "補課：設備保養實作" : (subjects[(day * 2 + half) % subjects.length] as string),
					teacherPersonId: pid(c.teachers[half]),
					room: c.room,
					createdAt: now,
					updatedAt: now,
				});
			}
			day++;
		}
	}
	await runInBatches(db, [
		...insertIgnoringStatements(db, t.sessions, sessionRows),
		...insertIgnoringStatements(
			db,
			t.classTeachers,
			classPlans.flatMap((c) =>
				[...new Set(c.teachers)].map((p) => ({
					classId: classId.get(c.code) as number,
					personId: pid(p),
					createdAt: now,
				})),
			),
		),
		...insertIgnoringStatements(
			db,
			t.enrollments,
			classPlans.flatMap((c) =>
				c.trainees.map((p, i) => ({
					classId: classId.get(c.code) as number,
					personId: pid(p),
					seatNo: i + 1,
					enrolledAt: now,
				})),
			),
		),
	]);
	const sessions = await db
		.select()
		.from(t.sessions)
		.where(inArray(t.sessions.classId, [...classId.values()]))
		.orderBy(t.sessions.startsAt);
	const totals = new Map<number, number>();
	for (const s of sessions) totals.set(s.classId, (totals.get(s.classId) ?? 0) + s.hours);
	await runInBatches(
		db,
		[...totals].map(([id, hours]) =>
			db.update(t.classes).set({ totalHours: hours }).where(eq(t.classes.id, id)),
		),
	);

	// ── LINE users and bindings for the emulator ──
	const trainee1 = running[0] as DemoPerson;
	const bindings: { userId: string; role: LineRole; person: DemoPerson }[] = [
		{ userId: DEMO_LINE_USERS.trainee, role: "trainee", person: trainee1 },
		{ userId: DEMO_LINE_USERS.teacher, role: "teacher", person: t1 },
		{ userId: DEMO_LINE_USERS.both, role: "teacher", person: t3 },
		{ userId: DEMO_LINE_USERS.both, role: "trainee", person: t3 },
	];
	const activeRole: Record<string, LineRole | null> = {
		[DEMO_LINE_USERS.unbound]: null,
		[DEMO_LINE_USERS.trainee]: "trainee",
		[DEMO_LINE_USERS.teacher]: "teacher",
		[DEMO_LINE_USERS.both]: "trainee",
	};
	await runInBatches(db, [
		...insertIgnoringStatements(
			db,
			t.lineUsers,
			Object.entries(activeRole).map(([userId, role]) => ({
				userId,
				followedAt: now,
				activeRole: role,
				richMenu: role ?? "unbound",
				createdAt: now,
				updatedAt: now,
			})),
		),
		...insertIgnoringStatements(
			db,
			t.lineBindings,
			bindings.map((b) => ({ lineUserId: b.userId, role: b.role, personId: pid(b.person), boundAt: now })),
		),
		// The local LINE emulator shows bound demo users their identity's rich menu from the start.
		...insertIgnoringStatements(
			db,
			t.emulatorLog,
			Object.entries(activeRole).flatMap(([userId, role]) =>
				role ? [{ at: now, userId, kind: "rich_menu" as const, body: JSON.stringify({ menu: role }) }] : [],
			),
		),
	]);

	// ── Leave requests in every status ──
	const bySession = (code: string) => sessions.filter((s) => s.classId === classId.get(code));
	const runningSessions = bySession("DEMO-115-01");
	const past = runningSessions.filter((s) => s.endsAt < now);
	const future = runningSessions.filter((s) => s.startsAt > now);
	const todays = runningSessions.filter((s) => s.date === today);
	const endedSessions = bySession("DEMO-114-09");
	const pick = <T>(list: T[], i: number) => list[Math.max(0, Math.min(list.length - 1, i))] as T;
	type DemoLeave = {
		key: string;
		person: DemoPerson;
		classCode: string;
		type: LeaveTypeCode;
		status: LeaveStatus;
		sessions: (typeof sessions)[number][];
		remark: string;
		reviewRemark?: string;
	};
	const leaves: DemoLeave[] = [
		{
			key: "demo-1",
			person: trainee1,
			classCode: "DEMO-115-01",
			type: "personal",
			status: "pending",
			sessions: [pick(future, 6), pick(future, 7)],
			remark: "家中有事，需陪同家人就醫",
		},
		{
			key: "demo-2",
			person: running[2] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "sick",
			status: "approved",
			sessions: [pick(past, past.length - 4), pick(past, past.length - 3)],
			remark: "感冒發燒，已附診斷證明",
			reviewRemark: "早日康復",
		},
		{
			key: "demo-3",
			person: running[3] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "personal",
			status: "rejected",
			sessions: [pick(past, past.length - 6)],
			remark: "私事",
			reviewRemark: "請說明事由並補附相關證明",
		},
		{
			key: "demo-4",
			person: running[4] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "sick",
			status: "pending",
			sessions: todays.length ? todays.slice(-1) : [pick(future, 0)],
			remark: "身體不適",
		},
		{
			key: "demo-5",
			person: running[5] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "official",
			status: "cancelled",
			sessions: [pick(future, 3)],
			remark: "參加技能檢定",
		},
		{
			key: "demo-6",
			person: running[6] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "personal",
			status: "revoked",
			sessions: [pick(past, past.length - 8)],
			remark: "處理戶政事務",
			reviewRemark: "經查當日有出席，撤銷假單",
		},
		{
			key: "demo-7",
			person: running[7] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "late",
			status: "approved",
			sessions: [pick(past, past.length - 2)],
			remark: "捷運延誤，附延誤證明",
		},
		{
			key: "demo-8",
			person: t3,
			classCode: "DEMO-115-01",
			type: "official",
			status: "approved",
			sessions: [pick(past, past.length - 10)],
			remark: "支援他班授課",
		},
		{
			// 13 sessions × 3 h = 39 h of the class's 480: near the plan's 10 % (48 h), so 今日 warns.
			key: "demo-11",
			person: running[8] as DemoPerson,
			classCode: "DEMO-115-01",
			type: "sick",
			status: "approved",
			sessions: past.slice(-30, -17),
			remark: "住院治療，附診斷證明",
			reviewRemark: "請好好休養",
		},
		{
			key: "demo-9",
			person: ended[1] as DemoPerson,
			classCode: "DEMO-114-09",
			type: "sick",
			status: "expired",
			sessions: [pick(endedSessions, endedSessions.length - 5)],
			remark: "腸胃炎",
		},
		{
			key: "demo-10",
			person: ended[2] as DemoPerson,
			classCode: "DEMO-114-09",
			type: "bereavement",
			status: "approved",
			sessions: [pick(endedSessions, 20), pick(endedSessions, 21)],
			remark: "祖母告別式",
			reviewRemark: "節哀",
		},
	];
	const leaveRows = leaves.map((l) => {
		const dates = l.sessions.map((s) => s.date).sort();
		// Filed two days before the leave, and never in the future.
		const submittedAt = Math.min(
			Math.min(...l.sessions.map((s) => s.startsAt)) - 2 * 86_400_000,
			now - 3_600_000,
		);
		const reviewedAt = ["approved", "rejected", "revoked"].includes(l.status)
			? submittedAt + 86_400_000
			: null;
		const classRow = classRows.find((c) => c.code === l.classCode) as (typeof classRows)[number];
		return {
			personId: pid(l.person),
			classId: classRow.id,
			unitId: classRow.unitId,
			leaveTypeCode: l.type,
			remark: l.remark,
			status: l.status,
			firstDate: dates[0] as string,
			lastDate: dates.at(-1) as string,
			hours: l.sessions.reduce((sum, s) => sum + s.hours, 0),
			idempotencyKey: l.key,
			submittedAt,
			reviewedAt,
			reviewerStaffId: reviewedAt ? reviewerId : null,
			reviewRemark: l.reviewRemark ?? null,
			cancelledAt: l.status === "cancelled" ? submittedAt + 3_600_000 : null,
			revokedAt: l.status === "revoked" ? submittedAt + 3 * 86_400_000 : null,
			revokedByStaffId: l.status === "revoked" ? reviewerId : null,
			revokeReason: l.status === "revoked" ? (l.reviewRemark ?? null) : null,
			expiredAt: l.status === "expired" ? submittedAt + 20 * 86_400_000 : null,
			updatedAt: now,
		};
	});
	await runInBatches(db, insertIgnoringStatements(db, t.leaveRequests, leaveRows));
	const leaveIds = new Map(
		(
			await db
				.select({
					id: t.leaveRequests.id,
					key: t.leaveRequests.idempotencyKey,
					personId: t.leaveRequests.personId,
				})
				.from(t.leaveRequests)
				.where(
					inArray(
						t.leaveRequests.idempotencyKey,
						leaves.map((l) => l.key),
					),
				)
		).map((r) => [`${r.personId}:${r.key}`, r.id]),
	);
	await runInBatches(
		db,
		insertIgnoringStatements(
			db,
			t.leaveRequestSessions,
			leaves.flatMap((l) =>
				l.sessions.map((s) => ({
					leaveRequestId: leaveIds.get(`${pid(l.person)}:${l.key}`) as number,
					sessionId: s.id,
					personId: pid(l.person),
					active: l.status === "pending" || l.status === "approved" ? 1 : null,
				})),
			),
		),
	);

	// ── Punches and attendance for sessions that have started ──
	const approvedLeave = new Map<string, (typeof LEAVE_TYPES)[number]>();
	for (const l of leaves.filter((l) => l.status === "approved")) {
		for (const s of l.sessions) {
			approvedLeave.set(
				`${s.id}:${pid(l.person)}`,
				LEAVE_TYPES.find((x) => x.code === l.type) as (typeof LEAVE_TYPES)[number],
			);
		}
	}
	const demoLinePersons = new Set([trainee1, t1, t3].map(pid));
	const plan = { lateGraceMinutes: 10, earlyLeaveGraceMinutes: 10, checkOutClosesMinutes: 60 };
	const punchRows: (typeof t.punches.$inferInsert)[] = [];
	const attendanceRows: (typeof t.attendance.$inferInsert)[] = [];
	for (const c of classPlans) {
		for (const s of bySession(c.code).filter((s) => s.startsAt <= now)) {
			const attendees: [number, LineRole][] = c.trainees.map((p) => [pid(p), "trainee"]);
			if (s.teacherPersonId) attendees.push([s.teacherPersonId, "teacher"]);
			for (const [personId, role] of attendees) {
				const leave = approvedLeave.get(`${s.id}:${personId}`) ?? null;
				const r = roll(s.id, personId);
				const inProgress = s.endsAt > now;
				// Leave the demo LINE users' current session open, so a newcomer can punch it.
				if (inProgress && demoLinePersons.has(personId)) continue;
				let checkInAt: number | null = null;
				let checkOutAt: number | null = null;
				// About 4% absent, 6% late, 3% leave early, 2% forget to check out, the rest on time.
				if (leave?.kind !== "absence" && r >= 4) {
					const late = r < 10 || leave?.kind === "late";
					checkInAt = late ? s.startsAt + (15 + (r % 25)) * 60_000 : s.startsAt - (5 + (r % 15)) * 60_000;
					checkOutAt =
						r >= 10 && r < 13
							? s.endsAt - 30 * 60_000
							: r >= 13 && r < 15
								? null
								: s.endsAt + (1 + (r % 9)) * 60_000;
				}
				if (checkInAt !== null && checkInAt > now) checkInAt = null;
				if (checkOutAt !== null && checkOutAt > now) checkOutAt = null;
				if (inProgress && checkInAt === null) continue;
				const status = deriveAttendanceStatus({
					session: s,
					plan,
					checkInAt,
					checkOutAt,
					leave: leave ? { kind: leave.kind } : null,
					now,
				});
				for (const [action, at] of [
					["check_in", checkInAt],
					["check_out", checkOutAt],
				] as const) {
					if (at === null) continue;
					punchRows.push({
						punchKey: `demo:${s.id}:${personId}:${action}`,
						sessionId: s.id,
						personId,
						role,
						action,
						method: r % 3 === 0 ? "personal_qr" : "session_qr",
						at,
						accepted: true,
						createdAt: at,
					});
				}
				attendanceRows.push({
					sessionId: s.id,
					personId,
					role,
					checkInAt,
					checkInMethod: checkInAt === null ? null : "session_qr",
					checkOutAt,
					checkOutMethod: checkOutAt === null ? null : "session_qr",
					status,
					leaveTypeCode: leave?.code ?? null,
					updatedAt: now,
				});
			}
		}
	}
	// A refused punch (a forwarded screenshot of an old QR) so the dashboard's refusals list is not empty.
	const lastPast = past.at(-1);
	if (lastPast) {
		punchRows.push({
			punchKey: `demo:${lastPast.id}:refused`,
			sessionId: lastPast.id,
			personId: pid(running[9] as DemoPerson),
			role: "trainee",
			action: "check_in",
			method: "session_qr",
			at: lastPast.startsAt + 5 * 60_000,
			accepted: false,
			reason: "TOKEN_EXPIRED",
			createdAt: lastPast.startsAt + 5 * 60_000,
		});
	}
	await runInBatches(db, [
		...insertIgnoringStatements(db, t.punches, punchRows),
		...insertIgnoringStatements(db, t.attendance, attendanceRows),
		// Their final statuses are written above: past sessions count as closed out.
		db
			.update(t.sessions)
			.set({ closedAt: now })
			.where(
				and(inArray(t.sessions.classId, [...classId.values()]), lte(t.sessions.endsAt, now - 60 * 60_000)),
			),
	]);

	await db
		.insert(t.appSettings)
		.values({ key: ANCHOR_KEY, value: String(now), updatedAt: now })
		.onConflictDoNothing();
	return summary(now, true);
}
