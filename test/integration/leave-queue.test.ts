// 請假審核 list of a unit: scoped to the unit, filtered, and each request shown with the trainee's
// approved leave hours and the plan's warning.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { classes, leaveRequests, plans } from "../../src/db/schema";
import { unitLeaveQueue } from "../../src/services/leave-queue";
import { insertFixtureSession } from "./fixtures";

const db = createDb(env.DB);

/** A class of 100 hours whose plan warns at 10 % (10 hours), with requests of one trainee. */
async function traineeWithRequests(
	requests: { status: "pending" | "approved" | "rejected"; hours: number; date: string }[],
) {
	const f = await insertFixtureSession(db);
	await db.update(classes).set({ totalHours: 100 }).where(eq(classes.id, f.classId));
	await db.update(plans).set({ leaveHoursWarningRatio: 0.1 }).where(eq(plans.id, f.planId));
	const ids: number[] = [];
	for (const [i, r] of requests.entries()) {
		const row = await db
			.insert(leaveRequests)
			.values({
				personId: f.personId,
				classId: f.classId,
				unitId: f.unitId,
				leaveTypeCode: "sick",
				status: r.status,
				firstDate: r.date,
				lastDate: r.date,
				hours: r.hours,
				idempotencyKey: crypto.randomUUID(),
				submittedAt: 1_000 + i,
				updatedAt: 1_000 + i,
			})
			.returning()
			.get();
		ids.push(row.id);
	}
	return { ...f, ids };
}

describe("a unit's leave queue", () => {
	it("shows only the reviewer's unit; another unit's staff see none of it, the agency sees it", async () => {
		const mine = await traineeWithRequests([{ status: "pending", hours: 3, date: "2026-12-03" }]);
		const other = await traineeWithRequests([{ status: "pending", hours: 3, date: "2026-12-03" }]);
		const seen = await unitLeaveQueue(db, { staffId: 1, unitId: mine.unitId });
		expect(seen.map((r) => r.id)).toEqual(mine.ids);
		expect(seen[0]?.trainee.nationalIdMasked).toBe("A12****789");
		const foreign = await unitLeaveQueue(db, { staffId: 2, unitId: other.unitId });
		expect(foreign.map((r) => r.id)).not.toContain(mine.ids[0]);
		const agency = await unitLeaveQueue(db, { staffId: 3, unitId: null }, { status: "pending", limit: 200 });
		expect(agency.map((r) => r.id)).toEqual(expect.arrayContaining([...mine.ids, ...other.ids]));
	});

	it("filters by status, type and leave dates overlapping the range", async () => {
		const t = await traineeWithRequests([
			{ status: "pending", hours: 3, date: "2026-12-01" },
			{ status: "approved", hours: 3, date: "2026-12-02" },
			{ status: "pending", hours: 3, date: "2026-12-05" },
		]);
		const reviewer = { staffId: 1, unitId: t.unitId };
		const pending = await unitLeaveQueue(db, reviewer, { status: "pending" });
		expect(pending.map((r) => r.firstDate).sort()).toEqual(["2026-12-01", "2026-12-05"]);
		const ranged = await unitLeaveQueue(db, reviewer, { from: "2026-12-02", to: "2026-12-04" });
		expect(ranged.map((r) => r.firstDate)).toEqual(["2026-12-02"]);
		expect(await unitLeaveQueue(db, reviewer, { typeCode: "personal" })).toEqual([]);
		expect(await unitLeaveQueue(db, reviewer, { classId: t.classId, status: "approved" })).toHaveLength(1);
	});

	it("shows the trainee's approved hours, the total if this one is approved, and the plan's warning", async () => {
		// Threshold 10 hours; "near" from 8.
		const t = await traineeWithRequests([
			{ status: "approved", hours: 6, date: "2026-12-01" },
			{ status: "rejected", hours: 30, date: "2026-12-02" },
			{ status: "pending", hours: 2, date: "2026-12-03" },
			{ status: "pending", hours: 6, date: "2026-12-04" },
		]);
		const queue = await unitLeaveQueue(db, { staffId: 1, unitId: t.unitId });
		const byDate = new Map(queue.map((r) => [r.firstDate, r]));
		expect(byDate.get("2026-12-03")).toMatchObject({
			approvedHours: 6,
			hoursIfApproved: 8,
			warning: { threshold: 10, level: "near" },
		});
		expect(byDate.get("2026-12-04")).toMatchObject({ hoursIfApproved: 12, warning: { level: "over" } });
		expect(byDate.get("2026-12-01")).toMatchObject({ hoursIfApproved: 6, warning: { level: "ok" } });
		// A rejected request never counts.
		expect(byDate.get("2026-12-02")?.approvedHours).toBe(6);
	});
});
