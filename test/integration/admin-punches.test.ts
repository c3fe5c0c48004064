// 出勤 of a session in the dashboard: the sheet and its punch log (refusals with their reasons), a
// clerk's correction (stored, audited, shown, and kept when a QR punch comes later through the real
// SessionRoom), refused corrections, and another unit's member seeing nothing.
import { env } from "cloudflare:test";
import { and, asc, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { attendance, auditLog, classes, enrollments, people, punches, sessions } from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { addDays, taipeiInstant } from "../../src/domain/taipei-time";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { punchWithSessionCode } from "../../src/services/punch";
import { signedIn } from "./admin-helpers";
import { routeLineToEmulator } from "./dev-server";
import { enrollNewTrainee, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);
const MIN = 60_000;

let session: typeof sessions.$inferSelect;
/** Enrolled before any SessionRoom loads its roster (a room reads it again only after a minute). */
let leaveTrainee: typeof people.$inferSelect;
let lateTrainee: typeof people.$inferSelect;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const running = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
	const first = await db
		.select()
		.from(sessions)
		.where(and(eq(sessions.classId, running?.id ?? 0), isNull(sessions.cancelledAt)))
		.orderBy(asc(sessions.startsAt))
		.get();
	if (!first) throw new Error("the demo's running class has sessions");
	session = first;
	leaveTrainee = await newTrainee("公假同學");
	lateTrainee = await newTrainee("晚到同學");
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

/** A new trainee enrolled in the session's class, with nothing recorded yet. */
const newTrainee = (name = "更正測試生") => enrollNewTrainee(db, session.classId, name);

const page = () => `/admin/sessions/${session.id}/punches`;
const correctPath = (personId: number) => `/admin/sessions/${session.id}/punches/${personId}/correct`;
const recordOf = (personId: number) =>
	db
		.select()
		.from(attendance)
		.where(and(eq(attendance.sessionId, session.id), eq(attendance.personId, personId)))
		.get();
const auditOf = (personId: number) =>
	db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.entityType, "attendance"), eq(auditLog.entityId, `${session.id}:${personId}`)));
const manualPunchesOf = (personId: number) =>
	db
		.select()
		.from(punches)
		.where(
			and(eq(punches.sessionId, session.id), eq(punches.personId, personId), eq(punches.method, "manual")),
		);

describe("出勤 of a session", () => {
	it("lists every enrolled trainee and the punch log with refusals in zh-TW", async () => {
		const late = lateTrainee;
		const now = session.startsAt + 5 * MIN;
		const deps = { db, rooms: env.SESSION_ROOM, qrKey: env.QR_SIGNING_KEY, now };
		// A forwarded screenshot of an old QR: refused and logged by the room.
		const old = await mintSessionQrToken(env.QR_SIGNING_KEY, session.id, now - 2 * MIN);
		expect(
			await punchWithSessionCode(deps, { personId: late.id, role: "trainee" }, "check_in", {
				token: old.token,
			}),
		).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });

		const t = await signedIn("north.clerk@unit.example");
		const res = await t.get(page());
		expect(res.status).toBe(200);
		const html = await res.text();
		const trainees = await db
			.select({ name: people.name })
			.from(enrollments)
			.innerJoin(people, eq(people.id, enrollments.personId))
			.where(and(eq(enrollments.classId, session.classId), eq(enrollments.status, "active")));
		expect(trainees.length).toBeGreaterThan(30);
		for (const { name } of trainees) expect(html).toContain(name);
		expect(html).toContain("晚到同學");
		expect(html).toContain("打卡紀錄");
		expect(html).toContain("未受理：QR Code 已過期");
		expect(html).toMatch(/\d{3}\/\d{2}\/\d{2}/); // ROC date in the header
		if (session.teacherPersonId !== null) expect(html).toContain(">教師<");

		// 今日 links to this page for the session's 出缺勤.
		const today = await (await t.get("/admin")).text();
		expect(today).not.toContain('/attendance"');
		if (today.includes(`/admin/sessions/${session.id}/`)) expect(today).toContain(`href="${page()}"`);
	});

	it("stores a correction with its reason and audit entry, shows 已更正, and keeps it after a QR punch", async () => {
		const trainee = leaveTrainee;
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.post(correctPath(trainee.id), {
			checkIn: "",
			checkOut: "",
			mark: "leave:official",
			reason: "參加技能競賽，已附公文",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe(`${page()}?done=${trainee.id}#p-${trainee.id}`);
		const stored = await recordOf(trainee.id);
		expect(stored).toMatchObject({
			status: "leave",
			leaveTypeCode: "official",
			checkInAt: null,
			correctionReason: "參加技能競賽，已附公文",
			role: "trainee",
		});
		expect(stored?.correctedAt).toBeGreaterThan(0);
		expect(stored?.correctedByStaffId).toBeGreaterThan(0);
		const [audit] = await auditOf(trainee.id);
		expect(audit).toMatchObject({
			action: "attendance.corrected",
			actorType: "staff",
			reason: "參加技能競賽，已附公文",
		});
		expect(JSON.parse(audit?.before ?? "0")).toBeNull();
		expect(JSON.parse(audit?.after ?? "{}")).toMatchObject({ status: "leave", leaveTypeCode: "official" });

		const html = await (await t.get(res.headers.get("location") ?? "")).text();
		expect(html).toContain("已更正 公假同學 的出勤紀錄");
		expect(html).toContain("已更正");
		expect(html).toContain("參加技能競賽，已附公文");
		expect(html).toContain("北區承辦人");
		expect(html).toContain("公假");

		// The trainee scans the session's QR afterwards: the punch is logged, the correction stands.
		const now = session.startsAt + 10 * MIN;
		const { token } = await mintSessionQrToken(env.QR_SIGNING_KEY, session.id, now);
		const outcome = await punchWithSessionCode(
			{ db, rooms: env.SESSION_ROOM, qrKey: env.QR_SIGNING_KEY, now },
			{ personId: trainee.id, role: "trainee" },
			"check_in",
			{ token },
		);
		expect(outcome).toMatchObject({ ok: true, action: "check_in" });
		const logged = await db
			.select()
			.from(punches)
			.where(and(eq(punches.sessionId, session.id), eq(punches.personId, trainee.id)));
		expect(logged.map((p) => [p.method, p.accepted])).toEqual([["session_qr", true]]);
		expect(await recordOf(trainee.id)).toMatchObject({
			status: "leave",
			leaveTypeCode: "official",
			checkInAt: null,
			checkInMethod: null,
			correctedAt: stored?.correctedAt,
		});
	});

	it("sets a check-in time by hand: 人工, logged as a manual punch, status from the times", async () => {
		const trainee = await newTrainee("補簽同學");
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.post(correctPath(trainee.id), {
			checkIn: "09:05",
			checkOut: "",
			mark: "punches",
			reason: "手機沒電，經教師確認到課",
		});
		expect(res.status).toBe(303);
		const checkInAt = taipeiInstant(session.date, "09:05");
		expect(await recordOf(trainee.id)).toMatchObject({
			checkInAt,
			checkInMethod: "manual",
			checkOutAt: null,
		});
		const manual = await manualPunchesOf(trainee.id);
		expect(manual).toHaveLength(1);
		expect(manual[0]).toMatchObject({ action: "check_in", at: checkInAt, accepted: true, reason: null });
		expect(manual[0]?.byStaffId).toBeGreaterThan(0);
		const html = await (await t.get(page())).text();
		expect(html).toContain("人工");
	});
});

