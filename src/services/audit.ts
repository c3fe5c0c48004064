// Audit log entries: who changed what, when, from what to what. Returned as statements so they
// join the D1 batch of the change they describe (both or neither are written).
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";

export type AuditEntry = {
	at: number;
	actorType: "staff" | "line_user" | "system";
	actorId: string | null;
	unitId?: number | null;
	action: string;
	entityType: string;
	entityId: string;
	before?: unknown;
	after?: unknown;
	reason?: string | null;
	requestId?: string | null;
};

export function auditStatement(db: Db, entry: AuditEntry) {
	return db.insert(auditLog).values({
		...entry,
		unitId: entry.unitId ?? null,
		before: entry.before === undefined ? null : JSON.stringify(entry.before),
		after: entry.after === undefined ? null : JSON.stringify(entry.after),
		reason: entry.reason ?? null,
		requestId: entry.requestId ?? null,
	});
}
