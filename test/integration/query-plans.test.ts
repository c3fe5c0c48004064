// The dashboard's hot queries stay on indexes as data grows: each service runs against a D1 that
// records its SQL, then SQLite's EXPLAIN QUERY PLAN for every statement must show no full scan of a
// large table and, for the paged leave list, no sort of the unit's whole queue.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiDate } from "../../src/domain/taipei-time";
import { unitLeaveQueue } from "../../src/services/leave-queue";
import { unitAlerts } from "../../src/services/unit-alerts";
import { unitToday } from "../../src/services/unit-today";

/** Tables that grow with every trainee, session or day. */
const LARGE = [
	"leave_requests",
	"leave_request_sessions",
	"attendance",
	"punches",
	"sessions",
	"enrollments",
	"people",
	"outbox",
	"audit_log",
];

type Recorded = { query: string; params: unknown[] };

/** A D1 that remembers every statement prepared on it, with what was bound to it. */
function recordingD1(seen: Recorded[]): D1Database {
	return new Proxy(env.DB, {
		get(target, key) {
			if (key === "prepare")
				return (query: string) => {
					const entry: Recorded = { query, params: [] };
					seen.push(entry);
					const statement = target.prepare(query);
					const bind = statement.bind.bind(statement);
					statement.bind = (...params: unknown[]) => {
						entry.params = params;
						return bind(...params);
					};
					return statement;
				};
			const value = Reflect.get(target, key);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

async function plansOf(run: (db: ReturnType<typeof createDb>) => Promise<unknown>): Promise<string[]> {
	const seen: Recorded[] = [];
	await run(createDb(recordingD1(seen)));
	expect(seen.length).toBeGreaterThan(0);
	const plans: string[] = [];
	for (const { query, params } of seen) {
		const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`)
			.bind(...params)
			.all<{ detail: string }>();
		plans.push(rows.results.map((r) => r.detail).join("\n"));
	}
	return plans;
}

const fullScans = (plan: string) =>
	plan
		.split("\n")
		.filter((line) => LARGE.some((table) => new RegExp(`^SCAN ${table}\\b(?! USING)`).test(line)));

let northUnitId: number;
beforeAll(async () => {
	await seedDemoData(createDb(env.DB), { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const north = await env.DB.prepare("SELECT id FROM units WHERE code = 'DEMO-N'").first<{ id: number }>();
	northUnitId = north?.id ?? -1;
});

describe("query plans", () => {
	const reviewer = () => ({ staffId: 1, unitId: northUnitId });

	it.each([
		["the unit's whole queue", {}],
		["pending only", { status: "pending" as const }],
		["one class", { classId: 1 }],
		["a deep page", { offset: 5000 }],
	])("請假審核 (%s) reads the unit's requests in order, without a sort", async (_, filters) => {
		const [page, ...rest] = await plansOf((db) => unitLeaveQueue(db, reviewer(), filters));
		expect(page).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
		for (const plan of [page ?? "", ...rest]) expect(fullScans(plan)).toEqual([]);
	});

	it("今日 and its alerts scan no large table", async () => {
		const today = taipeiDate(Date.now());
		const plans = await plansOf(async (db) => {
			const t = await unitToday(db, northUnitId, today);
			await unitAlerts(
				db,
				northUnitId,
				today,
				t.sessions.map((s) => s.id),
				Date.now(),
			);
		});
		for (const plan of plans) expect(fullScans(plan)).toEqual([]);
	});
});
