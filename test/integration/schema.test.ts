// The migrated D1 matches src/db/schema.ts, holds the reference data, and its constraints keep
// the data right even when application code gets it wrong.
import { env } from "cloudflare:test";
import { eq, getTableName, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { LEAVE_TYPES } from "../../src/domain/leave-types";
import { insertFixtureSession, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);
const tables: SQLiteTable[] = Object.values(schema).filter((v) => is(v, SQLiteTable));

/** drizzle wraps D1's error (and puts the bound values in its message); the cause names the constraint. */
async function expectConstraint(query: PromiseLike<unknown>, constraint: RegExp) {
	const error = await Promise.resolve(query).then(
		() => null,
		(e: unknown) => e,
	);
	expect(error, "the write should have been refused").toBeInstanceOf(Error);
	expect(String((error as Error).cause ?? error)).toMatch(constraint);
}

type ColumnInfo = { name: string; notnull: number; pk: number };
type IndexInfo = { name: string; unique: number; partial: number };

describe("migrations agree with src/db/schema.ts", () => {
	it.each(tables.map((table) => [getTableName(table), table] as const))("table %s", async (name, table) => {
		const config = getTableConfig(table);
		const { results: columns } = await env.DB.prepare(`PRAGMA table_info(${name})`).all<ColumnInfo>();
		expect(columns.map((c) => c.name).sort()).toEqual(config.columns.map((c) => c.name).sort());
		for (const column of config.columns) {
			const actual = columns.find((c) => c.name === column.name);
			expect(actual?.notnull === 1 || actual?.pk !== 0, `${name}.${column.name} NOT NULL`).toBe(
				column.notNull,
			);
		}
		const { results: indexes } = await env.DB.prepare(`PRAGMA index_list(${name})`).all<IndexInfo>();
		for (const index of config.indexes) {
			const actual = indexes.find((i) => i.name === index.config.name);
			expect(actual, `index ${index.config.name}`).toBeDefined();
			expect(actual?.unique === 1, `${index.config.name} unique`).toBe(index.config.unique);
		}
	});

	it("creates no table the schema does not know", async () => {
		const { results } = await env.DB.prepare(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
		).all<{ name: string }>();
		expect(results.map((r) => r.name).sort()).toEqual(tables.map((t) => getTableName(t)).sort());
	});

	it("holds the manual's ten leave types exactly as the domain lists them", async () => {
		const rows = await db.select().from(schema.leaveTypes).orderBy(schema.leaveTypes.sortOrder);
		expect(rows.map(({ sortOrder: _, ...r }) => r)).toEqual(LEAVE_TYPES.map((t) => ({ ...t })));
	});
});

describe("constraints", () => {
	it("allows one active leave request per person and session, and a new one after withdrawal", async () => {
		const f = await insertFixtureSession(db);
		const request = (key: string) =>
			db
				.insert(schema.leaveRequests)
				.values({
					personId: f.personId,
					classId: f.classId,
					unitId: f.unitId,
					leaveTypeCode: "sick",
					firstDate: f.date,
					lastDate: f.date,
					hours: 3,
					idempotencyKey: key,
					submittedAt: 1,
					updatedAt: 1,
				})
				.returning({ id: schema.leaveRequests.id })
				.get();
		const first = await request(`a-${uniqueSuffix()}`);
		const second = await request(`b-${uniqueSuffix()}`);
		const cover = (leaveRequestId: number) =>
			db
				.insert(schema.leaveRequestSessions)
				.values({ leaveRequestId, sessionId: f.sessionId, personId: f.personId, active: 1 });
		await cover(first.id);
		await expectConstraint(cover(second.id), /UNIQUE/);
		// Withdrawing (active → NULL) frees the session for a new request.
		await db
			.update(schema.leaveRequestSessions)
			.set({ active: null })
			.where(eq(schema.leaveRequestSessions.leaveRequestId, first.id));
		await cover(second.id);
	});

	it("refuses a second request with the same client key (double tap)", async () => {
		const f = await insertFixtureSession(db);
		const values = {
			personId: f.personId,
			classId: f.classId,
			unitId: f.unitId,
			leaveTypeCode: "sick",
			firstDate: f.date,
			lastDate: f.date,
			hours: 3,
			idempotencyKey: "same-key",
			submittedAt: 1,
			updatedAt: 1,
		};
		await db.insert(schema.leaveRequests).values(values);
		const again = await db.insert(schema.leaveRequests).values(values).onConflictDoNothing();
		expect(again.meta.changes).toBe(0);
	});

	it("keeps one attendance row per session and person", async () => {
		const f = await insertFixtureSession(db);
		const row = { sessionId: f.sessionId, personId: f.personId, role: "trainee" as const, updatedAt: 1 };
		await db.insert(schema.attendance).values(row);
		await expectConstraint(db.insert(schema.attendance).values(row), /UNIQUE/);
	});

	it("keeps one binding per LINE user and role, and one LINE user per person and role", async () => {
		const f = await insertFixtureSession(db);
		const other = await insertFixtureSession(db);
		const userA = `U${uniqueSuffix().padStart(32, "a")}`;
		const userB = `U${uniqueSuffix().padStart(32, "b")}`;
		await db.insert(schema.lineUsers).values([
			{ userId: userA, createdAt: 1, updatedAt: 1 },
			{ userId: userB, createdAt: 1, updatedAt: 1 },
		]);
		await db
			.insert(schema.lineBindings)
			.values({ lineUserId: userA, role: "trainee", personId: f.personId, boundAt: 1 });
		await expectConstraint(
			db
				.insert(schema.lineBindings)
				.values({ lineUserId: userA, role: "trainee", personId: other.personId, boundAt: 1 }),
			/UNIQUE/,
		);
		await expectConstraint(
			db
				.insert(schema.lineBindings)
				.values({ lineUserId: userB, role: "trainee", personId: f.personId, boundAt: 1 }),
			/UNIQUE/,
		);
		// The same LINE user may hold the other role.
		await db
			.insert(schema.lineBindings)
			.values({ lineUserId: userA, role: "teacher", personId: other.personId, boundAt: 1 });
	});

	it("stores a webhookEventId once", async () => {
		const event = { webhookEventId: `01J${uniqueSuffix()}`, type: "follow", payload: "{}", receivedAt: 1 };
		await db.insert(schema.webhookEvents).values(event);
		const again = await db.insert(schema.webhookEvents).values(event).onConflictDoNothing();
		expect(again.meta.changes).toBe(0);
	});

	it("refuses sessions that end before they start and unit staff without a unit", async () => {
		const f = await insertFixtureSession(db);
		await expectConstraint(
			db.insert(schema.sessions).values({
				classId: f.classId,
				date: f.date,
				startsAt: 2_000,
				endsAt: 1_000,
				hours: 1,
				subject: "x",
				createdAt: 1,
				updatedAt: 1,
			}),
			/CHECK/,
		);
		await expectConstraint(
			db.insert(schema.staff).values({
				email: `${uniqueSuffix()}@x.test`,
				name: "x",
				role: "unit_staff",
				createdAt: 1,
				updatedAt: 1,
			}),
			/CHECK/,
		);
	});
});

describe("hot queries use their indexes", () => {
	const plan = async (query: string) => {
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`).all<{ detail: string }>();
		return results.map((r) => r.detail).join("\n");
	};

	it.each([
		[
			"a trainee's sessions of a day",
			"SELECT * FROM sessions WHERE class_id = 1 AND date = '2026-12-03'",
			"sessions_class_date_idx",
		],
		[
			"a session's attendance",
			"SELECT * FROM attendance WHERE session_id = 1",
			"attendance_session_person_uq",
		],
		[
			"a unit's pending leave",
			"SELECT * FROM leave_requests WHERE unit_id = 1 AND status = 'pending' ORDER BY submitted_at",
			"leave_requests_unit_status_idx",
		],
		[
			"a LINE user's bindings",
			"SELECT * FROM line_bindings WHERE line_user_id = 'U1'",
			"line_bindings_user_role_uq",
		],
		[
			"a person's active leave on a session",
			"SELECT 1 FROM leave_request_sessions WHERE person_id = 1 AND session_id = 2 AND active = 1",
			"leave_request_sessions_one_active_uq",
		],
		[
			"due outbox messages",
			"SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= 5 LIMIT 50",
			"outbox_due_idx",
		],
	])("%s", async (_, query, index) => {
		expect(await plan(query)).toContain(index);
	});
});