describe("refused corrections", () => {
	it("answers a missing reason, a bad time, another day or a person not in class with 400 and stores nothing", async () => {
		const trainee = await newTrainee("錯誤輸入生");
		const outsider = await db
			.insert(people)
			.values({
				name: "局外人",
				nationalIdHmac: `hmac-${uniqueSuffix()}`,
				nationalIdMasked: "A12****789",
				nationalIdKind: "national",
				birthDate: "1990-01-01",
				createdAt: 1,
				updatedAt: 1,
			})
			.returning()
			.get();
		const t = await signedIn("north.clerk@unit.example");
		const good = { checkIn: "09:00", checkOut: "12:00", mark: "punches", reason: "補登" };
		const cases: [number, Record<string, string>, string][] = [
			[trainee.id, { ...good, reason: "" }, "請填寫更正原因"],
			[trainee.id, { ...good, reason: "   " }, "請填寫更正原因"],
			[trainee.id, { ...good, reason: "x".repeat(201) }, "更正原因最多 200 字"],
			[trainee.id, { ...good, reason: "補登\u0007" }, "無法顯示的字元"],
			[trainee.id, { ...good, checkIn: "25:00" }, "時間格式應為 HH:MM"],
			[trainee.id, { ...good, checkOut: "12:60" }, "時間格式應為 HH:MM"],
			[trainee.id, { ...good, checkIn: `${addDays(session.date, 1)} 09:00` }, "這堂課當天"],
			[trainee.id, { ...good, checkIn: "12:00", checkOut: "09:00" }, "簽退時間不能早於簽到時間"],
			[trainee.id, { ...good, mark: "leave:nope" }, "這個計畫沒有這種假別"],
			[trainee.id, { ...good, mark: "bogus" }, "請選擇出勤狀態"],
			[outsider.id, good, "不在這堂課的名單中"],
		];
		for (const [personId, form, message] of cases) {
			const res = await t.post(correctPath(personId), form);
			expect(res.status, JSON.stringify(form)).toBe(400);
			const html = await res.text();
			expect(html).toContain("更正未儲存");
			expect(html).toContain(message);
		}
		for (const id of [trainee.id, outsider.id]) {
			expect(await recordOf(id)).toBeUndefined();
			expect(await auditOf(id)).toEqual([]);
			expect(await manualPunchesOf(id)).toEqual([]);
		}
	});

	it("refuses a form from another site", async () => {
		const trainee = await newTrainee();
		const t = await signedIn("north.clerk@unit.example");
		const res = await t.post(
			correctPath(trainee.id),
			{ checkIn: "09:00", mark: "punches", reason: "補登" },
			"https://evil.example",
		);
		expect(res.status).toBe(403);
		expect(await recordOf(trainee.id)).toBeUndefined();
	});

	it("shows another unit's member neither the page nor lets them correct it (404)", async () => {
		const trainee = await newTrainee();
		const south = await signedIn("south.admin@unit.example");
		expect((await south.get(page())).status).toBe(404);
		const res = await south.post(correctPath(trainee.id), {
			checkIn: "09:00",
			checkOut: "",
			mark: "punches",
			reason: "試圖更正",
		});
		expect(res.status).toBe(404);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
		// Even a malformed form says only "not found".
		expect((await south.post(correctPath(trainee.id), { reason: "" })).status).toBe(404);
		expect(await recordOf(trainee.id)).toBeUndefined();
		expect(await auditOf(trainee.id)).toEqual([]);
	});
});
