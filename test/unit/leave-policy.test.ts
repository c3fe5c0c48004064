// Leave rules with every window edge one second either side, and the hours 00:00–08:00 Taipei
// (still the previous UTC day) where a UTC date would give the wrong answer.
import { describe, expect, it } from "vitest";
import {
	advanceNoticeSuggestion,
	type CandidateSession,
	canWithdraw,
	expiresAt,
	type LeaveCheckInput,
	type LeavePlan,
	leaveProblems,
	revokeDeadline,
	withdrawDeadline,
} from "../../src/domain/leave-policy";
import { taipeiInstant } from "../../src/domain/taipei-time";

const plan: LeavePlan = {
	lateGraceMinutes: 10,
	earlyLeaveGraceMinutes: 10,
	checkOutClosesMinutes: 120,
	cancelWindowDays: 7,
	revokeWindowDays: 14,
	backdateLimitDays: 7,
	reviewWindowDays: 10,
	advanceNoticeDays: 3,
};
const klass = { id: 1, startDate: "2026-11-02", endDate: "2027-01-29" };
const sick = { code: "sick", kind: "absence" as const, planned: false, enabled: true, name: "病假" };
const late = { code: "late", kind: "late" as const, planned: false, enabled: true, name: "遲到" };
const missed = {
	code: "missed",
	kind: "missed_punch" as const,
	planned: false,
	enabled: true,
	name: "未打卡",
};
const SECOND = 1000;

function session(date: string, over: Partial<CandidateSession> = {}): CandidateSession {
	return {
		id: 1,
		classId: 1,
		date,
		startsAt: taipeiInstant(date, "09:00"),
		endsAt: taipeiInstant(date, "12:00"),
		cancelled: false,
		checkInAt: null,
		checkOutAt: null,
		...over,
	};
}
const codes = (input: Partial<LeaveCheckInput> & { sessions: CandidateSession[]; now: number }) =>
	leaveProblems({ klass, plan, type: sick, ...input }).map((p) => p.code);

describe("leaveProblems", () => {
	it("accepts a future session of the class", () => {
		expect(codes({ sessions: [session("2026-12-10")], now: taipeiInstant("2026-12-03", "10:00") })).toEqual(
			[],
		);
	});

	it("refuses another class's session, a cancelled one and one outside the class period", () => {
		const now = taipeiInstant("2026-12-03", "10:00");
		expect(codes({ sessions: [session("2026-12-10", { classId: 2 })], now })).toEqual([
			"SESSION_NOT_IN_CLASS",
		]);
		expect(codes({ sessions: [session("2026-12-10", { cancelled: true })], now })).toEqual([
			"SESSION_CANCELLED",
		]);
		expect(codes({ sessions: [session("2027-02-01")], now })).toEqual(["OUTSIDE_CLASS_PERIOD"]);
		expect(codes({ sessions: [], now })).toEqual(["NO_SESSIONS"]);
	});

	it("allows back-dating 7 Taipei days, counted by the Taipei date even at 07:59 (UTC's previous day)", () => {
		// 2026-12-10 07:59 Taipei is 2026-12-09 23:59 UTC: by UTC the limit would be 12-02.
		const early = taipeiInstant("2026-12-10", "07:59");
		expect(codes({ sessions: [session("2026-12-03")], now: early })).toEqual([]);
		expect(codes({ sessions: [session("2026-12-02")], now: early })).toEqual(["TOO_FAR_BACK"]);
		// One second before Taipei midnight the 7 days still reach back to 12-02.
		expect(codes({ sessions: [session("2026-12-02")], now: taipeiInstant("2026-12-10") - SECOND })).toEqual(
			[],
		);
	});

	it("refuses a type the plan does not enable", () => {
		const now = taipeiInstant("2026-12-03", "10:00");
		expect(codes({ sessions: [session("2026-12-10")], now, type: { ...sick, enabled: false } })).toEqual([
			"TYPE_NOT_ENABLED",
		]);
	});

	it("refuses a full-absence type for a session the trainee checked in to", () => {
		const s = session("2026-12-03", { checkInAt: taipeiInstant("2026-12-03", "08:55") });
		expect(codes({ sessions: [s], now: taipeiInstant("2026-12-03", "13:00") })).toEqual(["ATTENDED_SESSION"]);
	});

	it("takes 遲到 only for a check-in after start + grace, and never for a future session", () => {
		const now = taipeiInstant("2026-12-03", "13:00");
		const at = (time: string) => session("2026-12-03", { checkInAt: taipeiInstant("2026-12-03", time) });
		expect(codes({ sessions: [at("09:10")], now, type: late })).toEqual(["NO_LATE_CHECK_IN"]);
		expect(
			codes({
				sessions: [session("2026-12-03", { checkInAt: taipeiInstant("2026-12-03", "09:10") + SECOND })],
				now,
				type: late,
			}),
		).toEqual([]);
		expect(codes({ sessions: [session("2026-12-03")], now, type: late })).toEqual(["NO_LATE_CHECK_IN"]);
		expect(codes({ sessions: [session("2026-12-10")], now, type: late })).toEqual(["SESSION_NOT_STARTED"]);
	});

	it("takes 未打卡 only when a check-in or check-out is missing, from the session's start on", () => {
		const start = taipeiInstant("2026-12-03", "09:00");
		const both = session("2026-12-03", { checkInAt: start, checkOutAt: start + 3 * 3_600_000 });
		expect(codes({ sessions: [both], now: start + 4 * 3_600_000, type: missed })).toEqual([
			"NO_MISSING_PUNCH",
		]);
		const noOut = session("2026-12-03", { checkInAt: start });
		expect(codes({ sessions: [noOut], now: start + 4 * 3_600_000, type: missed })).toEqual([]);
		expect(codes({ sessions: [session("2026-12-03")], now: start - SECOND, type: missed })).toEqual([
			"SESSION_NOT_STARTED",
		]);
		expect(codes({ sessions: [session("2026-12-03")], now: start, type: missed })).toEqual([]);
	});
});

