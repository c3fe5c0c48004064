// 簽到/簽退 over HTTP as the LIFF pages call it: a teacher's display QR, a trainee scanning it (also
// through a scan ticket), the personal QR scanned by the teacher, the live WebSocket, and refusals.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { attendance, classes, enrollments, lineBindings, sessions } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { taipeiDate } from "../../src/domain/taipei-time";
import { mintPersonalToken } from "../../src/qr/tickets";
import { devFetch, liffCall, ORIGIN, routeLineToEmulator } from "./dev-server";
import { insertFixtureSession } from "./fixtures";

const db = createDb(env.DB);
let sessionId: number;
let traineePersonId: number;
let otherSessionId: number;
let runningClassId: number;

const personOf = async (userId: string, role: "trainee" | "teacher") =>
	(
		await db
			.select()
			.from(lineBindings)
			.where(and(eq(lineBindings.lineUserId, userId), eq(lineBindings.role, role)))
			.get()
	)?.personId as number;

beforeAll(async () => {
	const now = Date.now();
	await seedDemoData(db, { now, piiKey: env.PII_HMAC_KEY });
	const running = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
	runningClassId = running?.id as number;
	const teacher = await personOf(DEMO_LINE_USERS.teacher, "teacher");
	traineePersonId = await personOf(DEMO_LINE_USERS.trainee, "trainee");
	// A session of the running class that started five minutes ago, taught by the demo teacher.
	const row = await db
		.insert(sessions)
		.values({
			classId: running?.id as number,
			date: taipeiDate(now),
			startsAt: now - 5 * 60_000,
			endsAt: now + 3 * 3_600_000,
			hours: 3,
			subject: "QR 測試課",
			teacherPersonId: teacher,
			createdAt: now,
			updatedAt: now,
		})
		.returning()
		.get();
	sessionId = row.id;
	const other = await insertFixtureSession(db, taipeiDate(now));
	await db.update(sessions).set({ teacherPersonId: teacher }).where(eq(sessions.id, other.sessionId));
	otherSessionId = other.sessionId;
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const call = liffCall;
const post = (userId: string, path: string, json: unknown) => call(userId, path, { method: "POST", json });
const errorOf = async (res: Response) =>
	((await res.json()) as { error: { code: string; message: string } }).error;

async function displayQr() {
	const res = await call(DEMO_LINE_USERS.teacher, `/api/liff/teacher/sessions/${sessionId}/qr`);
	expect(res.status).toBe(200);
	return (await res.json()) as {
		svg: string;
		url: string;
		shortCode: string;
		serverNow: number;
		windowEndsAt: number;
		live: { checkedIn: number; expected: number };
	};
}

describe("the teacher's display", () => {
	it("shows a QR of a link into the trainee's scan page, a short code and the window's end", async () => {
		const qr = await displayQr();
		expect(qr.svg).toMatch(/^<\?xml|^<svg/);
		expect(qr.url).toMatch(new RegExp(`^${ORIGIN}/liff/trainee/scan\\?t=q1\\.`));
		expect(qr.shortCode).toMatch(/^\d{6}$/);
		expect(qr.windowEndsAt - qr.serverNow).toBeGreaterThan(0);
		expect(qr.windowEndsAt - qr.serverNow).toBeLessThanOrEqual(15_000);
		expect(qr.live.expected).toBe(30);
	});

	it("is not shown to a teacher of another session, nor to someone bound only as a trainee", async () => {
		expect((await call(DEMO_LINE_USERS.both, `/api/liff/teacher/sessions/${sessionId}/qr`)).status).toBe(404);
		const trainee = await call(DEMO_LINE_USERS.trainee, `/api/liff/teacher/sessions/${sessionId}/qr`);
		expect(trainee.status).toBe(403);
		expect((await errorOf(trainee)).code).toBe("NOT_BOUND");
	});

	it("lists the teacher's sessions of today", async () => {
		const res = await call(DEMO_LINE_USERS.teacher, "/api/liff/teacher/sessions");
		const body = (await res.json()) as { sessions: { id: number }[] };
		expect(body.sessions.map((s) => s.id)).toEqual(expect.arrayContaining([sessionId, otherSessionId]));
	});
});

describe("a trainee scanning the display", () => {
	it("checks in with the token of the QR and is counted on the display", async () => {
		const before = (await displayQr()).live.checkedIn;
		const token = new URL((await displayQr()).url).searchParams.get("t");
		const res = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_in",
			token,
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ action: "check_in", timingLabel: "準時", repeated: false });
		expect((await displayQr()).live.checkedIn).toBe(before + 1);
		const record = await db
			.select()
			.from(attendance)
			.where(and(eq(attendance.sessionId, sessionId), eq(attendance.personId, traineePersonId)))
			.get();
		expect(record?.checkInMethod).toBe("session_qr");
		// Scanning again answers with the first time.
		const again = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_in",
			token,
		});
		expect(await again.json()).toMatchObject({ repeated: true, at: record?.checkInAt });
	});

	it("carries a QR seen before sign-in as a single-use ticket", async () => {
		const token = new URL((await displayQr()).url).searchParams.get("t");
		const issued = await devFetch(
			new Request(`${ORIGIN}/api/qr/ticket`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ token }),
			}),
		);
		expect(issued.status).toBe(200);
		const { ticket } = (await issued.json()) as { ticket: string };
		const out = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_out",
			ticket,
		});
		expect(out.status).toBe(200);
		expect(await out.json()).toMatchObject({ action: "check_out", timingLabel: "早退" });
		const reused = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_out",
			ticket,
		});
		expect(reused.status).toBe(409);
		expect((await errorOf(reused)).code).toBe("TOKEN_REUSED");
	});

	it("refuses a forged token, a typo'd short code and bad input with a zh-TW reason", async () => {
		const forged = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_in",
			token: "q1.1.2.15.AAAAAAAAAAAAAA",
		});
		expect(forged.status).toBe(400);
		expect(await errorOf(forged)).toMatchObject({
			code: "TOKEN_FORGED",
			message: expect.stringMatching(/QR Code/),
		});
		const shortCode = (await displayQr()).shortCode;
		const wrong = String((Number(shortCode) + 1) % 1_000_000).padStart(6, "0");
		const typo = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_in",
			code: wrong,
		});
		expect((await errorOf(typo)).code).toBe("SHORT_CODE_WRONG");
		for (const bad of [
			{ role: "trainee", action: "checkin", token: "x" },
			{ role: "admin", action: "check_in", token: "x" },
			{ role: "trainee", action: "check_in", code: "12ab56" },
			{ role: "trainee", action: "check_in" },
		]) {
			const res = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", bad);
			expect(res.status).toBe(400);
			expect((await errorOf(res)).code).toBe("VALIDATION_FAILED");
		}
	});

	it("accepts the short code typed in", async () => {
		const { shortCode } = await displayQr();
		const res = await post(DEMO_LINE_USERS.trainee, "/api/liff/punch", {
			role: "trainee",
			action: "check_out",
			code: `${shortCode.slice(0, 3)} ${shortCode.slice(3)}`,
		});
		expect(res.status).toBe(200);
	});
});

