// Scenario (c), a trainee's own pages on a 6-month class: 8 classes of 30 bound trainees, each class
// 25 weeks of weekdays with two 3-hour sessions (250 sessions), half of them held (attendance), 12
// leave requests per trainee in every status. Many different trainees at 20 connections ask for
// 我的課表 (the page's default six weeks, and the whole class), 請假節次 (their leave requests) and
// the leave form's sessions (leave-options: the timetable from the backdating limit to the end).
import { LEAVE_TYPE_CODES } from "../../src/domain/leave-types.ts";
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "../../src/domain/taipei-time.ts";
import { signDevIdToken } from "../../src/routes/dev/id-token-emulator.tsx";
import {
	boundTraineeInserts,
	COLUMNS,
	devVars,
	inserts,
	lineUserId,
	MINUTE,
	shuffled,
} from "../lib/bench.mjs";
import { PUNCH_PEOPLE } from "./punch.mjs";

const CLASSES = 8;
const CLASS_SIZE = 30;
const WEEKS = 25;
const LEAVE_PER_TRAINEE = 12;
const REQUESTS_PER_PAGE = 200;
const FIRST_CLASS_ID = 1001;
const FIRST_SESSION_ID = 100_001;
/** plans.backdate_limit_days's default: the leave form starts this many days back. */
const BACKDATE_DAYS = 7;
const DAY = 24 * 60 * MINUTE;

const roll = (a, b) => (((a * 2_654_435_761) ^ (b * 40_503)) >>> 0) % 100;

export function timetableData(now) {
	const today = taipeiDate(now);
	// Began 12 weeks ago on a Monday, so today falls in the middle of the class.
	let start = addDays(today, -84);
	while (weekdayOf(start) !== 1) start = addDays(start, -1);
	const dates = [];
	for (let d = start, i = 0; i < WEEKS * 7; d = addDays(d, 1), i++) if (weekdayOf(d) % 6 !== 0) dates.push(d);
	const end = dates.at(-1);
	const classes = [];
	const sessions = [];
	const people = [];
	for (let c = 0; c < CLASSES; c++) {
		const k = { id: FIRST_CLASS_ID + c, sessions: [] };
		for (const date of dates)
			for (const [from, to] of [
				["09:00", "12:00"],
				["13:00", "16:00"],
			]) {
				const s = {
					id: FIRST_SESSION_ID + sessions.length,
					classId: k.id,
					date,
					startsAt: taipeiInstant(date, from),
					endsAt: taipeiInstant(date, to),
				};
				sessions.push(s);
				k.sessions.push(s);
			}
		classes.push(k);
		for (let seat = 1; seat <= CLASS_SIZE; seat++)
			people.push({ id: PUNCH_PEOPLE + people.length + 1, classId: k.id, seat, klass: k });
	}

	const leave = [];
	const leaveSessions = [];
	const approved = new Map(); // `${sessionId}:${personId}` → leave type
	for (const p of people) {
		const block = Math.floor(p.klass.sessions.length / LEAVE_PER_TRAINEE);
		for (let n = 0; n < LEAVE_PER_TRAINEE; n++) {
			const offset = p.id % (block - 2);
			const covered = p.klass.sessions.slice(n * block + offset, n * block + offset + (n % 3 === 0 ? 2 : 1));
			const first = covered[0];
			const held = first.startsAt < now;
			const r = roll(p.id, n);
			const status = held
				? r < 60
					? "approved"
					: r < 75
						? "rejected"
						: r < 90
							? "cancelled"
							: "revoked"
				: r < 50
					? "pending"
					: r < 85
						? "approved"
						: "cancelled";
			const type = LEAVE_TYPE_CODES[roll(n, p.id) % LEAVE_TYPE_CODES.length];
			const submittedAt = Math.min(first.startsAt - (1 + (r % 5)) * DAY, now - 3_600_000);
			const reviewed = ["approved", "rejected", "revoked"].includes(status) ? submittedAt + 3_600_000 : null;
			const id = leave.length + 1;
			leave.push([
				id,
				p.id,
				p.classId,
				1,
				type,
				n % 4 === 0 ? `壓測備註 ${id}` : null,
				status,
				first.date,
				covered.at(-1).date,
				covered.length * 3,
				`bench6m-${p.id}-${n}`,
				submittedAt,
				reviewed,
				status === "cancelled" ? submittedAt + 600_000 : null,
				status === "revoked" ? reviewed + DAY : null,
				status === "revoked" ? "壓測撤銷" : null,
				reviewed ?? submittedAt,
			]);
			const active = status === "pending" || status === "approved" ? 1 : null;
			for (const s of covered) {
				leaveSessions.push([id, s.id, p.id, active]);
				if (status === "approved") approved.set(`${s.id}:${p.id}`, type);
			}
		}
	}

	const attendance = [];
	for (const p of people)
		for (const s of p.klass.sessions) {
			if (s.endsAt > now) continue;
			const leaveType = approved.get(`${s.id}:${p.id}`);
			const r = roll(s.id, p.id);
			const status = leaveType
				? "leave"
				: r < 85
					? "present"
					: r < 92
						? "late"
						: r < 97
							? "absent"
							: "no_check_out";
			const checkIn =
				status === "absent" || status === "leave"
					? null
					: s.startsAt + (status === "late" ? 15 : -5) * MINUTE;
			const checkOut = checkIn && status !== "no_check_out" ? s.endsAt + 2 * MINUTE : null;
			attendance.push([
				s.id,
				p.id,
				"trainee",
				checkIn,
				checkIn ? "session_qr" : null,
				checkOut,
				checkOut ? "session_qr" : null,
				status,
				leaveType ?? null,
				now,
			]);
		}

	const sql = [
		...inserts(
			"classes",
			COLUMNS.classes,
			classes.map((k) => [
				k.id,
				1,
				1,
				`BENCH6M-${k.id}`,
				`壓測半年班 ${k.id}`,
				start,
				end,
				k.sessions.length * 3,
				now,
				now,
			]),
		),
		...inserts(
			"sessions",
			[
				"id",
				"class_id",
				"date",
				"starts_at",
				"ends_at",
				"hours",
				"subject",
				"room",
				"created_at",
				"updated_at",
			],
			sessions.map((s) => [s.id, s.classId, s.date, s.startsAt, s.endsAt, 3, "壓測課程", "A101", now, now]),
		),
		...boundTraineeInserts(
			people.map((p) => ({ ...p, name: `壓測半年學員${p.id}`, hmac: `bench6m-${p.id}` })),
			now,
		),
		...inserts(
			"leave_requests",
			[
				"id",
				"person_id",
				"class_id",
				"unit_id",
				"leave_type_code",
				"remark",
				"status",
				"first_date",
				"last_date",
				"hours",
				"idempotency_key",
				"submitted_at",
				"reviewed_at",
				"cancelled_at",
				"revoked_at",
				"revoke_reason",
				"updated_at",
			],
			leave,
		),
		...inserts(
			"leave_request_sessions",
			["leave_request_id", "session_id", "person_id", "active"],
			leaveSessions,
		),
		...inserts("attendance", COLUMNS.attendance, attendance),
	].join("\n");

	// What each page should hold (every class has the same dates).
	const inRange = (from, to) => dates.filter((d) => from <= d && d <= to);
	const defaultFrom = addDays(today, -7);
	const earliest = [addDays(today, -BACKDATE_DAYS), start].sort()[1];
	return {
		sql,
		summary: `${CLASSES} six-month classes (${start} – ${end}) × ${CLASS_SIZE} trainees, ${dates.length * 2} sessions each, ${leave.length} leave requests, ${attendance.length} attendance rows`,
		start,
		end,
		personIds: people.map((p) => p.id),
		expect: {
			window: inRange(defaultFrom, addDays(defaultFrom, 41)).length * 2,
			whole: dates.length * 2,
			requests: LEAVE_PER_TRAINEE,
			classDays: inRange(earliest, end).length,
		},
	};
}

