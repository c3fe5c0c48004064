// Row checks of the 課表 import: what the clerk is told for each bad row of a timetable CSV.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv-parse";
import { fail, ok } from "../../src/domain/result";
import { taipeiInstant } from "../../src/domain/taipei-time";
import {
	ALREADY_SCHEDULED,
	checkAgainstSchedule,
	readTimetableHeader,
	type TeacherLookup,
	validateTimetableRecords,
} from "../../src/services/timetable-rows";

const HEADER = "班級代碼,日期,開始時間,結束時間,時數,課程名稱,授課教師,教室";
const known = new Map([
	["C-01", { id: 1, code: "C-01", name: "甲班", unitId: 7, startDate: "2026-03-02", endDate: "2026-06-19" }],
	["C-02", { id: 2, code: "C-02", name: "乙班", unitId: 7, startDate: "2026-03-02", endDate: "2026-04-30" }],
]);
const teacherOf: TeacherLookup = (_unitId, cell) =>
	cell === ""
		? ok(null)
		: cell === "林老師"
			? ok({ id: 42, name: "林老師" })
			: fail("TEACHER_UNKNOWN", `查無授課教師「${cell}」`);
/** 2026-03-01 12:00 Taipei. */
const NOW = taipeiInstant("2026-03-01", "12:00");

function check(lines: string[], header = HEADER) {
	const parsed = parseCsv([header, ...lines].join("\r\n"));
	if (!parsed.ok) throw new Error(parsed.message);
	const [head, ...records] = parsed.value;
	const columns = readTimetableHeader(head?.fields ?? []);
	if (!columns.ok) throw new Error(columns.message);
	return validateTimetableRecords(records, columns.value, known, teacherOf, NOW);
}

describe("readTimetableHeader", () => {
	it("finds the columns in any order and under other names; hours, teacher and room may be left out", () => {
		expect(readTimetableHeader(["科目", " 上課日期 ", "結束", "開始", "班級代碼", "備註"])).toEqual({
			ok: true,
			value: { subject: 0, date: 1, end: 2, start: 3, classCode: 4 },
		});
		expect(
			readTimetableHeader([
				"班級代碼",
				"日期",
				"開始時間",
				"結束時間",
				"時數(小時)",
				"課程名稱",
				"講師",
				"地點",
			]),
		).toEqual({
			ok: true,
			value: { classCode: 0, date: 1, start: 2, end: 3, hours: 4, subject: 5, teacher: 6, room: 7 },
		});
	});

	it("names the missing columns, and a column given twice", () => {
		const missing = readTimetableHeader(["班級代碼", "日期", "課程名稱"]);
		expect(missing.ok ? "" : missing.message).toBe(
			"第 1 列必須是標題列，缺少欄位：「開始時間」、「結束時間」",
		);
		const twice = readTimetableHeader(["班級代碼", "日期", "開始時間", "結束時間", "課程名稱", "科目"]);
		expect(twice.ok ? "" : twice.message).toBe("標題列的「課程名稱」欄出現了兩次");
	});
});

