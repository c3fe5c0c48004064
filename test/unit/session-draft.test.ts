// A session as a clerk writes it: times in the forms people and Excel use, dates in both calendars,
// hours, the class period, the Taipei morning that is still the previous UTC day, and overlaps.
import { describe, expect, it } from "vitest";
import {
	conflictMessage,
	durationHours,
	overlaps,
	parseClockTime,
	parseSessionHours,
	scheduleConflict,
	scheduleProblem,
	sessionTimes,
} from "../../src/domain/session-draft";
import { taipeiInstant } from "../../src/domain/taipei-time";

describe("parseClockTime", () => {
	it.each([
		["09:00", "09:00"],
		["9:00", "09:00"],
		["0900", "09:00"],
		["13:30:00", "13:30"],
		["０９：３０", "09:30"],
		[" 7:05 ", "07:05"],
		["上午 09:00:00", "09:00"],
		["下午 1:30", "13:30"],
		["下午01:30:00", "13:30"],
		["上午12:15", "00:15"],
		["中午12:00", "12:00"],
		["中午 1:00", "13:00"],
		["晚上 7:00", "19:00"],
		["1:30 PM", "13:30"],
		["12:00pm", "12:00"],
		["12:30 AM", "00:30"],
		["23:59", "23:59"],
	])("reads %s as %s", (input, expected) => {
		expect(parseClockTime(input)).toEqual({ ok: true, value: expected });
	});

	it.each(["24:00", "9", "9:60", "09:00:30", "下午 13:00", "上午 0:30", "nine", "", "9:5"])(
		"refuses %s",
		(input) => {
			const r = parseClockTime(input);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.message).toContain("時間格式不正確");
		},
	);
});

describe("hours", () => {
	const at = (time: string) => taipeiInstant("2026-03-02", time);
	it("are the session's length when left empty, to one decimal", () => {
		expect(durationHours(at("09:00"), at("12:00"))).toBe(3);
		expect(durationHours(at("09:00"), at("10:50"))).toBe(1.8);
		expect(parseSessionHours("", at("13:00"), at("16:00"))).toEqual({ ok: true, value: 3 });
	});

	it("may be fewer than the length (breaks), never more", () => {
		expect(parseSessionHours("2.5", at("09:00"), at("12:00"))).toEqual({ ok: true, value: 2.5 });
		expect(parseSessionHours("３ 小時", at("09:00"), at("12:00"))).toEqual({ ok: true, value: 3 });
		const over = parseSessionHours("4", at("09:00"), at("12:00"));
		expect(over.ok ? "" : over.message).toBe("時數 4 超過上課時間（3 小時），請確認時間或時數");
		for (const bad of ["0", "-1", "三", "1.234"]) {
			const r = parseSessionHours(bad, at("09:00"), at("12:00"));
			expect(r.ok ? "" : r.message).toContain("應為大於 0 的數字");
		}
	});
});

