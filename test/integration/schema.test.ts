// The migrated D1 matches src/db/schema.ts, holds the reference data, and its constraints keep
// the data right even when application code gets it wrong.
import { env } from "cloudflare:test";
import { eq, getTableName, is, SQL } from "drizzle-orm";
import {
	getTableConfig,
	type SQLiteColumn,
	SQLiteSyncDialect,
	SQLiteTable,
	uniqueKeyName,
} from "drizzle-orm/sqlite-core";
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

type ColumnInfo = {
	name: string;
	type: string;
	notnull: number;
	dflt_value: string | null;
	pk: number;
	hidden: number;
};
/** origin: "c" CREATE INDEX, "u" an inline UNIQUE, "pk" the table's PRIMARY KEY. */
type IndexInfo = { name: string; unique: number; origin: "c" | "u" | "pk"; partial: number };
type IndexColumnInfo = { seqno: number; name: string | null; desc: number; coll: string; key: number };
type ForeignKeyInfo = {
	id: number;
	seq: number;
	table: string;
	from: string;
	to: string | null;
	on_update: string;
	on_delete: string;
};
type TableListInfo = { name: string; type: string; ncol: number; wr: number; strict: number };

// drizzle-kit renders SQL (index WHERE, CHECK) with this dialect; the migrations hold that text.
const dialect = new SQLiteSyncDialect();
const render = (value: SQL) => dialect.sqlToQuery(value).sql;
const squash = (text: string) => text.replace(/\s+/g, " ").trim();
const EXPRESSION = "<expression>";

/** A column's DEFAULT as drizzle-kit writes it (and as PRAGMA table_info gives it back). */
function defaultSql(column: SQLiteColumn): string | null {
	const value: unknown = column.default;
	if (value === undefined) return null; // none, or a JS-side $defaultFn
	if (is(value, SQL)) return render(value);
	if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
	if (typeof value === "object") return `'${JSON.stringify(value)}'`;
	return String(value);
}

/** Every index drizzle-kit creates for a table: index()/uniqueIndex(), .unique() columns, unique(). */
function expectedIndexes(table: SQLiteTable) {
	const config = getTableConfig(table);
	const indexes = config.indexes.map((i) => ({
		name: i.config.name,
		columns: i.config.columns.map((c) => (is(c, SQL) ? EXPRESSION : c.name)),
		unique: i.config.unique,
		where: i.config.where ? squash(render(i.config.where)) : null,
	}));
	for (const column of config.columns) {
		if (column.isUnique && column.uniqueName) {
			indexes.push({ name: column.uniqueName, columns: [column.name], unique: true, where: null });
		}
	}
	for (const u of config.uniqueConstraints) {
		const columns = u.columns.map((c) => c.name);
		indexes.push({ name: u.name ?? uniqueKeyName(table, columns), columns, unique: true, where: null });
	}
	return indexes.sort((a, b) => a.name.localeCompare(b.name));
}

