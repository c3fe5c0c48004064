// ROC (民國) calendar dates: ROC year = Western year − 1911. Display and strict parsing.

import { toHalfWidth } from "./half-width";
import { fail, ok, type Result } from "./result";
import { isIsoDate, isoDate, isRealDate } from "./taipei-time";

export const ROC_YEAR_OFFSET = 1911;

/** "2026-12-03" → "115/12/03". */
export function formatRocDate(date: string): string {
	if (!isIsoDate(date)) throw new RangeError(`invalid date: ${date}`);
	const [y, m, d] = date.split("-");
	return `${Number(y) - ROC_YEAR_OFFSET}/${m}/${d}`;
}

/** "2026-12-03" → "民國115年12月3日". */
export function formatRocDateLong(date: string): string {
	if (!isIsoDate(date)) throw new RangeError(`invalid date: ${date}`);
	const [y, m, d] = date.split("-").map(Number) as [number, number, number];
	return `民國${y - ROC_YEAR_OFFSET}年${m}月${d}日`;
}

const ROC_NUMERIC = /^(\d{1,3})[/.-](\d{1,2})[/.-](\d{1,2})$/;
const ROC_WORDS = /^(?:民國)?(\d{1,3})年(\d{1,2})月(\d{1,2})日?$/;
const WESTERN = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/;

const INVALID_FORMAT = fail("DATE_FORMAT", "日期格式不正確，請輸入如 115/01/05 或 2026-01-05");
const INVALID_DAY = fail("DATE_INVALID", "沒有這一天，請確認年、月、日是否正確");

/**
 * Parses an ROC date: "79/05/25", "115/1/5", "115.01.05", "民國115年1月5日", "115年1月5日".
 * Strict: a day that does not exist (114/02/29) is an error, never rolled over to the next month.
 */
export function parseRocDate(input: string): Result<string> {
	const text = toHalfWidth(input).replace(/\s+/g, "");
	const m = ROC_NUMERIC.exec(text) ?? ROC_WORDS.exec(text);
	if (!m) return INVALID_FORMAT;
	return fromParts(Number(m[1]) + ROC_YEAR_OFFSET, Number(m[2]), Number(m[3]), Number(m[1]) >= 1);
}

/**
 * Parses a date a person typed in either calendar: four-digit years are Western ("1990-05-25",
 * "1990/5/25"), one to three digits are ROC ("79/05/25", "民國79年5月25日").
 */
export function parseDateInput(input: string): Result<string> {
	const text = toHalfWidth(input).replace(/\s+/g, "");
	const western = WESTERN.exec(text);
	if (western) return fromParts(Number(western[1]), Number(western[2]), Number(western[3]), true);
	return parseRocDate(text);
}

function fromParts(year: number, month: number, day: number, yearOk: boolean): Result<string> {
	if (!yearOk || !isRealDate(year, month, day)) return INVALID_DAY;
	return ok(isoDate(year, month, day));
}
