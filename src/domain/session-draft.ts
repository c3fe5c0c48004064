// A class session (節次) as a clerk writes it — in a 課表 CSV or the dashboard's form: a date in
// either calendar, wall-clock times in Taipei, optional hours. Pure: parsing, the instants, and the
// rules that need no database (end after start, inside the class period, not over yet, overlaps).
import { toHalfWidth } from "./half-width";
import { fail, ok, type Result } from "./result";
import { formatRocDate, parseDateInput } from "./roc-date";
import { taipeiInstant, taipeiTime } from "./taipei-time";

const HOUR_MS = 3_600_000;
/** Longest text a timetable cell keeps (subject, room). */
export const MAX_SUBJECT_LENGTH = 60;
export const MAX_ROOM_LENGTH = 40;

const TWELVE_HOUR_MARK = /^(上午|下午|中午|晚上|凌晨|早上|am|pm|a\.m\.|p\.m\.)?(.+?)(am|pm|a\.m\.|p\.m\.)?$/i;
const CLOCK = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/;
const COMPACT = /^(\d{2})(\d{2})$/;
const AFTERNOON = new Set(["下午", "晚上", "pm", "p.m."]);
const MORNING = new Set(["上午", "凌晨", "早上", "am", "a.m."]);

/**
 * A time of day as people and Excel write it: "09:00", "9:00", "0900", "09:00:00", full-width
 * digits, and Excel's zh-TW 12-hour form "上午 09:00:00" / "下午 1:30" (or "1:30 PM"). Returns
 * "HH:mm"; seconds other than :00 are refused (a timetable has none).
 */
export function parseClockTime(input: string): Result<string> {
	const text = toHalfWidth(input).replace(/\s+/g, "").toLowerCase();
	const marked = TWELVE_HOUR_MARK.exec(text);
	const mark = (marked?.[1] ?? marked?.[3] ?? "").toLowerCase();
	const clock = marked?.[2] ?? text;
	const m = CLOCK.exec(clock) ?? COMPACT.exec(clock);
	const bad = fail("TIME_FORMAT", "時間格式不正確，請填如 09:00 或 13:30（24 小時制）");
	if (!m || (m[3] !== undefined && m[3] !== "00")) return bad;
	let hour = Number(m[1]);
	const minute = Number(m[2]);
	if (minute > 59) return bad;
	if (mark) {
		if (hour < 1 || hour > 12) return bad;
		if (AFTERNOON.has(mark) && hour < 12) hour += 12;
		else if (MORNING.has(mark) && hour === 12) hour = 0;
		// 中午 12:30 is 12:30; 中午 1:00 is 13:00.
		else if (mark === "中午" && hour < 11) hour += 12;
	}
	if (hour > 23) return bad;
	return ok(`${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`);
}

/** Hours between two instants, one decimal (09:00–12:00 is 3, 09:00–10:50 is 1.8). */
export const durationHours = (startsAt: number, endsAt: number) =>
	Math.round(((endsAt - startsAt) / HOUR_MS) * 10) / 10;

/** 時數 as written ("3", "2.5", "３", "3 小時"); empty means the length of the session. */
export function parseSessionHours(input: string, startsAt: number, endsAt: number): Result<number> {
	const length = durationHours(startsAt, endsAt);
	const text = toHalfWidth(input)
		.replace(/\s+/g, "")
		.replace(/(小時|hr|h)$/i, "");
	if (text === "") return length > 0 ? ok(length) : fail("HOURS_ZERO", "上課時間太短，請填寫時數");
	if (!/^\d{1,2}(?:\.\d{1,2})?$/.test(text) || Number(text) <= 0)
		return fail("HOURS_FORMAT", `時數「${input.trim()}」應為大於 0 的數字，例如 3 或 2.5`);
	const hours = Number(text);
	if (hours > length)
		return fail("HOURS_TOO_MANY", `時數 ${hours} 超過上課時間（${length} 小時），請確認時間或時數`);
	return ok(hours);
}

export type SessionTimesInput = { date: string; start: string; end: string; hours: string };
export type SessionTimes = { date: string; startsAt: number; endsAt: number; hours: number };

