// The LINE side's hot queries stay on indexes as data grows: punches (the services and the
// SessionRoom's own D1 reads and writes), the webhook (inbox, handling, answers, outbox) and the
// 學員專區 LIFF API (我的課表, 請假節次, 我的請假). Each runs against a D1 that records its SQL; then
// EXPLAIN QUERY PLAN of every statement must show no full scan of a large table.
// (The dashboard and the cron jobs are in query-plans.test.ts.)
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { addDays, taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import type { SessionRoom } from "../../src/durable/session-room";
import worker from "../../src/index";
import { encodePostback } from "../../src/line/postback";
import { signLineBody } from "../../src/line/signature";
import { mintSessionQrToken, sessionShortCode } from "../../src/qr/rotating-token";
import { mintPersonalToken, mintScanTicket } from "../../src/qr/tickets";
import { signDevIdToken } from "../../src/routes/dev/id-token-emulator";
import { punchWithPersonalToken, punchWithSessionCode, roomOf } from "../../src/services/punch";
import { devEnv, devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";
import { installFakeLine } from "./fake-line";
import { enrollNewTrainee, insertFixtureSession, uniqueSuffix } from "./fixtures";
import {
	explain,
	type Recorded,
	recordingD1,
	recordingEnv,
	scansIn,
	sortedPages,
} from "./query-plan-harness";
import { lineEvent } from "./webhook-helpers";

const db = createDb(env.DB);
const MIN = 60_000;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});

describe("query plans: 簽到/簽退", () => {
	it("the punch services and the SessionRoom's D1 reads and writes scan no large table", async () => {
		const date = "2026-12-03";
		const f = await insertFixtureSession(db, date);
		const second = await enrollNewTrainee(db, f.classId);
		const third = await enrollNewTrainee(db, f.classId);
		const teacher = await enrollNewTrainee(db, f.classId, "林老師");
		await db.insert(schema.classTeachers).values({ classId: f.classId, personId: teacher.id, createdAt: 1 });
		const now = taipeiInstant(date, "09:05");
		const seen: Recorded[] = [];
		// The room reads and writes D1 through its own env: point it at the recording D1 before it wakes.
		const room = roomOf(env.SESSION_ROOM, f.sessionId);
		await runInDurableObject(room, (instance: SessionRoom) => {
			(instance as unknown as { env: Env }).env = recordingEnv(env, seen);
		});
		const deps = { db: createDb(recordingD1(seen)), rooms: env.SESSION_ROOM, qrKey: env.QR_SIGNING_KEY, now };
		const trainee = (personId: number) => ({ personId, role: "trainee" as const });

		const { token } = await mintSessionQrToken(env.QR_SIGNING_KEY, f.sessionId, now);
		expect(await punchWithSessionCode(deps, trainee(f.personId), "check_in", { token })).toMatchObject({
			ok: true,
		});
		const code = await sessionShortCode(env.QR_SIGNING_KEY, f.sessionId, now);
		expect(await punchWithSessionCode(deps, trainee(second.id), "check_in", { code })).toMatchObject({
			ok: true,
		});
		expect(
			await punchWithSessionCode(deps, { personId: teacher.id, role: "teacher" }, "check_in", { code }),
		).toMatchObject({ ok: true });
		const wrong = code === "000000" ? "000001" : "000000";
		expect(await punchWithSessionCode(deps, trainee(third.id), "check_in", { code: wrong })).toMatchObject({
			ok: false,
		});
		const { ticket } = await mintScanTicket(env.QR_SIGNING_KEY, f.sessionId, now);
		expect(await punchWithSessionCode(deps, trainee(third.id), "check_in", { ticket })).toMatchObject({
			ok: true,
		});
		const old = await mintSessionQrToken(env.QR_SIGNING_KEY, f.sessionId, now - 10 * MIN);
		await punchWithSessionCode(deps, trainee(third.id), "check_out", { token: old.token });
		const personal = await mintPersonalToken(env.QR_SIGNING_KEY, f.personId, "trainee", now + 170 * MIN);
		expect(
			await punchWithPersonalToken(
				{ ...deps, now: now + 170 * MIN },
				f.sessionId,
				"check_out",
				personal.token,
			),
		).toMatchObject({ ok: true });

		const plans = await explain(seen);
		// The room's own statements were among them: its context read and its write-through.
		expect(plans.some((p) => /^insert into "punches"/i.test(p.query))).toBe(true);
		expect(plans.some((p) => /^insert into "attendance"/i.test(p.query))).toBe(true);
		expect(plans.some((p) => /from "enrollments" inner join "people"/i.test(p.query))).toBe(true);
		expect(scansIn(plans)).toEqual([]);
	});
});

