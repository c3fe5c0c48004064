import { describe, expect, it } from "vitest";
import { type AttendanceInput, deriveAttendanceStatus } from "../../src/domain/attendance-rules";
import { taipeiInstant } from "../../src/domain/taipei-time";

// An early-morning session (06:00–08:00 Taipei) spans the previous UTC day's evening.
const start = taipeiInstant("2026-12-03", "06:00");
const end = taipeiInstant("2026-12-03", "08:00");
const min = 60_000;
const plan = { lateGraceMinutes: 10, earlyLeaveGraceMinutes: 10, checkOutClosesMinutes: 60 };
const afterClose = end + 61 * min;

const status = (over: Partial<AttendanceInput>) =>
	deriveAttendanceStatus({
		session: { startsAt: start, endsAt: end },
		plan,
		checkInAt: null,
		checkOutAt: null,
		leave: null,
		now: afterClose,
		...over,
	});

describe("deriveAttendanceStatus", () => {
	it("is 出席 for on-time punches, exactly at both grace limits included", () => {
		expect(status({ checkInAt: start - 5 * min, checkOutAt: end + min })).toBe("present");
		expect(status({ checkInAt: start + 10 * min, checkOutAt: end - 10 * min })).toBe("present");
	});
	it("is 遲到 one millisecond after start + grace, 早退 one before end − grace", () => {
		expect(status({ checkInAt: start + 10 * min + 1, checkOutAt: end })).toBe("late");
		expect(status({ checkInAt: start, checkOutAt: end - 10 * min - 1 })).toBe("early_leave");
		expect(status({ checkInAt: start + 30 * min, checkOutAt: end - 30 * min })).toBe("late_and_early_leave");
	});
	it("is 曠課 without any punch once check-out has closed, and provisional before", () => {
		expect(status({})).toBe("absent");
		expect(status({ now: end + 60 * min - 1 })).toBe("pending");
		expect(status({ now: end + 60 * min })).toBe("absent");
	});
	it("reports a missing punch once check-out has closed", () => {
		expect(status({ checkInAt: start })).toBe("no_check_out");
		expect(status({ checkInAt: start, now: end + 30 * min })).toBe("present");
		expect(status({ checkInAt: start + 20 * min, now: start + 21 * min })).toBe("late");
		expect(status({ checkOutAt: end })).toBe("no_check_in");
	});
	it("lets approved leave decide: absence → 請假, 遲到 excuses lateness, 未打卡 a missing punch", () => {
		expect(status({ leave: { kind: "absence" }, checkInAt: start })).toBe("leave");
		expect(status({ leave: { kind: "late" }, checkInAt: start + 40 * min, checkOutAt: end })).toBe("present");
		expect(status({ leave: { kind: "missed_punch" }, checkInAt: start })).toBe("present");
		expect(status({ leave: { kind: "missed_punch" }, checkOutAt: end })).toBe("present");
		expect(status({ leave: { kind: "missed_punch" }, checkInAt: start + 40 * min })).toBe("late");
	});
});