const count = (what, pick, want) => (res) => {
	let got;
	try {
		got = pick(JSON.parse(res.text));
	} catch {
		return `${what}: not JSON`;
	}
	return got === want ? undefined : `${what}: ${got} instead of ${want}`;
};

/** The four loads; figures of each, keyed. `withMemory` wraps each load. */
export async function timetableScenario(bench, data) {
	const signOptions = { issuer: bench.baseUrl, channelId: devVars.LINE_LOGIN_CHANNEL_ID, now: Date.now() };
	const tokens = new Map();
	for (const id of data.personIds) tokens.set(id, await signDevIdToken(lineUserId(id), signOptions));
	// Every request a different trainee than the one before, all 240 in turn, shuffled.
	const who = shuffled(data.personIds, 7);
	const get = (path) => (i) => ({
		method: "GET",
		path,
		options: { headers: { authorization: `Bearer ${tokens.get(who[i % who.length])}` } },
	});
	const { expect } = data;
	const pages = [
		{
			key: "timetable",
			label: "GET …/trainee/timetable (6 weeks)",
			path: "/api/liff/trainee/timetable",
			check: count("sessions", (j) => j.sessions.length, expect.window),
		},
		{
			key: "timetableWhole",
			label: "GET …/trainee/timetable (whole class)",
			path: `/api/liff/trainee/timetable?from=${data.start}&to=${data.end}`,
			check: count("sessions", (j) => j.sessions.length, expect.whole),
		},
		{
			key: "leaveList",
			label: "GET …/trainee/leave (請假節次)",
			path: "/api/liff/trainee/leave",
			check: count("requests", (j) => j.requests.length, expect.requests),
		},
		{
			key: "leaveOptions",
			label: "GET …/trainee/leave-options (請假表單)",
			path: "/api/liff/trainee/leave-options",
			check: count("class days", (j) => j.classDays.length, expect.classDays),
		},
	];
	const out = {};
	for (const page of pages) {
		const { result, memory } = await bench.withMemory(`  ${page.key}`, () =>
			bench.load(page.label, REQUESTS_PER_PAGE, get(page.path), { check: page.check }),
		);
		out[page.key] = { figures: result, memory };
	}
	return out;
}
