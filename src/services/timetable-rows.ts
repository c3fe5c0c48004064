// The rows of a 課表 (timetable) CSV: which column is which, and every reason a row cannot become a
// session — before anything is read from D1 beyond the unit's classes and teachers (passed in), and
// then against the sessions the classes already have. Pure.
import type { CsvRecord } from "../domain/csv-parse";
import { toHalfWidth } from "../domain/half-width";
import { hasUnshowableCharacters } from "../domain/plain-text";
import { fail, ok, type Result } from "../domain/result";
import {
	conflictMessage,
	MAX_ROOM_LENGTH,
	MAX_SUBJECT_LENGTH,
	overlaps,
	type ScheduledSession,
	scheduleConflict,
	scheduleProblem,
	sessionTimes,
	sessionWhen,
} from "../domain/session-draft";

export const TIMETABLE_COLUMNS = {
	classCode: "班級代碼",
	date: "日期",
	start: "開始時間",
	end: "結束時間",
	hours: "時數",
	subject: "課程名稱",
	teacher: "授課教師",
	room: "教室",
} as const;
export type TimetableColumn = keyof typeof TIMETABLE_COLUMNS;
/** Columns a file may leave out altogether (their cells may be empty anyway). */
const OPTIONAL: TimetableColumn[] = ["hours", "teacher", "room"];

// Other spellings found on units' own timetables.
const HEADER_ALIASES: Record<string, TimetableColumn> = {
	上課日期: "date",
	開始: "start",
	起始時間: "start",
	結束: "end",
	課程: "subject",
	科目: "subject",
	課程科目: "subject",
	教師: "teacher",
	授課老師: "teacher",
	講師: "teacher",
	教師姓名: "teacher",
	授課教師姓名: "teacher",
	地點: "room",
	上課地點: "room",
	時數小時: "hours",
};

const headerKey = (text: string) =>
	toHalfWidth(text)
		.replace(/[\s()（）]/g, "")
		.toLowerCase();
const HEADER_INDEX = new Map<string, TimetableColumn>([
	...Object.entries(TIMETABLE_COLUMNS).map(
		([key, label]) => [headerKey(label), key as TimetableColumn] as const,
	),
	...Object.entries(HEADER_ALIASES).map(([label, key]) => [headerKey(label), key] as const),
]);

export type TimetableHeader = Record<TimetableColumn, number | undefined>;

/** Which field holds which column; the required ones must be there, in any order. */
export function readTimetableHeader(fields: string[]): Result<TimetableHeader> {
	const found: Partial<Record<TimetableColumn, number>> = {};
	for (const [i, text] of fields.entries()) {
		const key = HEADER_INDEX.get(headerKey(text));
		if (key === undefined) continue;
		if (found[key] !== undefined)
			return fail("TIMETABLE_HEADER", `標題列的「${TIMETABLE_COLUMNS[key]}」欄出現了兩次`);
		found[key] = i;
	}
	const missing = (Object.keys(TIMETABLE_COLUMNS) as TimetableColumn[]).filter(
		(k) => found[k] === undefined && !OPTIONAL.includes(k),
	);
	if (missing.length)
		return fail(
			"TIMETABLE_HEADER",
			`第 1 列必須是標題列，缺少欄位：${missing.map((k) => `「${TIMETABLE_COLUMNS[k]}」`).join("、")}`,
		);
	return ok(found as TimetableHeader);
}

export const classKey = (code: string) => toHalfWidth(code).trim().toUpperCase();

export type TimetableClass = {
	id: number;
	code: string;
	name: string;
	unitId: number;
	startDate: string;
	endDate: string;
};

/** A teacher cell (name or national ID) resolved within the class's unit; empty → null. */
export type TeacherLookup = (unitId: number, cell: string) => Result<{ id: number; name: string } | null>;

/** A valid row, ready to become a session. */
export type TimetableRow = {
	line: number;
	classId: number;
	classCode: string;
	date: string;
	startsAt: number;
	endsAt: number;
	hours: number;
	subject: string;
	teacherPersonId: number | null;
	teacherName: string | null;
	room: string | null;
};
export type RowError = { line: number; reasons: string[] };

/** Subject or room text: trimmed, bounded, showable. */
export function sessionText(value: string, label: string, max: number): Result<string> {
	const text = value.trim().replace(/\s+/g, " ");
	if (text.length > max) return fail("TEXT_TOO_LONG", `「${label}」最多 ${max} 個字`);
	if (hasUnshowableCharacters(text)) return fail("TEXT_UNSHOWABLE", `「${label}」含有無法顯示的字元`);
	return ok(text);
}

