// Every dashboard route that takes an id, walked with the NORTH unit's real ids while signed in as
// the SOUTH unit's admin: each answers not found (or a review reporting failed=1), and none of the
// north records changes. The agency admin, by contrast, sees the north class and session pages.
// A new route is one row of `routes`.
import { env } from "cloudflare:test";
import { and, count, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
	attendance,
	auditLog,
	classes,
	enrollments,
	leaveAttachments,
	leaveRequests,
	outbox,
	people,
	planLeaveTypes,
	plans,
	punches,
	sessions,
	staff,
	staffPasswordTokens,
} from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { nationalIdCheckDigit } from "../../src/domain/national-id";
import { addDays, taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { mintPersonalToken } from "../../src/qr/tickets";
import { addAttachment } from "../../src/services/leave-attachments";
import { nationalIdHmac } from "../../src/services/pii";
import { signRosterRows } from "../../src/services/roster-import";
import { signTimetableRows } from "../../src/services/timetable-import";
import { signedIn } from "./admin-helpers";
import { ORIGIN, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
type Tab = Awaited<ReturnType<typeof signedIn>>;

/** The north unit's records the south admin tries to reach. */
type North = {
	classId: number;
	classCode: string;
	planId: number;
	/** The north unit itself (稽核紀錄's unit filter). */
	unitId: number;
	className: string;
	sessionId: number;
	personId: number;
	personName: string;
	requestId: number;
	attachmentId: number;
	southAdminId: number;
	/** The north clerk's dashboard account (帳號管理 routes). */
	clerkId: number;
};
let north: North;

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...new TextEncoder().encode("JFIF photo")]);
const nationalId = (firstNine: string) => `${firstNine}${nationalIdCheckDigit(firstNine)}`;
const NEW_TRAINEE_ID = nationalId("Q18800091");

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const klass = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
	const session = await db
		.select()
		.from(sessions)
		.where(and(eq(sessions.classId, klass?.id ?? 0), eq(sessions.date, taipeiDate(Date.now()))))
		.get();
	const trainee = await db
		.select({ id: people.id, name: people.name })
		.from(enrollments)
		.innerJoin(people, eq(people.id, enrollments.personId))
		.where(and(eq(enrollments.classId, klass?.id ?? 0), eq(enrollments.status, "active")))
		.get();
	const southAdmin = await db.select().from(staff).where(eq(staff.email, "south.admin@unit.example")).get();
	const clerk = await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get();
	if (!klass || !session || !trainee || !southAdmin || !clerk)
		throw new Error("the demo has a running north class");
	// A pending north request of its own (the seeded ones are other tests' to approve), with a proof file.
	const request = await db
		.insert(leaveRequests)
		.values({
			personId: trainee.id,
			classId: klass.id,
			unitId: klass.unitId,
			leaveTypeCode: "sick",
			firstDate: session.date,
			lastDate: session.date,
			hours: 3,
			idempotencyKey: crypto.randomUUID(),
			submittedAt: Date.now(),
			updatedAt: Date.now(),
		})
		.returning()
		.get();
	const file = await addAttachment({ db, bucket: env.ATTACHMENTS, now: Date.now() }, trainee.id, request.id, {
		bytes: JPEG,
		fileName: "診斷證明.jpg",
	});
	if (!file.ok) throw new Error(file.message);
	north = {
		classId: klass.id,
		classCode: klass.code,
		planId: klass.planId,
		unitId: klass.unitId,
		className: klass.name,
		sessionId: session.id,
		personId: trainee.id,
		personName: trainee.name,
		requestId: request.id,
		attachmentId: file.attachment.id,
		southAdminId: southAdmin.id,
		clerkId: clerk.id,
	};
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** Everything of the north records a route could change (timestamps included). */
async function northState() {
	const [request, files, marks, log, roster, audits, notices, plan, planTypes] = await Promise.all([
		db.select().from(leaveRequests).where(eq(leaveRequests.id, north.requestId)).get(),
		db.select().from(leaveAttachments).where(eq(leaveAttachments.leaveRequestId, north.requestId)),
		db.select().from(attendance).where(eq(attendance.sessionId, north.sessionId)).orderBy(attendance.id),
		db.select().from(punches).where(eq(punches.sessionId, north.sessionId)).orderBy(punches.id),
		db.select().from(enrollments).where(eq(enrollments.classId, north.classId)).orderBy(enrollments.id),
		db.select({ n: count() }).from(auditLog).get(),
		db.select({ n: count() }).from(outbox).get(),
		db.select().from(plans).where(eq(plans.id, north.planId)).get(),
		db.select().from(planLeaveTypes).where(eq(planLeaveTypes.planId, north.planId)),
	]);
	return { request, files, marks, log, roster, audits, notices, plan, planTypes };
}

