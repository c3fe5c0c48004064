// Fictional people for the demo data: deterministic, so seeding twice finds the same people.

import { nationalIdCheckDigit } from "../domain/national-id";

const SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高".split("");
const GIVEN_NAMES = [
	"怡君",
	"志明",
	"淑芬",
	"家豪",
	"雅婷",
	"俊傑",
	"佳穎",
	"宗翰",
	"欣怡",
	"冠宇",
	"詩涵",
	"承恩",
	"美玲",
	"建宏",
	"婉婷",
	"柏翰",
	"郁雯",
	"彥廷",
	"筱涵",
	"偉倫",
	"品妤",
	"子軒",
	"玉珍",
	"明哲",
	"宜蓁",
	"俊宏",
	"靜宜",
	"士豪",
	"思妤",
	"文彬",
];
const AREA_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO".split("");

export type DemoPerson = {
	key: string;
	name: string;
	nationalId: string;
	birthDate: string;
	phone: string;
	email: string;
};

/** A valid-checksum ID made from a number; kind picks national, new resident or old resident. */
export function demoNationalId(
	n: number,
	kind: "national" | "resident_new" | "resident_old" = "national",
): string {
	const letter = AREA_LETTERS[n % AREA_LETTERS.length] as string;
	const second = kind === "national" ? String(1 + (n % 2)) : kind === "resident_new" ? "8" : "AB"[n % 2];
	const body = String((n * 7_919 + 1_234_567) % 10_000_000).padStart(7, "0");
	const firstNine = `${letter}${second}${body}`;
	return `${firstNine}${nationalIdCheckDigit(firstNine)}`;
}

/** Person number n of a group ("trainee", "teacher"): name, ID, birth date, phone and e-mail. */
export function demoPerson(group: string, n: number, offset: number): DemoPerson {
	const i = n + offset;
	const name = `${SURNAMES[(i * 7) % SURNAMES.length]}${GIVEN_NAMES[(i * 11) % GIVEN_NAMES.length]}`;
	const year = 1975 + ((i * 3) % 28);
	const month = 1 + ((i * 5) % 12);
	const day = 1 + ((i * 13) % 28);
	// One new-format and one old-format resident certificate among the trainees exercise those paths.
	const kind = i === 17 ? "resident_new" : i === 23 ? "resident_old" : "national";
	return {
		key: `${group}-${n}`,
		name,
		nationalId: demoNationalId(i, kind),
		birthDate: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
		phone: `+8869${String(10_000_000 + i * 37).slice(-8)}`,
		email: `${group}${String(n).padStart(3, "0")}@example.com`,
	};
}
