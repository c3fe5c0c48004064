// The monthly maintenance window of the manual: the first Sunday of each month, 00:00–06:00
// Taipei. During it pages show a notice and still accept requests.
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "./taipei-time";

export type MaintenanceSetting = { weekday: number; nth: number; from: string; to: string };
export const DEFAULT_MAINTENANCE: MaintenanceSetting = { weekday: 0, nth: 1, from: "00:00", to: "06:00" };

/** The window's Taipei date in the month of `date` ("YYYY-MM-…"). */
function windowDate(yearMonth: string, setting: MaintenanceSetting): string {
	let date = `${yearMonth}-01`;
	while (weekdayOf(date) !== setting.weekday) date = addDays(date, 1);
	return addDays(date, 7 * (setting.nth - 1));
}

/** The current or next window as instants [start, end). */
export function maintenanceWindow(
	now: number,
	setting: MaintenanceSetting = DEFAULT_MAINTENANCE,
): { start: number; end: number } {
	const today = taipeiDate(now);
	for (const month of [today.slice(0, 7), addDays(`${today.slice(0, 7)}-28`, 7).slice(0, 7)]) {
		const date = windowDate(month, setting);
		const end = taipeiInstant(date, setting.to);
		if (end > now) return { start: taipeiInstant(date, setting.from), end };
	}
	throw new Error("unreachable: a window exists every month");
}

export function inMaintenance(now: number, setting: MaintenanceSetting = DEFAULT_MAINTENANCE): boolean {
	const { start, end } = maintenanceWindow(now, setting);
	return start <= now && now < end;
}
