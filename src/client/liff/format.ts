// Dates and times as trainees read them: ROC years, Taipei clock times, weekday names.

export function rocDate(instant: number): string {
	const parts = new Intl.DateTimeFormat("en-CA", {
		timeZone: "Asia/Taipei",
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
	})
		.format(new Date(instant))
		.split("-");
	return `${Number(parts[0]) - 1911}/${parts[1]}/${parts[2]}`;
}

const WEEKDAYS = "日一二三四五六";
export const rocOf = (date: string) =>
	`${Number(date.slice(0, 4)) - 1911}/${date.slice(5, 7)}/${date.slice(8, 10)}`;
export const weekdayOf = (date: string) => `週${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
export const clock = (instant: number) =>
	new Intl.DateTimeFormat("zh-TW", {
		timeZone: "Asia/Taipei",
		hour: "2-digit",
		minute: "2-digit",
		hour12: false,
	}).format(new Date(instant));
export const dateTime = (instant: number) => `${rocDate(instant)} ${clock(instant)}`;
export const statusClass = (status: string) => `badge ${status}`;