/** The north session and the class's timetable: what 課表 routes could change. */
async function northTimetable() {
	const [session, timetable] = await Promise.all([
		db.select().from(sessions).where(eq(sessions.id, north.sessionId)).get(),
		db.select({ n: count() }).from(sessions).where(eq(sessions.classId, north.classId)).get(),
	]);
	return { session, timetable };
}

/** The north clerk's account and password links: what 帳號管理 routes could change. */
async function northAccount() {
	const [account, links] = await Promise.all([
		db.select().from(staff).where(eq(staff.id, north.clerkId)).get(),
		db.select().from(staffPasswordTokens).where(eq(staffPasswordTokens.staffId, north.clerkId)),
	]);
	return { account, links };
}

const json = (t: Tab, path: string, body: unknown) =>
	t.send(path, {
		method: "POST",
		headers: { "content-type": "application/json", origin: ORIGIN },
		body: JSON.stringify(body),
	});

function upload(t: Tab, line: string) {
	const header = "班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件";
	return t.postFile(
		"/admin/roster-import",
		new File([`${header}\r\n${line}\r\n`], "名冊.csv", { type: "text/csv" }),
	);
}

/** A confirm token as the south admin's own preview would sign it, but for a north class. */
async function rosterToken(n: North) {
	const row = {
		line: 2,
		classId: n.classId,
		classCode: n.classCode,
		seatNo: 91,
		name: "跨單位學員",
		hmac: await nationalIdHmac(env.PII_HMAC_KEY, NEW_TRAINEE_ID),
		masked: "Q18****091",
		kind: "national" as const,
		birthDate: "1990-05-25",
		phone: null,
		email: null,
	};
	return signRosterRows(env.SESSION_COOKIE_KEY, n.southAdminId, [row], Date.now());
}

function timetableUpload(t: Tab, line: string) {
	const file = new File([`班級代碼,日期,開始時間,結束時間,課程名稱\r\n${line}\r\n`], "課表.csv", {
		type: "text/csv",
	});
	return t.postFile("/admin/timetable-import", file);
}

/** A 課表 confirm token as the south admin's own preview would sign it, but for a north class. */
function timetableToken(n: North) {
	const date = addDays(taipeiDate(Date.now()), 1);
	const row = {
		line: 2,
		classId: n.classId,
		classCode: n.classCode,
		date,
		startsAt: taipeiInstant(date, "19:00"),
		endsAt: taipeiInstant(date, "20:00"),
		hours: 1,
		subject: "跨單位課程",
		teacherPersonId: null,
		teacherName: null,
		room: null,
	};
	return signTimetableRows(env.SESSION_COOKIE_KEY, n.southAdminId, [row], Date.now());
}

/** The fields of 新增節次 / 編輯 as the form sends them. */
const sessionForm = {
	date: addDays(taipeiDate(Date.now()), 1),
	start: "19:00",
	end: "20:00",
	hours: "",
	subject: "跨單位課程",
	teacherId: "",
	room: "",
};

/**
 * not-found: 404, HTML or the JSON envelope. review-failed: back to the list with failed=1.
 * roster-refused: the upload's preview page (200, as for any file with bad rows) saying the class is
 * not one of the unit's, with no token to confirm.
 */