/**
 * Checks every data row: class of the member's unit (`known`, keyed by classKey; another unit's code
 * reads as unknown), a real date (西元 or 民國), times, hours, the class period, not over yet, the
 * subject, the teacher, and clashes inside the file (the same start twice, overlapping times).
 */
export function validateTimetableRecords(
	records: CsvRecord[],
	header: TimetableHeader,
	known: Map<string, TimetableClass>,
	teacherOf: TeacherLookup,
	now: number,
): { rows: TimetableRow[]; errors: RowError[] } {
	const rows: TimetableRow[] = [];
	const errors: RowError[] = [];
	for (const record of records) {
		const cell = (key: TimetableColumn) => {
			const index = header[key];
			return index === undefined ? "" : (record.fields[index] ?? "").trim();
		};
		const reasons: string[] = [];
		let klass: TimetableClass | undefined;
		if (cell("classCode") === "") reasons.push(`「${TIMETABLE_COLUMNS.classCode}」未填寫`);
		else {
			klass = known.get(classKey(cell("classCode")));
			if (!klass) reasons.push(`查無班級代碼「${cell("classCode")}」（只能匯入本單位的班級）`);
		}
		const times = sessionTimes({
			date: cell("date"),
			start: cell("start"),
			end: cell("end"),
			hours: cell("hours"),
		});
		reasons.push(...times.reasons);
		if (klass && times.value) {
			const problem = scheduleProblem(times.value, klass, now);
			if (problem) reasons.push(problem);
		}
		let subject: string | undefined;
		if (cell("subject") === "") reasons.push(`「${TIMETABLE_COLUMNS.subject}」未填寫`);
		else {
			const r = sessionText(cell("subject"), TIMETABLE_COLUMNS.subject, MAX_SUBJECT_LENGTH);
			if (r.ok) subject = r.value;
			else reasons.push(r.message);
		}
		let room: string | null = null;
		if (cell("room") !== "") {
			const r = sessionText(cell("room"), TIMETABLE_COLUMNS.room, MAX_ROOM_LENGTH);
			if (r.ok) room = r.value;
			else reasons.push(r.message);
		}
		let teacher: { id: number; name: string } | null = null;
		if (klass) {
			const r = teacherOf(klass.unitId, cell("teacher"));
			if (r.ok) teacher = r.value;
			else reasons.push(r.message);
		}
		if (klass && times.value) {
			const t = times.value;
			const clash = rows.find((r) => r.classId === klass.id && overlaps(r, t));
			if (clash?.startsAt === t.startsAt) reasons.push(`與第 ${clash.line} 列重複（同一班級、同一開始時間）`);
			else if (clash) reasons.push(`與第 ${clash.line} 列的時間重疊（${sessionWhen(clash)}）`);
		}
		if (reasons.length || !klass || !times.value || subject === undefined) {
			errors.push({ line: record.line, reasons });
			continue;
		}
		rows.push({
			line: record.line,
			classId: klass.id,
			classCode: klass.code,
			...times.value,
			subject,
			teacherPersonId: teacher?.id ?? null,
			teacherName: teacher?.name ?? null,
			room,
		});
	}
	return { rows, errors };
}

export type SkippedRow = TimetableRow & { reason: string };
export const ALREADY_SCHEDULED = "已在課表中，將略過";

/**
 * Rows against the classes' sessions in D1: the same session again (same start, end and subject) is
 * skipped, so a file can be uploaded twice; any other clash is an error naming the session.
 */
export function checkAgainstSchedule(
	rows: TimetableRow[],
	existing: Map<number, ScheduledSession[]>,
): { ready: TimetableRow[]; skipped: SkippedRow[]; errors: RowError[] } {
	const ready: TimetableRow[] = [];
	const skipped: SkippedRow[] = [];
	const errors: RowError[] = [];
	for (const row of rows) {
		const theirs = existing.get(row.classId) ?? [];
		const same = theirs.find(
			(s) =>
				!s.cancelled && s.startsAt === row.startsAt && s.endsAt === row.endsAt && s.subject === row.subject,
		);
		if (same) {
			skipped.push({ ...row, reason: ALREADY_SCHEDULED });
			continue;
		}
		const conflict = scheduleConflict(row, theirs);
		if (conflict) errors.push({ line: row.line, reasons: [conflictMessage(conflict)] });
		else ready.push(row);
	}
	return { ready, skipped, errors };
}