describe("query plans: LINE webhook", () => {
	let line: ReturnType<typeof installFakeLine>;
	beforeEach(() => {
		line = installFakeLine();
		line.provisionMenus();
	});
	afterEach(() => line.restore());

	/** Posts signed events to the Worker whose D1 records, and waits for their handling. */
	async function deliver(seen: Recorded[], ...events: object[]) {
		const body = JSON.stringify({ destination: "Ubot", events });
		const ctx = createExecutionContext();
		const res = await worker.fetch(
			new Request(`${ORIGIN}/webhook/line`, {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-line-signature": await signLineBody(env.LINE_CHANNEL_SECRET, body),
				},
				body,
			}),
			recordingEnv(env, seen),
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(res.status).toBe(200);
	}

	it("follow, messages, postbacks, a redelivery and unfollow scan no large table", async () => {
		const newcomer = `U${uniqueSuffix().padStart(32, "0").slice(-32)}`;
		const seen: Recorded[] = [];
		const text = lineEvent.text(DEMO_LINE_USERS.trainee, "請假");
		await deliver(seen, lineEvent.follow(newcomer));
		await deliver(seen, text, lineEvent.text(DEMO_LINE_USERS.both, "客服"));
		await deliver(seen, lineEvent.text(DEMO_LINE_USERS.teacher, "簽到"));
		await deliver(seen, lineEvent.postback(newcomer, encodePostback({ a: "bind", role: "trainee" })));
		await deliver(
			seen,
			lineEvent.postback(DEMO_LINE_USERS.both, encodePostback({ a: "switch", role: "teacher" })),
		);
		await deliver(seen, { ...text, deliveryContext: { isRedelivery: true } });
		await deliver(seen, lineEvent.follow(DEMO_LINE_USERS.trainee, true));
		await deliver(seen, lineEvent.unfollow(newcomer));
		const plans = await explain(seen);
		// Each step reached D1: the inbox, the user, the binding link, the answer in the outbox.
		for (const table of ["webhook_events", "line_users", "binding_requests", "outbox"])
			expect(
				plans.some((p) => new RegExp(`"${table}"`).test(p.query)),
				table,
			).toBe(true);
		expect(line.calls.length).toBeGreaterThan(0);
		expect(scansIn(plans)).toEqual([]);
	});
});

describe("query plans: 學員專區 (LIFF)", () => {
	beforeEach(() => {
		routeLineToEmulator();
	});
	afterEach(() => vi.restoreAllMocks());

	async function call(seen: Recorded[], user: string, path: string, init: RequestInit = {}) {
		const idToken = await signDevIdToken(user, {
			issuer: ORIGIN,
			channelId: env.LINE_LOGIN_CHANNEL_ID,
			now: Date.now(),
		});
		const headers = new Headers(init.headers);
		headers.set("authorization", `Bearer ${idToken}`);
		if (init.body) headers.set("content-type", "application/json");
		const res = await devFetch(
			new Request(`${ORIGIN}${path}`, { ...init, headers }),
			recordingEnv(devEnv, seen),
		);
		expect(res.status, path).toBeLessThan(500);
		return res.json() as Promise<Record<string, unknown>>;
	}

	it("我的課表, 請假節次, asking for leave, withdrawing and the personal QR scan no large table", async () => {
		const seen: Recorded[] = [];
		const me = DEMO_LINE_USERS.trainee;
		const today = taipeiDate(Date.now());
		await call(seen, me, "/api/liff/me");
		await call(seen, me, "/api/liff/trainee/overview");
		await call(seen, me, `/api/liff/trainee/timetable?from=${addDays(today, -90)}&to=${addDays(today, 90)}`);
		await call(seen, me, "/api/liff/trainee/timetable");
		// A day ahead with sessions to ask leave for (the demo runs weekdays).
		let options: { sessions: { id: number; leave: unknown; cancelled: boolean }[] } = { sessions: [] };
		for (let d = 1; d < 10 && !options.sessions.some((s) => !s.leave && !s.cancelled); d++)
			options = (await call(
				seen,
				me,
				`/api/liff/trainee/leave-options?date=${addDays(today, d)}`,
			)) as typeof options;
		const free = options.sessions.find((s) => !s.leave && !s.cancelled);
		expect(free).toBeDefined();
		const filed = (await call(seen, me, "/api/liff/trainee/leave", {
			method: "POST",
			body: JSON.stringify({
				sessionIds: [free?.id],
				typeCode: "sick",
				remark: "",
				clientKey: `plan-${uniqueSuffix()}`,
			}),
		})) as { requestId?: number };
		expect(filed.requestId).toBeGreaterThan(0);
		await call(seen, me, "/api/liff/trainee/leave");
		await call(seen, me, `/api/liff/trainee/leave/${filed.requestId}`);
		await call(seen, me, `/api/liff/trainee/leave/${filed.requestId}/withdraw`, { method: "POST" });
		await call(seen, me, "/api/liff/me/qr?role=trainee");
		await call(seen, me, "/api/liff/punch", {
			method: "POST",
			body: JSON.stringify({ role: "trainee", action: "check_in", code: "000000" }),
		});
		await call(seen, DEMO_LINE_USERS.teacher, "/api/liff/teacher/sessions");
		const plans = await explain(seen);
		expect(plans.some((p) => /^insert into "leave_requests"/i.test(p.query))).toBe(true);
		expect(scansIn(plans)).toEqual([]);
		// 請假節次 (the trainee's own requests, newest first, at most a page) comes off the index in order.
		const mine = plans.filter((p) => /from "leave_requests" inner join "leave_types"/i.test(p.query));
		expect(mine.length).toBeGreaterThan(0);
		expect(sortedPages(mine)).toEqual([]);
	});
});