describe("sessionTimes", () => {
	const input = { date: "2026-03-02", start: "09:00", end: "12:00", hours: "" };

	it("gives the Taipei instants and keeps the date as written", () => {
		expect(sessionTimes(input)).toEqual({
			value: {
				date: "2026-03-02",
				startsAt: Date.parse("2026-03-02T01:00:00Z"),
				endsAt: Date.parse("2026-03-02T04:00:00Z"),
				hours: 3,
			},
			reasons: [],
		});
	});

	it("puts a 07:30 Taipei session on the previous UTC day, its date unchanged", () => {
		const early = sessionTimes({ ...input, start: "07:30", end: "08:30" });
		expect(early.value?.date).toBe("2026-03-02");
		expect(new Date(early.value?.startsAt ?? 0).toISOString()).toBe("2026-03-01T23:30:00.000Z");
		const midnight = sessionTimes({ ...input, start: "00:00", end: "01:00" });
		expect(new Date(midnight.value?.startsAt ?? 0).toISOString()).toBe("2026-03-01T16:00:00.000Z");
	});

	it("reads ROC dates and refuses days that do not exist in either calendar", () => {
		expect(sessionTimes({ ...input, date: "115/03/02" }).value?.date).toBe("2026-03-02");
		expect(sessionTimes({ ...input, date: "2026-02-30" }).reasons).toEqual([
			"日期「2026-02-30」：沒有這一天，請確認年、月、日是否正確",
		]);
		expect(sessionTimes({ ...input, date: "115/02/30" }).reasons).toEqual([
			"日期「115/02/30」：沒有這一天，請確認年、月、日是否正確",
		]);
		expect(sessionTimes({ ...input, date: "明天" }).reasons[0]).toContain("日期格式不正確");
	});

	it("refuses an end before or at the start, and says which fields are missing", () => {
		expect(sessionTimes({ ...input, start: "13:00", end: "12:00" }).reasons).toEqual([
			"結束時間 12:00 應晚於開始時間 13:00（節次不能跨過午夜）",
		]);
		expect(sessionTimes({ ...input, end: "09:00" }).value).toBeNull();
		expect(sessionTimes({ date: "", start: "", end: "25:00", hours: "" }).reasons).toEqual([
			"「日期」未填寫",
			"「開始時間」未填寫",
			"結束時間「25:00」：時間格式不正確，請填如 09:00 或 13:30（24 小時制）",
		]);
	});
});

describe("scheduleProblem", () => {
	const klass = { startDate: "2026-03-02", endDate: "2026-06-19" };
	const now = Date.parse("2026-03-10T00:00:00Z");
	const times = (date: string, end = "12:00") => ({ date, endsAt: taipeiInstant(date, end) });

	it("keeps sessions inside the class period", () => {
		expect(scheduleProblem(times("2026-03-11"), klass, now)).toBeNull();
		expect(scheduleProblem(times("2026-06-20"), klass, now)).toBe(
			"日期 115/06/20 不在班級的訓練期間（115/03/02～115/06/19）內",
		);
	});

	it("refuses a session that is already over (the Taipei morning counts as that day)", () => {
		// now is 08:00 Taipei on 2026-03-10: a 07:00–07:59 session that day is over, 07:00–08:30 is not.
		expect(scheduleProblem(times("2026-03-10", "07:59"), klass, now)).toBe(
			"115/03/10 這個時段已經過去，不能排課",
		);
		expect(scheduleProblem(times("2026-03-10", "08:30"), klass, now)).toBeNull();
	});
});

describe("overlaps and conflicts", () => {
	const s = (id: number, start: string, end: string, cancelled = false) => ({
		id,
		date: "2026-03-02",
		startsAt: taipeiInstant("2026-03-02", start),
		endsAt: taipeiInstant("2026-03-02", end),
		subject: `課程${id}`,
		cancelled,
	});

	it("treats sessions as half-open: back to back is fine", () => {
		expect(overlaps(s(1, "09:00", "12:00"), s(2, "12:00", "15:00"))).toBe(false);
		expect(overlaps(s(1, "09:00", "12:00"), s(2, "11:59", "15:00"))).toBe(true);
	});

	it("names the clashing session; a cancelled one only blocks its own start time", () => {
		const existing = [s(1, "09:00", "12:00", true), s(2, "13:00", "16:00")];
		expect(scheduleConflict(s(9, "10:00", "11:00"), existing)).toBeNull();
		const sameStart = scheduleConflict(s(9, "09:00", "10:00"), existing);
		expect(sameStart?.kind).toBe("cancelled_start");
		const overlap = scheduleConflict(s(9, "15:00", "17:00"), existing);
		expect(overlap && conflictMessage(overlap)).toBe(
			"與課表中既有的節次 115/03/02 13:00–16:00「課程2」時間重疊",
		);
		// The session being edited does not clash with itself.
		expect(scheduleConflict(s(2, "13:30", "16:30"), existing, 2)).toBeNull();
	});
});