/** The table's CHECK constraints as `name: expression`, read from its CREATE TABLE text. */
function checksIn(createTable: string): string[] {
	const checks: string[] = [];
	for (const match of createTable.matchAll(/CONSTRAINT\s+["`]?(\w+)["`]?\s+CHECK\s*\(/gi)) {
		const start = (match.index ?? 0) + match[0].length;
		let depth = 1;
		let end = start;
		for (; end < createTable.length && depth > 0; end++) {
			if (createTable[end] === "(") depth++;
			if (createTable[end] === ")") depth--;
		}
		checks.push(`${match[1]}: ${squash(createTable.slice(start, end - 1))}`);
	}
	// An unnamed CHECK (or one on a column) counts too: it is drift the list above would miss.
	const all = createTable.match(/\bCHECK\s*\(/gi)?.length ?? 0;
	if (all !== checks.length) checks.push(`${all - checks.length} unnamed CHECK constraint(s)`);
	return checks.sort();
}

const fkText = (from: string[], table: string, to: (string | null)[], onUpdate: string, onDelete: string) =>
	`(${from.join(", ")}) → ${table}(${to.join(", ")}) ON UPDATE ${onUpdate.toUpperCase()} ON DELETE ${onDelete.toUpperCase()}`;

const pragma = async <T>(query: string) => (await env.DB.prepare(query).all<T>()).results;
const masterSql = async (type: "table" | "index", name: string) =>
	(
		await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = ? AND name = ?")
			.bind(type, name)
			.first<{ sql: string | null }>()
	)?.sql ?? "";

// The database the real migrations built (not drizzle's snapshots) must be the one the schema
// describes, so a hand edit of a migration's SQL fails here.
describe("migrations agree with src/db/schema.ts", () => {
	describe.each(tables.map((table) => [getTableName(table), table] as const))("table %s", (name, table) => {
		const config = getTableConfig(table);

		it("is an ordinary rowid table", async () => {
			const [info] = await pragma<TableListInfo>(`PRAGMA table_list(${name})`);
			expect(info && { type: info.type, ncol: info.ncol, wr: info.wr, strict: info.strict }).toEqual({
				type: "table",
				ncol: config.columns.length,
				wr: 0,
				strict: 0,
			});
		});

		it("has the schema's columns: type, NOT NULL, default, primary key, autoincrement", async () => {
			const columns = await pragma<ColumnInfo>(`PRAGMA table_xinfo(${name})`);
			const compositeKey = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [];
			const expected = config.columns
				.map((column) => ({
					name: column.name,
					type: column.getSQLType().toLowerCase(),
					notNull: column.notNull,
					default: defaultSql(column),
					primaryKeyPosition: column.primary ? 1 : compositeKey.indexOf(column.name) + 1,
					generated: column.generated !== undefined,
				}))
				.sort((a, b) => a.name.localeCompare(b.name));
			const actual = columns
				.map((c) => ({
					name: c.name,
					type: c.type.toLowerCase(),
					notNull: c.notnull === 1 || c.pk !== 0,
					default: c.dflt_value,
					primaryKeyPosition: c.pk,
					generated: c.hidden !== 0,
				}))
				.sort((a, b) => a.name.localeCompare(b.name));
			expect(actual).toEqual(expected);

			const autoIncrement = config.columns
				.filter((c) => "autoIncrement" in c && c.autoIncrement === true)
				.map((c) => c.name);
			const createTable = await masterSql("table", name);
			const actualAutoIncrement = [
				...createTable.matchAll(/["`]?(\w+)["`]?\s+integer\s+PRIMARY\s+KEY\s+AUTOINCREMENT/gi),
			].map((m) => m[1]);
			expect(actualAutoIncrement, "AUTOINCREMENT columns").toEqual(autoIncrement);
		});

		it("has exactly the schema's indexes: columns in order, uniqueness, partial WHERE", async () => {
			const list = await pragma<IndexInfo>(`PRAGMA index_list(${name})`);
			// The PRIMARY KEY's own index is checked with the columns; an inline UNIQUE is drift.
			const actual = await Promise.all(
				list
					.filter((i) => i.origin !== "pk")
					.map(async (i) => {
						const keys = (await pragma<IndexColumnInfo>(`PRAGMA index_xinfo(${i.name})`))
							.filter((c) => c.key === 1)
							.sort((a, b) => a.seqno - b.seqno);
						const where = squash((await masterSql("index", i.name)).match(/\sWHERE\s([\s\S]*)$/i)?.[1] ?? "");
						expect(
							keys.filter((c) => c.desc !== 0 || c.coll !== "BINARY"),
							`${i.name}: no DESC or COLLATE`,
						).toEqual([]);
						expect(i.partial === 1, `${i.name}: partial iff it has a WHERE`).toBe(where !== "");
						return {
							name: i.name,
							columns: keys.map((c) => c.name ?? EXPRESSION),
							unique: i.unique === 1,
							where: where || null,
						};
					}),
			);
			expect(actual.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expectedIndexes(table));
		});

		it("has exactly the schema's foreign keys, with their ON UPDATE and ON DELETE", async () => {
			const rows = await pragma<ForeignKeyInfo>(`PRAGMA foreign_key_list(${name})`);
			const ids = [...new Set(rows.map((r) => r.id))];
			const actual = ids.map((id) => {
				const parts = rows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
				const first = parts[0] as ForeignKeyInfo;
				return fkText(
					parts.map((p) => p.from),
					first.table,
					parts.map((p) => p.to),
					first.on_update,
					first.on_delete,
				);
			});
			const expected = config.foreignKeys.map((fk) => {
				const reference = fk.reference();
				return fkText(
					reference.columns.map((c) => c.name),
					getTableName(reference.foreignTable),
					reference.foreignColumns.map((c) => c.name),
					fk.onUpdate ?? "no action",
					fk.onDelete ?? "no action",
				);
			});
			expect(actual.sort()).toEqual(expected.sort());
		});

		it("has exactly the schema's CHECK constraints", async () => {
			const expected = config.checks.map((c) => `${c.name}: ${squash(render(c.value))}`).sort();
			expect(checksIn(await masterSql("table", name))).toEqual(expected);
		});
	});

	it("creates no table the schema does not know, and no view or trigger", async () => {
		const { results } = await env.DB.prepare(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
		).all<{ name: string }>();
		expect(results.map((r) => r.name).sort()).toEqual(tables.map((t) => getTableName(t)).sort());
		const { results: others } = await env.DB.prepare(
			"SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')",
		).all();
		expect(others).toEqual([]);
	});

	it("keeps migration 0001 to reference data: it inserts rows and defines nothing", () => {
		const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0001_"));
		const statements = (migration?.queries ?? [])
			.map((q) => q.replace(/--.*$/gm, "").trim())
			.filter((q) => q !== "");
		expect(statements.length).toBeGreaterThan(0);
		for (const statement of statements) expect(statement).toMatch(/^INSERT\s+INTO\s/i);
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
