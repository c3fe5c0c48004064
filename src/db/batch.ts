// Multi-row inserts within D1's limit of 100 bound parameters per statement.
import { getTableColumns } from "drizzle-orm";
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

/** Insert statements (ignoring rows that already exist) to run together in one db.batch(). */
export function insertIgnoringStatements<T extends SQLiteTable>(db: Db, table: T, rows: T["$inferInsert"][]) {
	// drizzle binds a value for every column of the table, not only the ones given.
	const paramsPerRow = Object.keys(getTableColumns(table)).length;
	return chunkForParams(rows, paramsPerRow).map((chunk) =>
		db.insert(table).values(chunk).onConflictDoNothing(),
	);
}
