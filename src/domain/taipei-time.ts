// Asia/Taipei business time. Instants are UTC epoch ms; business dates are "YYYY-MM-DD" in Taipei.
// Taipei is UTC+8 all year (no DST since 1979), so a fixed offset is exact for the product's dates.

export const TAIPEI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** True for a real calendar date in "YYYY-MM-DD" form (2026-02-30 is false). */
export function isIsoDate(value: string): boolean {
	const m = ISO_DATE.exec(value);
	if (!m) return false;
	return isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** True when year-month-day names a day that exists (no rollover: Feb 29 only in leap years). */
export function isRealDate(year: number, month: number, day: number): boolean {
	if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
	return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isoDate(year: number, month: number, day: number): string {
	return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The Taipei calendar date of an instant. 2026-12-02T16:30Z is already 2026-12-03 in Taipei. */
export function taipeiDate(instant: number): string {
	return new Date(instant + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Taipei wall-clock time "HH:mm" of an instant. */
export function taipeiTime(instant: number): string {
	return new Date(instant + TAIPEI_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant of a Taipei date and wall-clock time ("HH:mm" or "HH:mm:ss"). Throws on invalid input. */
export function taipeiInstant(date: string, time = "00:00"): number {
	const d = ISO_DATE.exec(date);
	const t = TIME_OF_DAY.exec(time);
	if (!d || !isIsoDate(date)) throw new RangeError(`invalid Taipei date: ${date}`);
	if (!t) throw new RangeError(`invalid time of day: ${time}`);
	const utc = Date.UTC(
		Number(d[1]),
		Number(d[2]) - 1,
		Number(d[3]),
		Number(t[1]),
		Number(t[2]),
		Number(t[3] ?? 0),
	);
	return utc - TAIPEI_OFFSET_MS;
}

/** The first instant of the Taipei day after `date`: the exclusive end of "until 23:59:59 of date". */
export function endOfTaipeiDay(date: string): number {
	return taipeiInstant(addDays(date, 1));
}

/** Day of the week of a Taipei date: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
	if (!isIsoDate(date)) throw new RangeError(`invalid date: ${date}`);
	return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Day of the week in Taipei of an instant: 0 = Sunday … 6 = Saturday. */
export function taipeiWeekday(instant: number): number {
	return new Date(instant + TAIPEI_OFFSET_MS).getUTCDay();
}

const WEEKDAY_ZH = ["日", "一", "二", "三", "四", "五", "六"] as const;

/** "週三" style label used on timetables. */
export function weekdayLabel(date: string): string {
	return `週${WEEKDAY_ZH[weekdayOf(date)]}`;
}

/** Calendar arithmetic on Taipei dates (no time zone involved). */
export function addDays(date: string, days: number): string {
	if (!isIsoDate(date)) throw new RangeError(`invalid date: ${date}`);
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	if (!isIsoDate(from) || !isIsoDate(to)) throw new RangeError(`invalid date: ${from} / ${to}`);
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
