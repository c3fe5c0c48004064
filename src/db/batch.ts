// Multi-row inserts within D1's limit of 100 bound parameters per statement.
import { getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/** D1 refuses statements with more than 100 bound parameters. */
export const D1_MAX_PARAMS = 100;

/** Splits rows into chunks of at most maxParams / paramsPerRow rows. */
export function chunkForParams<T>(rows: T[], paramsPerRow: number, maxParams = D1_MAX_PARAMS): T[][] {
	const size = Math.max(1, Math.floor(maxParams / Math.max(1, paramsPerRow)));
	const chunks: T[][] = [];
	for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
	return chunks;
}

/** Runs a query per chunk of ids (an IN list leaves room for the query's other parameters) and joins the rows. */
export async function selectInChunks<I, T>(ids: I[], query: (chunk: I[]) => Promise<T[]>): Promise<T[]> {
	const rows: T[] = [];
	for (let i = 0; i < ids.length; i += 90) rows.push(...(await query(ids.slice(i, i + 90))));
	return rows;
}

/** Insert statements (ignoring rows that already exist) to run together in one db.batch(). */
export function insertIgnoringStatements<T extends SQLiteTable>(db: Db, table: T, rows: T["$inferInsert"][]) {
	// drizzle binds a value for every column of the table, not only the ones given.
	const paramsPerRow = Object.keys(getTableColumns(table)).length;
	return chunkForParams(rows, paramsPerRow).map((chunk) =>
		db.insert(table).values(chunk).onConflictDoNothing(),
	);
}

/**
 * INSERT … SELECT that writes `row` only if `guard` selects a row. In a D1 batch this makes a
 * dependent write (an audit entry, a notification) happen exactly when an earlier conditional update
 * of the same batch took effect. drizzle wants every column, in table order: missing ones take their
 * default or NULL.
 */
export function insertIf<T extends SQLiteTable>(
	db: Db,
	table: T,
	row: Partial<T["$inferInsert"]>,
	guard: { from: SQLiteTable; where: SQL | undefined },
) {
	const values = row as Record<string, unknown>;
	const fields = Object.fromEntries(
		Object.entries(getTableColumns(table)).map(([key, column]) => {
			const given = key in values ? values[key] : column.default;
			// A SQL value (e.g. a column of the guard row) is used as it is.
			if (is(given, SQL)) return [key, given.as(column.name)];
			const value = given === undefined || given === null ? null : column.mapToDriverValue(given);
			return [key, (value === null ? sql`NULL` : sql`${value}`).as(column.name)];
		}),
	);
	// biome-ignore lint/suspicious/noExplicitAny: drizzle cannot type a select built from a column map
	return db.insert(table).select(db.select(fields).from(guard.from).where(guard.where) as any);
}

/**
 * Runs statements in D1 batches of `size`. Each batch is atomic on its own, so callers order their
 * statements such that a cut between batches leaves nothing half-done (e.g. a "done" mark last).
 */
export async function runInBatches(db: Db, statements: Parameters<Db["batch"]>[0][number][], size = 100) {
	for (let i = 0; i < statements.length; i += size) {
		const chunk = statements.slice(i, i + size);
		if (chunk.length) await db.batch(chunk as [(typeof chunk)[number], ...(typeof chunk)[number][]]);
	}
}