describe("advanceNoticeSuggestion", () => {
	const personal = { planned: true, name: "事假" };
	it("suggests three days' notice for planned types, by Taipei date also before 08:00", () => {
		// 12-03 02:00 Taipei is 12-02 UTC; three days ahead is 12-06 in Taipei.
		const now = taipeiInstant("2026-12-03", "02:00");
		expect(advanceNoticeSuggestion("2026-12-05", personal, plan, now)).toContain("提前 3 天");
		expect(advanceNoticeSuggestion("2026-12-06", personal, plan, now)).toBeNull();
		expect(advanceNoticeSuggestion("2026-12-04", { planned: false, name: "病假" }, plan, now)).toBeNull();
	});
});

describe("windows", () => {
	it("withdraw: until 23:59:59 Taipei of the 7th day after the last leave date", () => {
		const deadline = withdrawDeadline("2026-12-03", klass.endDate, plan);
		expect(deadline).toBe(taipeiInstant("2026-12-11"));
		const pending = { status: "pending" as const, lastDate: "2026-12-03" };
		expect(canWithdraw(pending, klass.endDate, plan, deadline - SECOND).ok).toBe(true);
		expect(canWithdraw(pending, klass.endDate, plan, deadline)).toMatchObject({
			code: "WITHDRAW_WINDOW_PASSED",
		});
	});

	it("withdraw: never after the class end date, even inside the 7 days", () => {
		const deadline = withdrawDeadline("2027-01-28", klass.endDate, plan);
		expect(deadline).toBe(taipeiInstant("2027-01-30"));
		const pending = { status: "pending" as const, lastDate: "2027-01-28" };
		expect(canWithdraw(pending, klass.endDate, plan, deadline - SECOND).ok).toBe(true);
		expect(canWithdraw(pending, klass.endDate, plan, deadline).ok).toBe(false);
	});

	it("withdraw: only while pending", () => {
		const now = taipeiInstant("2026-12-03", "10:00");
		for (const status of ["approved", "rejected", "cancelled", "expired", "revoked"] as const)
			expect(canWithdraw({ status, lastDate: "2026-12-04" }, klass.endDate, plan, now)).toMatchObject({
				code: "LEAVE_NOT_PENDING",
			});
	});

	it("withdraw of an approved request names the plan's revoke window, as 設定 has it", () => {
		const now = taipeiInstant("2026-12-03", "10:00");
		const approved = { status: "approved" as const, lastDate: "2026-12-04" };
		expect(canWithdraw(approved, klass.endDate, plan, now)).toMatchObject({
			message: expect.stringContaining(`請假 ${plan.revokeWindowDays} 天內`),
		});
		expect(canWithdraw(approved, klass.endDate, { ...plan, revokeWindowDays: 30 }, now)).toMatchObject({
			message: expect.stringContaining("請假 30 天內"),
		});
	});

	it("revoke and expiry end at a Taipei midnight, which is 16:00 UTC of the previous day", () => {
		expect(revokeDeadline("2026-12-03", plan)).toBe(taipeiInstant("2026-12-18"));
		expect(revokeDeadline("2026-12-03", plan)).toBe(Date.UTC(2026, 11, 17, 16, 0));
		expect(expiresAt("2026-12-03", plan)).toBe(Date.UTC(2026, 11, 13, 16, 0));
	});
});
