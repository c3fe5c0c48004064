// Liveness with a real D1 read: a Worker that cannot reach its database is not healthy.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { leaveTypes } from "../db/schema";

/** True when D1 answers and holds the migrated reference data. */
export async function databaseIsReady(db: Db): Promise<boolean> {
	const row = await db.select({ n: sql<number>`count(*)` }).from(leaveTypes).get();
	return (row?.n ?? 0) > 0;
}