/**
 * The date, instants and hours of a session, or every reason it cannot be one. Times are Taipei
 * wall clock: 07:30 on 2026-03-02 is 2026-03-01T23:30Z, and the session's date stays 2026-03-02.
 */
export function sessionTimes(input: SessionTimesInput): { value: SessionTimes | null; reasons: string[] } {
	const reasons: string[] = [];
	const required = (value: string, label: string) => {
		if (value.trim() !== "") return true;
		reasons.push(`「${label}」未填寫`);
		return false;
	};
	let date: string | undefined;
	if (required(input.date, "日期")) {
		const r = parseDateInput(input.date);
		if (r.ok) date = r.value;
		else reasons.push(`日期「${input.date.trim()}」：${r.message}`);
	}
	const time = (value: string, label: string) => {
		if (!required(value, label)) return undefined;
		const r = parseClockTime(value);
		if (r.ok) return r.value;
		reasons.push(`${label}「${value.trim()}」：${r.message}`);
		return undefined;
	};
	const start = time(input.start, "開始時間");
	const end = time(input.end, "結束時間");
	if (start && end && end <= start) {
		reasons.push(`結束時間 ${end} 應晚於開始時間 ${start}（節次不能跨過午夜）`);
		return { value: null, reasons };
	}
	if (!date || !start || !end) return { value: null, reasons };
	const startsAt = taipeiInstant(date, start);
	const endsAt = taipeiInstant(date, end);
	const hours = parseSessionHours(input.hours, startsAt, endsAt);
	if (!hours.ok) {
		reasons.push(hours.message);
		return { value: null, reasons };
	}
	return reasons.length
		? { value: null, reasons }
		: { value: { date, startsAt, endsAt, hours: hours.value }, reasons };
}

/** Why a session cannot be scheduled for this class now, or null. */
export function scheduleProblem(
	times: { date: string; endsAt: number },
	klass: { startDate: string; endDate: string },
	now: number,
): string | null {
	if (times.date < klass.startDate || times.date > klass.endDate)
		return `日期 ${formatRocDate(times.date)} 不在班級的訓練期間（${formatRocDate(klass.startDate)}～${formatRocDate(klass.endDate)}）內`;
	// An ended session would be closed out at once and every trainee marked 曠課.
	if (times.endsAt <= now) return `${formatRocDate(times.date)} 這個時段已經過去，不能排課`;
	return null;
}

/** Half-open intervals: 09:00–12:00 and 12:00–15:00 do not overlap. */
export const overlaps = (a: { startsAt: number; endsAt: number }, b: { startsAt: number; endsAt: number }) =>
	a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** "115/03/02 09:00–12:00" for messages. */
export const sessionWhen = (s: { date: string; startsAt: number; endsAt: number }) =>
	`${formatRocDate(s.date)} ${taipeiTime(s.startsAt)}–${taipeiTime(s.endsAt)}`;

export type ScheduledSession = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	subject: string;
	cancelled: boolean;
};

export type ScheduleConflict =
	| { kind: "overlap"; with: ScheduledSession }
	/** (class, start) is unique: a cancelled session keeps its start time. */
	| { kind: "cancelled_start"; with: ScheduledSession };

/** The first session of the class this one would clash with (`exceptId`: the one being edited). */
export function scheduleConflict(
	draft: { startsAt: number; endsAt: number },
	existing: ScheduledSession[],
	exceptId?: number,
): ScheduleConflict | null {
	for (const s of existing) {
		if (s.id === exceptId) continue;
		if (s.cancelled && s.startsAt === draft.startsAt) return { kind: "cancelled_start", with: s };
		if (!s.cancelled && overlaps(s, draft)) return { kind: "overlap", with: s };
	}
	return null;
}

export function conflictMessage(conflict: ScheduleConflict): string {
	const s = conflict.with;
	return conflict.kind === "overlap"
		? `與課表中既有的節次 ${sessionWhen(s)}「${s.subject}」時間重疊`
		: `${sessionWhen(s)} 原有一堂已停課的節次「${s.subject}」，同一班級不能再排同一個開始時間，請改用其他開始時間`;
}
