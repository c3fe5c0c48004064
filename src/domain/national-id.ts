// Taiwan national ID (身分證字號) and resident certificate numbers (居留證號): checksum, type, mask.

import { toHalfWidth } from "./half-width";
import { fail, ok, type Result } from "./result";

export type NationalIdKind = "national" | "resident_new" | "resident_old";

export type NationalId = { value: string; kind: NationalIdKind };

/** Area letter codes of the ID scheme (I, O, W … are out of alphabetical order by design). */
const LETTER_CODES: Record<string, number> = {
	A: 10,
	B: 11,
	C: 12,
	D: 13,
	E: 14,
	F: 15,
	G: 16,
	H: 17,
	I: 34,
	J: 18,
	K: 19,
	L: 20,
	M: 21,
	N: 22,
	O: 35,
	P: 23,
	Q: 24,
	R: 25,
	S: 26,
	T: 27,
	U: 28,
	V: 29,
	W: 32,
	X: 30,
	Y: 31,
	Z: 33,
};

const NATIONAL = /^[A-Z][12]\d{8}$/;
// Resident certificates issued since 2021 share the national layout with 8 or 9 as the gender digit.
const RESIDENT_NEW = /^[A-Z][89]\d{8}$/;
// Older resident certificates: two letters, the second (A–D) standing for gender and status.
const RESIDENT_OLD = /^[A-Z][A-D]\d{8}$/;

/** Upper-cases, converts full-width letters/digits and drops spaces and hyphens people add. */
export function normalizeNationalId(input: string): string {
	return toHalfWidth(input).replace(/[\s-]/g, "").toUpperCase();
}

function kindOf(id: string): NationalIdKind | null {
	if (NATIONAL.test(id)) return "national";
	if (RESIDENT_NEW.test(id)) return "resident_new";
	if (RESIDENT_OLD.test(id)) return "resident_old";
	return null;
}

/** The weighted sum over the ten characters; valid IDs have a sum divisible by 10. */
function weightedSum(id: string): number {
	const area = LETTER_CODES[id[0] as string] as number;
	// The old resident format's second letter counts as the last digit of its letter code.
	const second = /[A-Z]/.test(id[1] as string)
		? (LETTER_CODES[id[1] as string] as number) % 10
		: Number(id[1]);
	const digits = [second, ...id.slice(2).split("").map(Number)];
	const weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
	let sum = Math.floor(area / 10) + (area % 10) * 9;
	for (let i = 0; i < 9; i++) sum += (digits[i] as number) * (weights[i] as number);
	return sum;
}

/**
 * Validates a national ID or resident certificate number after normalization (full-width,
 * lower case). Returns the normalized value and its kind, or a zh-TW reason.
 */
export function parseNationalId(input: string): Result<NationalId> {
	const id = normalizeNationalId(input);
	const kind = kindOf(id);
	if (!kind) {
		return fail("NATIONAL_ID_FORMAT", "身分證字號或居留證號格式不正確（例：A123456789）");
	}
	if (weightedSum(id) % 10 !== 0) {
		return fail("NATIONAL_ID_CHECKSUM", "身分證字號或居留證號檢查碼不正確，請確認是否輸入錯誤");
	}
	return ok({ value: id, kind });
}

/** The check digit that completes the first nine characters (used to make valid demo IDs). */
export function nationalIdCheckDigit(firstNine: string): number {
	const partial = `${normalizeNationalId(firstNine)}0`;
	if (!kindOf(partial)) throw new RangeError("not the first nine characters of an ID");
	return (10 - (weightedSum(partial) % 10)) % 10;
}

/** Masked display form: first three and last three characters, "A12****789". */
export function maskNationalId(id: string): string {
	const value = normalizeNationalId(id);
	return `${value.slice(0, 3)}****${value.slice(-3)}`;
}
