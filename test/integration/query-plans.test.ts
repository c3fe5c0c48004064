// The dashboard's hot queries and the cron jobs stay on indexes as data grows: each page or job runs
// against a D1 that records its SQL, then SQLite's EXPLAIN QUERY PLAN for every statement must show
// no full scan of a large table and, for the paged lists, no sort of the whole matching set.
// (The LINE side — punches, webhook, LIFF — is in query-plans-line.test.ts.)
import { env } from "cloudflare:test";
import { and, eq, isNotNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { addDays, taipeiDate } from "../../src/domain/taipei-time";
import { CRONS, runScheduled } from "../../src/jobs/schedule";
import { unitLeaveQueue } from "../../src/services/leave-queue";
import { enqueue } from "../../src/services/outbox";
import { unitAlerts } from "../../src/services/unit-alerts";
import { unitToday } from "../../src/services/unit-today";
import { signedIn } from "./admin-helpers";
import { devEnv, devFetch, ORIGIN } from "./dev-server";
import { installFakeLine } from "./fake-line";
import { insertFixtureSession } from "./fixtures";
import {
	explain,
	type Plan,
	type Recorded,
	recordingEnv,
	scansIn,
	sortedPages,
	sorts,
} from "./query-plan-harness";
import { lineEvent } from "./webhook-helpers";

const db = createDb(env.DB);
let northUnitId: number;
let runningClassId: number;
let pastSessionId: number;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const north = await db.select().from(schema.units).where(eq(schema.units.code, "DEMO-N")).get();
	northUnitId = north?.id ?? -1;
	const running = await db.select().from(schema.classes).where(eq(schema.classes.code, "DEMO-115-01")).get();
	runningClassId = running?.id ?? -1;
	// A held session of the running class with punches on record.
	const punched = await db
		.select({ id: schema.punches.sessionId })
		.from(schema.punches)
		.innerJoin(schema.sessions, eq(schema.sessions.id, schema.punches.sessionId))
		.where(and(eq(schema.sessions.classId, runningClassId), isNotNull(schema.punches.personId)))
		.get();
	pastSessionId = punched?.id ?? -1;
});

/** The plans of every statement a dashboard page runs (its session check included). */
async function pagePlans(cookie: string, path: string): Promise<Plan[]> {
	const seen: Recorded[] = [];
	const res = await devFetch(
		new Request(new URL(path, ORIGIN), { headers: { cookie }, redirect: "manual" }),
		recordingEnv(devEnv, seen),
	);
	expect(res.status, path).toBe(200);
	await res.arrayBuffer();
	return explain(seen);
}

describe("the plan checks", () => {
	it("catch a full scan of a large table, an index walked whole, and a sorted page", async () => {
		const seen: Recorded[] = [];
		const d1 = recordingEnv(env, seen).DB;
		await d1.prepare("SELECT * FROM punches WHERE reason = ?").bind("TOKEN_EXPIRED").all();
		await d1.prepare("SELECT person_id FROM attendance ORDER BY session_id").all();
		await d1.prepare("SELECT * FROM classes ORDER BY name LIMIT ?").bind(50).all();
		await d1.prepare("SELECT * FROM audit_log ORDER BY at DESC LIMIT ?").bind(50).all();
		const [byReason, wholeIndex, sortedPage, newest] = await explain(seen);
		expect(scansIn([byReason as Plan]).map((s) => s.scans)).toEqual([["SCAN punches"]]);
		expect(scansIn([wholeIndex as Plan])[0]?.scans[0]).toMatch(/^SCAN attendance USING COVERING INDEX/);
		expect(sortedPages([sortedPage as Plan])).toHaveLength(1);
		// Newest first off an index, stopping at the limit: neither a scan nor a sort.
		expect(scansIn([newest as Plan])).toEqual([]);
		expect(sortedPages([newest as Plan])).toEqual([]);
	});
});

describe("query plans: 請假審核 and 今日", () => {
	const reviewer = () => ({ staffId: 1, unitId: northUnitId });

	it.each([
		["the unit's whole queue", {}],
		["pending only", { status: "pending" as const }],
		["one class", { classId: 1 }],
		["a deep page", { offset: 5000 }],
	])("請假審核 (%s) reads the unit's requests in order, without a sort", async (_, filters) => {
		const seen: Recorded[] = [];
		await unitLeaveQueue(createDb(recordingEnv(env, seen).DB), reviewer(), filters);
		const [page, ...rest] = await explain(seen);
		expect(page && sorts(page)).toEqual([]);
		expect(scansIn([page as Plan, ...rest])).toEqual([]);
	});

	it("今日 and its alerts scan no large table", async () => {
		const today = taipeiDate(Date.now());
		const seen: Recorded[] = [];
		const db = createDb(recordingEnv(env, seen).DB);
		const t = await unitToday(db, northUnitId, today);
		await unitAlerts(
			db,
			northUnitId,
			today,
			t.sessions.map((s) => s.id),
			Date.now(),
		);
		expect(scansIn(await explain(seen))).toEqual([]);
	});
});

