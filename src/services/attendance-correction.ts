// A clerk's manual correction of one person's attendance in one session (出勤 → 更正): times set by
// hand, or a status with a leave type. The record, its audit entry and the manual punches are one D1
// batch; corrected_at then keeps the SessionRoom and the close-out job from overwriting it.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { attendance, punches } from "../db/schema";
import { deriveAttendanceStatus } from "../domain/attendance-rules";
import type { AttendanceStatus, PunchAction, PunchMethod } from "../domain/attendance-status";
import type { LeaveKind } from "../domain/leave-types";
import { fail, ok, type Result } from "../domain/result";
import { formatRocDate } from "../domain/roc-date";
import { taipeiInstant } from "../domain/taipei-time";
import { approvedLeaveOf } from "./approved-leave";
import { auditStatement } from "./audit";
import { expectedPeople, planLeaveOptions, sheetHead } from "./session-punches";
import type { StaffMember } from "./staff-auth";

/** A wall-clock time typed in the form, optionally with the date it was meant for. */
export type TimeOfDayInput = { date?: string | undefined; time: string };

/**
 * punches: the status follows the times (and approved leave), as the punch rules would say;
 * present / absent: 出席 / 曠課 as the clerk says; leave: a leave type of the plan (an absence type
 * gives 請假, 遲到 / 未打卡 excuse lateness or a missing punch).
 */
export type CorrectionMark =
	| { kind: "punches" }
	| { kind: "present" }
	| { kind: "absent" }
	| { kind: "leave"; code: string };

export type CorrectionInput = {
	sessionId: number;
	personId: number;
	checkIn: TimeOfDayInput | null;
	checkOut: TimeOfDayInput | null;
	mark: CorrectionMark;
	reason: string;
	requestId?: string | undefined;
};

export type CorrectionDeps = { db: Db; now: number };

export type CorrectedRecord = {
	personId: number;
	name: string;
	checkInAt: number | null;
	checkOutAt: number | null;
	status: AttendanceStatus;
	leaveTypeCode: string | null;
};

/** Failure codes: NOT_FOUND (no such session in the unit) or VALIDATION_FAILED (zh-TW message). */
export async function correctAttendance(
	deps: CorrectionDeps,
	member: StaffMember,
	input: CorrectionInput,
): Promise<Result<CorrectedRecord>> {
	const { db, now } = deps;
	const head = await sheetHead(db, member.unitId, input.sessionId);
	if (!head) return fail("NOT_FOUND", "找不到這堂課");
	if (head.cancelled) return fail("VALIDATION_FAILED", "這堂課已停課，不需更正出勤");
	const person = (await expectedPeople(db, head)).find((p) => p.personId === input.personId);
	if (!person) return fail("VALIDATION_FAILED", "這位學員不在這堂課的名單中");

	const day = formatRocDate(head.date);
	const instantOf = (value: TimeOfDayInput | null): Result<number | null> => {
		if (value === null) return ok(null);
		if (value.date !== undefined && value.date !== head.date)
			return fail("VALIDATION_FAILED", `時間必須是這堂課當天（${day}）的時間`);
		return ok(taipeiInstant(head.date, value.time));
	};
	const checkIn = instantOf(input.checkIn);
	if (!checkIn.ok) return checkIn;
	const checkOut = instantOf(input.checkOut);
	if (!checkOut.ok) return checkOut;
	const checkInAt = checkIn.value;
	const checkOutAt = checkOut.value;
	if (checkInAt !== null && checkOutAt !== null && checkOutAt < checkInAt)
		return fail("VALIDATION_FAILED", "簽退時間不能早於簽到時間");

	const [before, approved] = await Promise.all([
		db
			.select()
			.from(attendance)
			.where(and(eq(attendance.sessionId, head.id), eq(attendance.personId, person.personId)))
			.get(),
		approvedLeaveOf(db, head.id, [person.personId]).then((m) => m.get(person.personId) ?? null),
	]);

	let status: AttendanceStatus;
	let leaveTypeCode: string | null = null;
	const derive = (leave: { kind: LeaveKind } | null) =>
		deriveAttendanceStatus({ session: head, plan: head.plan, checkInAt, checkOutAt, leave, now });
	switch (input.mark.kind) {
		case "punches":
			status = derive(approved);
			leaveTypeCode = approved?.code ?? null;
			break;
		case "present":
			status = "present";
			break;
		case "absent":
			status = "absent";
			break;
		case "leave": {
			const code = input.mark.code;
			const type = (await planLeaveOptions(db, head.plan.id)).find((t) => t.code === code);
			if (!type) return fail("VALIDATION_FAILED", "這個計畫沒有這種假別");
			status = derive({ kind: type.kind });
			leaveTypeCode = code;
			break;
		}
	}

	// A time left as it was keeps its method; a time set by hand is 人工 and logged as a manual punch.
	const methodOf = (
		at: number | null,
		previousAt: number | null | undefined,
		previous: PunchMethod | null,
	) => (at === null ? null : at === previousAt ? previous : ("manual" as const));
	const checkInMethod = methodOf(checkInAt, before?.checkInAt, before?.checkInMethod ?? null);
	const checkOutMethod = methodOf(checkOutAt, before?.checkOutAt, before?.checkOutMethod ?? null);
	const manualPunches: { action: PunchAction; at: number }[] = [];
	if (checkInAt !== null && checkInAt !== before?.checkInAt)
		manualPunches.push({ action: "check_in", at: checkInAt });
	if (checkOutAt !== null && checkOutAt !== before?.checkOutAt)
		manualPunches.push({ action: "check_out", at: checkOutAt });

	const after = {
		checkInAt,
		checkInMethod,
		checkOutAt,
		checkOutMethod,
		status,
		leaveTypeCode,
		correctedAt: now,
		correctedByStaffId: member.id,
		correctionReason: input.reason,
	};
	await db.batch([
		db
			.insert(attendance)
			.values({ sessionId: head.id, personId: person.personId, role: person.role, ...after, updatedAt: now })
			.onConflictDoUpdate({
				target: [attendance.sessionId, attendance.personId],
				set: { ...after, updatedAt: now },
			}),
		auditStatement(db, {
			at: now,
			actorType: "staff",
			actorId: String(member.id),
			unitId: head.unitId,
			action: "attendance.corrected",
			entityType: "attendance",
			entityId: `${head.id}:${person.personId}`,
			before: before
				? {
						checkInAt: before.checkInAt,
						checkInMethod: before.checkInMethod,
						checkOutAt: before.checkOutAt,
						checkOutMethod: before.checkOutMethod,
						status: before.status,
						leaveTypeCode: before.leaveTypeCode,
						correctedAt: before.correctedAt,
						correctionReason: before.correctionReason,
					}
				: null,
			after,
			reason: input.reason,
			requestId: input.requestId ?? null,
		}),
		...manualPunches.map((p) =>
			db.insert(punches).values({
				punchKey: crypto.randomUUID(),
				sessionId: head.id,
				personId: person.personId,
				role: person.role,
				action: p.action,
				method: "manual",
				at: p.at,
				accepted: true,
				reason: null,
				byStaffId: member.id,
				createdAt: now,
			}),
		),
	]);
	return ok({ personId: person.personId, name: person.name, checkInAt, checkOutAt, status, leaveTypeCode });
}
