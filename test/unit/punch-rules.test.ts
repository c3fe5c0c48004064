// Punch windows (half-open, one millisecond either side), 準時/遲到/早退, and masked names.
import { describe, expect, it } from "vitest";
import { maskName, punchTiming, punchWindowRefusal } from "../../src/domain/punch-rules";
import { taipeiInstant } from "../../src/domain/taipei-time";

const plan = {
	checkInOpensMinutes: 30,
	checkOutClosesMinutes: 60,
	lateGraceMinutes: 10,
	earlyLeaveGraceMinutes: 10,
};
// 08:00–11:00 Taipei is 00:00–03:00 UTC; a session from 07:00 Taipei starts on the previous UTC day.
const session = {
	startsAt: taipeiInstant("2026-12-03", "07:00"),
	endsAt: taipeiInstant("2026-12-03", "10:00"),
	cancelled: false,
};
const MIN = 60_000;

describe("punchWindowRefusal", () => {
	it.each([
		["check_in", session.startsAt - 30 * MIN - 1, "CHECK_IN_NOT_OPEN"],
		["check_in", session.startsAt - 30 * MIN, null],
		["check_in", session.endsAt - 1, null],
		["check_in", session.endsAt, "CHECK_IN_CLOSED"],
		["check_out", session.startsAt - 1, "CHECK_OUT_NOT_OPEN"],
		["check_out", session.startsAt, null],
		["check_out", session.endsAt + 60 * MIN - 1, null],
		["check_out", session.endsAt + 60 * MIN, "CHECK_OUT_CLOSED"],
	] as const)("%s at %s → %s", (action, at, expected) => {
		expect(punchWindowRefusal(action, session, plan, at)).toBe(expected);
	});

	it("refuses any punch of a cancelled session", () => {
		expect(punchWindowRefusal("check_in", { ...session, cancelled: true }, plan, session.startsAt)).toBe(
			"SESSION_CANCELLED",
		);
	});
});

describe("punchTiming", () => {
	it("is 遲到 only after start + grace, 早退 only before end − grace", () => {
		expect(punchTiming("check_in", session, plan, session.startsAt + 10 * MIN)).toBe("on_time");
		expect(punchTiming("check_in", session, plan, session.startsAt + 10 * MIN + 1)).toBe("late");
		expect(punchTiming("check_out", session, plan, session.endsAt - 10 * MIN)).toBe("on_time");
		expect(punchTiming("check_out", session, plan, session.endsAt - 10 * MIN - 1)).toBe("early");
	});
});

describe("maskName", () => {
	it.each([
		["王小明", "王○明"],
		["王明", "王○"],
		["歐陽娜娜", "歐○○娜"],
		["  李  ", "李"],
		["𠮷野家", "𠮷○家"],
	])("%s → %s", (name, masked) => {
		expect(maskName(name)).toBe(masked);
	});
});