describe("query plans: dashboard pages", () => {
	// Lists the member pages through (LIMIT/OFFSET) must also not sort all their rows for one page.
	// Not checked for that: 今日 (its undelivered-push alert sorts the unit's few pushes given up in the
	// last 7 days, read as a range of the status index) and 帳號管理 (accounts by unit code and name across a join; staff is small).
	it.each([
		["north.clerk@unit.example", "今日", "/admin", false],
		["north.clerk@unit.example", "請假審核", "/admin/leave", true],
		[
			"north.clerk@unit.example",
			"請假審核, pending, one class",
			"/admin/leave?status=pending&classId=1",
			true,
		],
		["north.clerk@unit.example", "班級", "/admin/classes", true],
		["north.clerk@unit.example", "班級 search", "/admin/classes?q=115", true],
		["admin@agency.example", "班級 (agency, every unit)", "/admin/classes", true],
		["admin@agency.example", "班級 (agency, a later page)", "/admin/classes?page=2", true],
		["north.admin@unit.example", "帳號管理", "/admin/staff", false],
		["admin@agency.example", "帳號管理 (agency, search)", "/admin/staff?q=north", false],
		// The audit_log query itself: admin-audit.test.ts checks its index for every filter shape.
		["north.admin@unit.example", "稽核紀錄", "/admin/audit", true],
		["admin@agency.example", "稽核紀錄 (agency)", "/admin/audit", true],
	])("%s: %s scans no large table", async (email, _, path, paged) => {
		const tab = await signedIn(email);
		const plans = await pagePlans(tab.cookie, path);
		expect(scansIn(plans)).toEqual([]);
		if (paged) expect(sortedPages(plans)).toEqual([]);
	});

	it("a class page (roster, timetable, attendance matrix) and its exports scan no large table", async () => {
		const tab = await signedIn("north.clerk@unit.example");
		const today = taipeiDate(Date.now());
		for (const path of [
			`/admin/classes/${runningClassId}`,
			`/admin/classes/${runningClassId}?from=${addDays(today, -60)}&to=${addDays(today, 60)}`,
			`/admin/classes/${runningClassId}/export.csv?kind=attendance`,
			`/admin/classes/${runningClassId}/export.csv?kind=leave`,
		])
			expect(scansIn(await pagePlans(tab.cookie, path)), path).toEqual([]);
	});

	it("a session's 出勤 sheet reads its punch log page in order, without a sort", async () => {
		expect(pastSessionId).toBeGreaterThan(0);
		const tab = await signedIn("north.clerk@unit.example");
		for (const path of [
			`/admin/sessions/${pastSessionId}/punches`,
			`/admin/sessions/${pastSessionId}/punches?page=3`,
		]) {
			const plans = await pagePlans(tab.cookie, path);
			expect(scansIn(plans), path).toEqual([]);
			expect(
				plans.filter((p) => /from "punches"/i.test(p.query) && /\blimit \?/i.test(p.query)),
			).toHaveLength(1);
			expect(sortedPages(plans), path).toEqual([]);
		}
	});
});

describe("query plans: cron jobs", () => {
	it("close-out, leave expiry, digest, purge, outbox claim and webhook retries scan no large table", async () => {
		const now = Date.now();
		// Work for every job: an ended session not closed yet, a pending request past its review
		// window, a due outbox row and a failed webhook event due again.
		const old = await insertFixtureSession(db, addDays(taipeiDate(now), -30));
		const past = await db.select().from(schema.sessions).where(eq(schema.sessions.id, old.sessionId)).get();
		await db.insert(schema.leaveRequests).values({
			personId: old.personId,
			classId: old.classId,
			unitId: old.unitId,
			leaveTypeCode: "personal",
			firstDate: past?.date ?? "",
			lastDate: past?.date ?? "",
			hours: 3,
			idempotencyKey: `plan-${now}`,
			submittedAt: now - 30 * 86_400_000,
			updatedAt: now,
		});
		await enqueue(
			db,
			{ channel: "line_push", recipient: DEMO_LINE_USERS.trainee, payload: { messages: [] } },
			now - 1000,
		);
		const failed = lineEvent.unfollow(DEMO_LINE_USERS.unbound);
		await db.insert(schema.webhookEvents).values({
			webhookEventId: failed.webhookEventId,
			type: "unfollow",
			lineUserId: DEMO_LINE_USERS.unbound,
			payload: JSON.stringify(failed),
			status: "failed",
			attempts: 1,
			nextAttemptAt: now - 1000,
			receivedAt: now - 600_000,
		});
		const seen: Recorded[] = [];
		const recording = recordingEnv(env, seen);
		const line = installFakeLine();
		try {
			for (const cron of Object.values(CRONS)) await runScheduled(cron, recording, now);
		} finally {
			line.restore();
		}
		expect(line.calls.some((c) => c.path === "/v2/bot/message/push")).toBe(true);
		const plans = await explain(seen);
		// Each job did its work, so its per-row statements were planned too.
		const ran = (table: string, verb: string) =>
			plans.some((p) => new RegExp(`^${verb}\\b[^]*"${table}"`, "i").test(p.query.trim()));
		expect(ran("attendance", "insert")).toBe(true);
		expect(ran("leave_requests", "update")).toBe(true);
		expect(ran("outbox", "update")).toBe(true);
		expect(ran("webhook_events", "update")).toBe(true);
		expect(scansIn(plans)).toEqual([]);
	});
});