type Outcome = "not-found" | "review-failed" | "roster-refused";
const routes: { route: string; send: (t: Tab, n: North) => Promise<Response>; outcome: Outcome }[] = [
	{
		route: "GET /admin/classes/:id",
		send: (t, n) => t.get(`/admin/classes/${n.classId}`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/classes/:id?from&to",
		send: (t, n) => t.get(`/admin/classes/${n.classId}?from=2026-01-01&to=2026-01-31`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/classes/:id/export.csv?kind=attendance",
		send: (t, n) => t.get(`/admin/classes/${n.classId}/export.csv?kind=attendance`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/classes/:id/export.csv?kind=leave",
		send: (t, n) => t.get(`/admin/classes/${n.classId}/export.csv?kind=leave`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/classes/:id/export.xlsx?kind=attendance",
		send: (t, n) => t.get(`/admin/classes/${n.classId}/export.xlsx?kind=attendance`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/sessions/:id/display",
		send: (t, n) => t.get(`/admin/sessions/${n.sessionId}/display`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/sessions/:id/scanner",
		send: (t, n) => t.get(`/admin/sessions/${n.sessionId}/scanner`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/sessions/:id/attendance",
		send: (t, n) => t.get(`/admin/sessions/${n.sessionId}/attendance`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/sessions/:id/punches",
		send: (t, n) => t.get(`/admin/sessions/${n.sessionId}/punches`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/sessions/:id/punches/:personId/correct",
		send: (t, n) =>
			t.post(`/admin/sessions/${n.sessionId}/punches/${n.personId}/correct`, {
				checkIn: "08:55",
				checkOut: "",
				mark: "present",
				reason: "跨單位更正",
			}),
		outcome: "not-found",
	},
	{
		route: "GET /admin/api/sessions/:id/qr",
		send: (t, n) => t.get(`/admin/api/sessions/${n.sessionId}/qr`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/api/sessions/:id/live-ticket",
		send: (t, n) => t.post(`/admin/api/sessions/${n.sessionId}/live-ticket`, {}),
		outcome: "not-found",
	},
	{
		// A real, fresh personal QR of the north trainee: only the unit scope can refuse it.
		route: "POST /admin/api/sessions/:id/scan",
		send: async (t, n) =>
			json(t, `/admin/api/sessions/${n.sessionId}/scan`, {
				action: "check_in",
				token: (await mintPersonalToken(env.QR_SIGNING_KEY, n.personId, "trainee", Date.now())).token,
			}),
		outcome: "not-found",
	},
	{
		route: "GET /admin/api/sessions/:id/attendance",
		send: (t, n) => t.get(`/admin/api/sessions/${n.sessionId}/attendance`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/leave/:id",
		send: (t, n) => t.get(`/admin/leave/${n.requestId}`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/leave/:id/revoke",
		send: (t, n) => t.post(`/admin/leave/${n.requestId}/revoke`, { reason: "跨單位撤銷" }),
		outcome: "not-found",
	},
	{
		route: "GET /admin/leave/:id/attachments/:file",
		send: (t, n) => t.get(`/admin/leave/${n.requestId}/attachments/${n.attachmentId}`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/leave/review (approve)",
		send: (t, n) => t.post("/admin/leave/review", { ids: [String(n.requestId)], decision: "approved" }),
		outcome: "review-failed",
	},
	{
		route: "POST /admin/leave/review (reject)",
		send: (t, n) =>
			t.post("/admin/leave/review", { ids: [String(n.requestId)], decision: "rejected", remark: "跨單位" }),
		outcome: "review-failed",
	},
	{
		// 設定 is the agency's: a unit admin is refused the north plan like any record not theirs.
		route: "GET /admin/settings/plans/:id",
		send: (t, n) => t.get(`/admin/settings/plans/${n.planId}`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/settings/plans/:id",
		send: (t, n) =>
			t.post(`/admin/settings/plans/${n.planId}`, {
				lateGraceMinutes: "0",
				earlyLeaveGraceMinutes: "0",
				checkInOpensMinutes: "30",
				checkOutClosesMinutes: "60",
				qrRotationSeconds: "15",
				cancelWindowDays: "7",
				revokeWindowDays: "14",
				backdateLimitDays: "7",
				reviewWindowDays: "14",
				advanceNoticeDays: "3",
				leaveHoursWarningPercent: "10",
				leaveTypes: ["sick"],
			}),
		outcome: "not-found",
	},
	{
		// The upload names classes by code, not id: its answer is the preview page with the refusal.
		route: "POST /admin/roster-import (north class code)",
		send: (t, n) => upload(t, `${n.classCode},91,跨單位學員,${NEW_TRAINEE_ID},1990-05-25,0912345678,`),
		outcome: "roster-refused",
	},
	{
		route: "POST /admin/roster-import/confirm (north class id)",
		send: async (t, n) => t.post("/admin/roster-import/confirm", { token: await rosterToken(n) }),
		outcome: "not-found",
	},
	{
		// Like the roster, the 課表 upload names classes by code: the preview says the class is not the unit's.
		route: "POST /admin/timetable-import (north class code)",
		send: (t, n) => timetableUpload(t, `${n.classCode},${sessionForm.date},19:00,20:00,跨單位課程`),
		outcome: "roster-refused",
	},
	{
		route: "POST /admin/timetable-import/confirm (north class id)",
		send: async (t, n) => t.post("/admin/timetable-import/confirm", { token: await timetableToken(n) }),
		outcome: "not-found",
	},
	{
		route: "GET /admin/classes/:id/sessions/new",
		send: (t, n) => t.get(`/admin/classes/${n.classId}/sessions/new`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/classes/:id/sessions",
		send: (t, n) => t.post(`/admin/classes/${n.classId}/sessions`, sessionForm),
		outcome: "not-found",
	},
	{
		route: "GET /admin/sessions/:id/edit",
		send: (t, n) => t.get(`/admin/sessions/${n.sessionId}/edit`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/sessions/:id/edit",
		send: (t, n) => t.post(`/admin/sessions/${n.sessionId}/edit`, sessionForm),
		outcome: "not-found",
	},
	{
		route: "POST /admin/sessions/:id/cancel",
		send: (t, n) => t.post(`/admin/sessions/${n.sessionId}/cancel`, { reason: "跨單位停課" }),
		outcome: "not-found",
	},
	{
		// 稽核紀錄 names a unit only in its filter: another unit's answers not found, page and export.
		route: "GET /admin/audit?unitId=:north",
		send: (t, n) => t.get(`/admin/audit?unitId=${n.unitId}`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/audit/export.csv?unitId=:north",
		send: (t, n) => t.get(`/admin/audit/export.csv?unitId=${n.unitId}`),
		outcome: "not-found",
	},
	{
		route: "GET /admin/staff/:id",
		send: (t, n) => t.get(`/admin/staff/${n.clerkId}`),
		outcome: "not-found",
	},
	{
		route: "POST /admin/staff/:id/password-link",
		send: (t, n) => t.post(`/admin/staff/${n.clerkId}/password-link`, {}),
		outcome: "not-found",
	},
	{
		route: "POST /admin/staff/:id/disable",
		send: (t, n) => t.post(`/admin/staff/${n.clerkId}/disable`, {}),
		outcome: "not-found",
	},
	{
		route: "POST /admin/staff/:id/enable",
		send: (t, n) => t.post(`/admin/staff/${n.clerkId}/enable`, {}),
		outcome: "not-found",
	},
];

describe("another unit's admin, with the north unit's real ids", () => {
	it.each(routes)("$route is refused and changes nothing", async ({ send, outcome }) => {
		const south = await signedIn("south.admin@unit.example");
		const before = await northState();
		const accountBefore = await northAccount();
		const timetableBefore = await northTimetable();
		expect(before.request?.status).toBe("pending");
		expect(before.files.length).toBe(1);

		const res = await send(south, north);
		const body = await res.text();
		if (outcome === "not-found") {
			expect(res.status).toBe(404);
			if (res.headers.get("content-type")?.includes("application/json"))
				expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
			else expect(body).toContain("找不到");
		} else if (outcome === "review-failed") {
			expect(res.status).toBe(303);
			const location = new URL(res.headers.get("location") ?? "", ORIGIN);
			expect(location.pathname).toBe("/admin/leave");
			expect(location.searchParams.get("done")).toBe("0");
			expect(location.searchParams.get("failed")).toBe("1");
		} else {
			expect(res.status).toBe(200);
			expect(body).toContain(`查無班級代碼「${north.classCode}」（只能匯入本單位的班級）`);
			expect(body).not.toContain('name="token"');
		}
		// Nothing of the north records is shown…
		expect(body).not.toContain(north.className);
		expect(body).not.toContain(north.personName);
		// …and nothing of them changed: the request still pending, no attendance, punch or enrollment.
		expect(await northState()).toEqual(before);
		expect(await northAccount()).toEqual(accountBefore);
		expect(await northTimetable()).toEqual(timetableBefore);
	});
});

describe("the agency admin", () => {
	it.each([
		"/admin/classes/:class",
		"/admin/sessions/:session/display",
		"/admin/sessions/:session/scanner",
		"/admin/sessions/:session/attendance",
		"/admin/sessions/:session/punches",
		"/admin/sessions/:session/edit",
		"/admin/classes/:class/sessions/new",
		"/admin/api/sessions/:session/qr",
		"/admin/api/sessions/:session/attendance",
	])("gets 200 on the north %s", async (route) => {
		const agency = await signedIn("admin@agency.example");
		const path = route.replace(":class", String(north.classId)).replace(":session", String(north.sessionId));
		const res = await agency.get(path);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(north.className);
	});
});