describe("validateTimetableRecords", () => {
	it("turns a good row into a session of the class, hours from the times when empty", () => {
		const { rows, errors } = check([
			"c-01,115/03/02,09:00,12:00,,電腦概論,林老師,301 教室",
			"C-01,2026-03-02,上午 07:30:00,上午 08:50:00,,晨間實作,,",
			"C-01,2026-03-02,下午 01:00:00,下午 04:00:00,3,下午實作,,",
		]);
		expect(errors).toEqual([]);
		expect(rows[0]).toEqual({
			line: 2,
			classId: 1,
			classCode: "C-01",
			date: "2026-03-02",
			startsAt: Date.parse("2026-03-02T01:00:00Z"),
			endsAt: Date.parse("2026-03-02T04:00:00Z"),
			hours: 3,
			subject: "電腦概論",
			teacherPersonId: 42,
			teacherName: "林老師",
			room: "301 教室",
		});
		// 07:30 in Taipei is 23:30 UTC of the day before; the session's date is the Taipei one.
		expect(rows[1]?.date).toBe("2026-03-02");
		expect(new Date(rows[1]?.startsAt ?? 0).toISOString()).toBe("2026-03-01T23:30:00.000Z");
		expect(rows[1]?.hours).toBe(1.3);
		expect(new Date(rows[2]?.startsAt ?? 0).toISOString()).toBe("2026-03-02T05:00:00.000Z");
	});

	it("lists every reason of every bad row by its Excel row number", () => {
		const { rows, errors } = check([
			"C-01,2026-02-30,09:00,12:00,,電腦概論,,",
			"C-01,115/02/30,09:00,12:00,,電腦概論,,",
			"C-01,2026-03-03,13:00,12:00,,電腦概論,,",
			"NOPE,2026-03-03,09:00,12:00,,電腦概論,,",
			"C-02,2026-05-04,09:00,12:00,,電腦概論,,",
			"C-01,2026-03-04,09:00,12:00,4,,王老師,",
			"C-01,2026-03-05,09:00,12:00,,電腦概論,,",
			"C-01,2026-03-05,09:00,11:00,,電腦概論,,",
			"C-01,2026-03-05,11:00,13:00,,電腦概論,,",
			"C-02,2026-03-05,11:00,13:00,,電腦概論,,",
			",,,,,,,",
			"C-01,2026-03-01,09:00,12:00,,電腦概論,,",
		]);
		expect(errors).toEqual([
			{ line: 2, reasons: ["日期「2026-02-30」：沒有這一天，請確認年、月、日是否正確"] },
			{ line: 3, reasons: ["日期「115/02/30」：沒有這一天，請確認年、月、日是否正確"] },
			{ line: 4, reasons: ["結束時間 12:00 應晚於開始時間 13:00（節次不能跨過午夜）"] },
			{ line: 5, reasons: ["查無班級代碼「NOPE」（只能匯入本單位的班級）"] },
			{ line: 6, reasons: ["日期 115/05/04 不在班級的訓練期間（115/03/02～115/04/30）內"] },
			{
				line: 7,
				reasons: [
					"時數 4 超過上課時間（3 小時），請確認時間或時數",
					"「課程名稱」未填寫",
					"查無授課教師「王老師」",
				],
			},
			{ line: 9, reasons: ["與第 8 列重複（同一班級、同一開始時間）"] },
			{ line: 10, reasons: ["與第 8 列的時間重疊（115/03/05 09:00–12:00）"] },
			// Line 12 is empty and left out; line 13 is before the class starts.
			{
				line: 13,
				reasons: ["日期 115/03/01 不在班級的訓練期間（115/03/02～115/06/19）內"],
			},
		]);
		// Another class may have a session at the same time.
		expect(rows.map((r) => r.line)).toEqual([8, 11]);
	});

	it("refuses a session already over, and subjects that are too long or unshowable", () => {
		const late = { ...known.get("C-01"), startDate: "2026-02-01" } as NonNullable<
			ReturnType<typeof known.get>
		>;
		const parsed = parseCsv(
			[
				HEADER,
				"C-01,2026-03-01,09:00,12:00,,電腦概論,,",
				`C-01,2026-03-06,09:00,12:00,,${"課".repeat(61)},,`,
				"C-01,2026-03-09,09:00,12:00,,a\u0007b,,",
			].join("\n"),
		);
		if (!parsed.ok) throw new Error(parsed.message);
		const [head, ...records] = parsed.value;
		const columns = readTimetableHeader(head?.fields ?? []);
		if (!columns.ok) throw new Error(columns.message);
		const { errors } = validateTimetableRecords(
			records,
			columns.value,
			new Map([["C-01", late]]),
			teacherOf,
			NOW,
		);
		expect(errors).toEqual([
			{ line: 2, reasons: ["115/03/01 這個時段已經過去，不能排課"] },
			{ line: 3, reasons: ["「課程名稱」最多 60 個字"] },
			{ line: 4, reasons: ["「課程名稱」含有無法顯示的字元"] },
		]);
	});
});

describe("checkAgainstSchedule", () => {
	const at = (time: string) => taipeiInstant("2026-03-05", time);
	const row = (line: number, start: string, end: string, subject = "電腦概論") => ({
		line,
		classId: 1,
		classCode: "C-01",
		date: "2026-03-05",
		startsAt: at(start),
		endsAt: at(end),
		hours: 3,
		subject,
		teacherPersonId: null,
		teacherName: null,
		room: null,
	});
	const existing = new Map([
		[
			1,
			[
				{
					id: 10,
					date: "2026-03-05",
					startsAt: at("09:00"),
					endsAt: at("12:00"),
					subject: "電腦概論",
					cancelled: false,
				},
				{
					id: 11,
					date: "2026-03-05",
					startsAt: at("18:00"),
					endsAt: at("21:00"),
					subject: "夜間班",
					cancelled: true,
				},
			],
		],
	]);

	it("skips the same session again, refuses clashes, lets free times through", () => {
		const result = checkAgainstSchedule(
			[
				row(2, "09:00", "12:00"),
				row(3, "10:00", "13:00"),
				row(4, "18:00", "20:00"),
				row(5, "13:00", "16:00"),
				row(6, "09:00", "12:00", "另一門課"),
			],
			existing,
		);
		expect(result.skipped.map((r) => [r.line, r.reason])).toEqual([[2, ALREADY_SCHEDULED]]);
		expect(result.ready.map((r) => r.line)).toEqual([5]);
		expect(result.errors).toEqual([
			{ line: 3, reasons: ["與課表中既有的節次 115/03/05 09:00–12:00「電腦概論」時間重疊"] },
			{
				line: 4,
				reasons: [
					"115/03/05 18:00–21:00 原有一堂已停課的節次「夜間班」，同一班級不能再排同一個開始時間，請改用其他開始時間",
				],
			},
			{ line: 6, reasons: ["與課表中既有的節次 115/03/05 09:00–12:00「電腦概論」時間重疊"] },
		]);
	});
});