describe("the teacher scanning a trainee's personal QR", () => {
	it("records once per action and tells the second scan it was used", async () => {
		const qr = await call(DEMO_LINE_USERS.trainee, "/api/liff/me/qr?role=trainee");
		expect(qr.status).toBe(200);
		const personal = (await qr.json()) as {
			token: string;
			svg: string;
			expiresAt: number;
			serverNow: number;
		};
		expect(personal.expiresAt - personal.serverNow).toBe(60_000);
		const scan = () =>
			post(DEMO_LINE_USERS.teacher, `/api/liff/teacher/sessions/${sessionId}/scan`, {
				action: "check_out",
				token: personal.token,
			});
		const first = await scan();
		expect(first.status).toBe(200);
		expect(((await first.json()) as { name: string }).name.length).toBeGreaterThan(1);
		expect((await errorOf(await scan())).code).toBe("TOKEN_REUSED");
		// Another teacher's session is not found; a personal QR asked for an unbound role is refused.
		expect(
			(
				await post(DEMO_LINE_USERS.both, `/api/liff/teacher/sessions/${sessionId}/scan`, {
					action: "check_in",
					token: personal.token,
				})
			).status,
		).toBe(404);
		expect((await call(DEMO_LINE_USERS.trainee, "/api/liff/me/qr?role=teacher")).status).toBe(403);
	});
});

describe("the live counter", () => {
	it("opens with a ticket, sends the current count, and refuses without one", async () => {
		const ticket = await post(
			DEMO_LINE_USERS.teacher,
			`/api/liff/teacher/sessions/${sessionId}/live-ticket`,
			{},
		);
		const { path } = (await ticket.json()) as { path: string };
		const res = await devFetch(new Request(`${ORIGIN}${path}`, { headers: { upgrade: "websocket" } }));
		expect(res.status).toBe(101);
		const ws = res.webSocket as WebSocket;
		const messages: string[] = [];
		const first = new Promise<void>((resolve) => {
			ws.addEventListener("message", (e) => {
				messages.push(String(e.data));
				resolve();
			});
		});
		ws.accept();
		await first;
		const opening = JSON.parse(messages[0] as string) as { checkedIn: number; expected: number };
		expect(opening).toMatchObject({ sessionId, expected: 30 });

		// Another trainee of the class is scanned in: the display hears of it at once.
		const update = new Promise<string>((resolve) =>
			ws.addEventListener("message", (e) => resolve(String(e.data))),
		);
		const seat5 = await db
			.select()
			.from(enrollments)
			.where(and(eq(enrollments.classId, runningClassId), eq(enrollments.seatNo, 5)))
			.get();
		const { token } = await mintPersonalToken(
			env.QR_SIGNING_KEY,
			seat5?.personId as number,
			"trainee",
			Date.now(),
		);
		await post(DEMO_LINE_USERS.teacher, `/api/liff/teacher/sessions/${sessionId}/scan`, {
			action: "check_in",
			token,
		});
		const live = JSON.parse(await update) as { checkedIn: number; recent: { name: string }[] };
		expect(live.checkedIn).toBe(opening.checkedIn + 1);
		expect(live.recent[0]?.name).toContain("○");
		ws.close();

		const forged = await devFetch(
			new Request(`${ORIGIN}/live/sessions/${sessionId}?ticket=w1.1.1.AAAAAAAAAAAAAA`, {
				headers: { upgrade: "websocket" },
			}),
		);
		expect(forged.status).toBe(401);
		const otherSession = await devFetch(
			new Request(`${ORIGIN}${path.replace(`/sessions/${sessionId}`, `/sessions/${otherSessionId}`)}`, {
				headers: { upgrade: "websocket" },
			}),
		);
		expect(otherSession.status).toBe(401);
	});
});
