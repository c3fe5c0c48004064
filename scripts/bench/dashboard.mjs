// Scenarios (d) and (e), a big unit's dashboard: one unit of 1,000 trainees in 21 classes (one of 60
// trainees with 120 sessions up to today), 10,000 leave requests in every status, type and date,
// attendance of the 60-person class. A clerk signs in; each list page (今日, 請假審核 with filters and
// a deep page, 班級 search) and (d) the 60 × 120 attendance matrix at 20 keep-alive connections, every
// answer checked for what it should show; then (e) one bulk approval of 200 requests, timed, a count
// in D1 of what it changed and queued and in the LINE emulator of what it sent, and the same form
// posted again (a double click), which must change and send nothing.
import { LEAVE_TYPE_CODES } from "../../src/domain/leave-types.ts";
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "../../src/domain/taipei-time.ts";
import { MATRIX_MAX_SESSIONS } from "../../src/services/class-overview.ts";
import { LEAVE_QUEUE_PAGE } from "../../src/services/leave-queue.ts";
import { MAX_BULK_REVIEW } from "../../src/services/leave-review.ts";
import { hashPassword } from "../../src/services/password.ts";
import {
	boundTraineeInserts,
	COLUMNS,
	inserts,
	lineUserId,
	MINUTE,
	round,
	sleep,
	unitAndPlan,
} from "../lib/bench.mjs";

const TRAINEES = 1_000;
const BIG_CLASS = 60;
/** Weekdays of the big class up to today, two sessions each: exactly one matrix page. */
const BIG_CLASS_DAYS = MATRIX_MAX_SESSIONS / 2;
const OTHER_CLASSES = 20;
const OTHER_CLASS_SIZE = (TRAINEES - BIG_CLASS) / OTHER_CLASSES;
const OTHER_CLASS_DAYS = 20;
/** Weekdays after today with sessions too (leave is often asked ahead). */
const FUTURE_DAYS = 10;
const LEAVE_PER_TRAINEE = 10;
const LEAVE_TOTAL = TRAINEES * LEAVE_PER_TRAINEE;
export const CLERK = { email: "bench.clerk@unit.example", password: "Bench-Dashboard-2026" };
const SESSION_HOURS = 3;
const DAY = 24 * 60 * MINUTE;

// ── Data set ─────────────────────────────────────────────────────────────────────────────────

/** Deterministic 0..99 from two numbers, so every run seeds the same mix. */
const roll = (a, b) => (((a * 2_654_435_761) ^ (b * 40_503)) >>> 0) % 100;
const isWeekday = (date) => weekdayOf(date) % 6 !== 0;

/** `count` weekdays ending today (today itself even on a weekend), oldest first. */
function weekdaysUpTo(today, count) {
	const out = [today];
	for (let d = addDays(today, -1); out.length < count; d = addDays(d, -1)) if (isWeekday(d)) out.unshift(d);
	return out;
}
function weekdaysAfter(today, count) {
	const out = [];
	for (let d = addDays(today, 1); out.length < count; d = addDays(d, 1)) if (isWeekday(d)) out.push(d);
	return out;
}

const STATUS_MIX = [
	[20, "pending"],
	[65, "approved"],
	[75, "rejected"],
	[85, "cancelled"],
	[92, "revoked"],
	[100, "expired"],
];
const statusOf = (r) => STATUS_MIX.find(([upTo]) => r < upTo)[1];

/** Everything the bench's checks need to know about the data set, and the seed SQL. */
export async function dashboardData(now) {
	const passwordHash = await hashPassword(CLERK.password);
	const today = taipeiDate(now);
	const future = weekdaysAfter(today, FUTURE_DAYS);
	const classes = [];
	for (let c = 1; c <= OTHER_CLASSES + 1; c++) {
		const past = weekdaysUpTo(today, c === 1 ? BIG_CLASS_DAYS : OTHER_CLASS_DAYS);
		classes.push({
			id: c,
			code: `BENCH-${String(c).padStart(2, "0")}`,
			size: c === 1 ? BIG_CLASS : OTHER_CLASS_SIZE,
			dates: [...past, ...future],
			startDate: past[0],
			endDate: addDays(today, 60),
		});
	}
	const sessions = [];
	for (const k of classes) {
		k.sessions = [];
		for (const date of k.dates)
			for (const [from, to] of [
				["09:00", "12:00"],
				["13:00", "16:00"],
			]) {
				const s = {
					id: sessions.length + 1,
					classId: k.id,
					date,
					startsAt: taipeiInstant(date, from),
					endsAt: taipeiInstant(date, to),
				};
				sessions.push(s);
				k.sessions.push(s);
			}
	}
	const people = [];
	for (const k of classes)
		for (let seat = 1; seat <= k.size; seat++) people.push({ id: people.length + 1, classId: k.id, seat });

	// Ten requests per trainee, each over one or two sessions of its own block of the class's
	// timetable, so no two active requests of a trainee cover the same session.
	const leave = [];
	const leaveSessions = [];
	// Every step of a request is in the past: only the bulk approval stamps rows after the start.
	const past = (instant) => Math.min(instant, now - MINUTE);
	const approvedCover = new Map(); // `${sessionId}:${personId}` → leave type
	for (const p of people) {
		const k = classes[p.classId - 1];
		const block = Math.floor(k.sessions.length / LEAVE_PER_TRAINEE);
		for (let n = 0; n < LEAVE_PER_TRAINEE; n++) {
			const offset = p.id % (block - 1);
			const covered = k.sessions.slice(
				n * block + offset,
				n * block + offset + ((p.id + n) % 3 === 0 ? 2 : 1),
			);
			const status = statusOf(roll(p.id, n));
			const type = LEAVE_TYPE_CODES[roll(n, p.id) % LEAVE_TYPE_CODES.length];
			const first = covered[0];
			// Filed one to five days ahead, never later than now.
			const submittedAt =
				Math.min(first.startsAt - (1 + (roll(p.id, n + 7) % 5)) * DAY, now - 3_600_000) -
				roll(n, p.id + 3) * MINUTE;
			const reviewedAt = ["approved", "rejected", "revoked"].includes(status)
				? past(submittedAt + 3_600_000)
				: null;
			const id = leave.length + 1;
			leave.push({
				id,
				status,
				row: [
					id,
					p.id,
					k.id,
					1,
					type,
					n % 4 === 0 ? `壓測備註 ${id}` : null,
					status,
					first.date,
					covered.at(-1).date,
					covered.length * SESSION_HOURS,
					`bench-${p.id}-${n}`,
					submittedAt,
					reviewedAt,
					reviewedAt ? 1 : null,
					status === "cancelled" ? past(submittedAt + 600_000) : null,
					status === "revoked" ? past(reviewedAt + DAY) : null,
					status === "revoked" ? 1 : null,
					status === "revoked" ? "壓測撤銷" : null,
					status === "expired" ? past(first.startsAt + 15 * DAY) : null,
					reviewedAt ?? submittedAt,
				],
			});
			const active = status === "pending" || status === "approved" ? 1 : null;
			for (const s of covered) {
				leaveSessions.push([id, s.id, p.id, active]);
				if (status === "approved") approvedCover.set(`${s.id}:${p.id}`, type);
			}
		}
	}

	// Attendance: every trainee of the big class in its sessions so far, and check-ins to today's
	// sessions that started in the other classes.
	const attendance = [];
	for (const p of people) {
		const k = classes[p.classId - 1];
		for (const s of k.sessions) {
			if (s.startsAt > now || (k.id !== 1 && s.date !== today)) continue;
			const ended = s.endsAt <= now;
			const leaveType = approvedCover.get(`${s.id}:${p.id}`);
			const r = roll(s.id, p.id);
			const status = leaveType
				? "leave"
				: !ended
					? "pending"
					: r < 85
						? "present"
						: r < 92
							? "late"
							: r < 97
								? "absent"
								: "no_check_out";
			if (!ended && r >= 70) continue;
			const checkIn =
				status === "absent" || status === "leave"
					? null
					: s.startsAt + (status === "late" ? 15 : -5) * MINUTE;
			const checkOut = ended && checkIn && status !== "no_check_out" ? s.endsAt + 2 * MINUTE : null;
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
	}

	const sql = [
		...unitAndPlan(now, LEAVE_TYPE_CODES),
		...inserts(
			"staff",
			["id", "unit_id", "email", "name", "role", "password_hash", "created_at", "updated_at"],
			[[1, 1, CLERK.email, "壓測承辦人", "unit_staff", passwordHash, now, now]],
		),
		...inserts(
			"classes",
			COLUMNS.classes,
			classes.map((k) => [
				k.id,
				1,
				1,
				k.code,
				`壓測班 ${k.id}`,
				k.startDate,
				k.endDate,
				k.sessions.length * SESSION_HOURS,
				now,
				now,
			]),
		),
		...inserts(
			"sessions",
			["id", "class_id", "date", "starts_at", "ends_at", "hours", "subject", "created_at", "updated_at"],
			sessions.map((s) => [
				s.id,
				s.classId,
				s.date,
				s.startsAt,
				s.endsAt,
				SESSION_HOURS,
				"壓測課程",
				now,
				now,
			]),
		),
		...boundTraineeInserts(
			people.map((p) => ({ ...p, name: `壓測學員${String(p.id).padStart(4, "0")}`, hmac: `bench-${p.id}` })),
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
				"reviewer_staff_id",
				"cancelled_at",
				"revoked_at",
				"revoked_by_staff_id",
				"revoke_reason",
				"expired_at",
				"updated_at",
			],
			leave.map((l) => l.row),
		),
		...inserts(
			"leave_request_sessions",
			["leave_request_id", "session_id", "person_id", "active"],
			leaveSessions,
		),
		...inserts("attendance", COLUMNS.attendance, attendance),
		// A few LINE pushes that never arrived, for 今日's alert list.
		...inserts(
			"outbox",
			["channel", "recipient", "payload", "retry_key", "status", "attempts", "next_attempt_at", "created_at"],
			Array.from({ length: 30 }, (_, i) => [
				"line_push",
				lineUserId(i * 31 + 1),
				'{"messages":[]}',
				`bench-dead-${i}`,
				"dead",
				5,
				now,
				now - (i + 1) * 3_600_000,
			]),
		),
	].join("\n");

	const big = classes[0];
	const pending = leave.filter((l) => l.status === "pending").map((l) => l.id);
	return {
		sql,
		summary:
			`1 unit, ${TRAINEES} trainees in ${OTHER_CLASSES + 1} classes, ${LEAVE_TOTAL} leave requests; ` +
			`${sessions.length} sessions (${sessions.filter((s) => s.date === today).length} today), ` +
			`${leaveSessions.length} leave×session rows, ${attendance.length} attendance rows, ` +
			`${leave.filter((l) => l.status === "pending").length} pending requests`,
		today,
		big: { id: big.id, trainees: big.size, from: big.startDate, to: today, sessions: MATRIX_MAX_SESSIONS },
		todaySessions: sessions.filter((s) => s.date === today).length,
		pending,
		sessions: sessions.length,
		attendance: attendance.length,
		leaveSessions: leaveSessions.length,
	};
}

// ── What a page should show ──────────────────────────────────────────────────────────────────

const occurrences = (text, pattern) => text.match(pattern)?.length ?? 0;
/** A check for load(): the page has `want` matches of `pattern` (and whatever `extra` asks). */
const expect = (what, pattern, want, extra) => (res) => {
	const got = occurrences(res.text, pattern);
	if (got !== want) return `${what}: ${got} instead of ${want}`;
	return extra?.(res.text);
};
const LEAVE_ROW = /<a href="\/admin\/leave\/\d+">/g;

// ── Scenarios ────────────────────────────────────────────────────────────────────────────────

/** Signs in as the unit's clerk, as the login form does; returns the headers of every later request. */
export async function signIn(bench) {
	const login = await bench.send("POST", "/admin/login", {
		headers: { origin: bench.baseUrl },
		form: { email: CLERK.email, password: CLERK.password, next: "/admin" },
	});
	const cookie = [login.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("tl_admin="));
	if (login.status !== 303 || !cookie)
		throw new Error(`sign-in failed: ${login.status} ${login.text.slice(0, 200)}`);
	return { cookie: cookie.split(";")[0], origin: bench.baseUrl };
}

const getWith = (headers, path) => () => ({ method: "GET", path, options: { headers } });

/** The list pages a clerk opens all day; figures keyed by page. */
export async function listPagesScenario(bench, data, headers) {
	const pendingCount = data.pending.length;
	const twoWeeks = { from: addDays(data.today, -13), to: data.today };
	const fullPage = (what) => expect(what, LEAVE_ROW, LEAVE_QUEUE_PAGE);
	const pages = [
		{
			key: "today",
			label: "GET /admin (今日)",
			path: "/admin",
			check: expect("sessions of today", /\/display">顯示簽到QR/g, data.todaySessions, (html) =>
				html.includes(`<strong>${pendingCount}</strong> 張待審核假單`) ? undefined : "pending count",
			),
		},
		{ key: "leave", label: "GET /admin/leave", path: "/admin/leave", check: fullPage("rows") },
		{
			key: "leavePending",
			label: "GET /admin/leave?status=pending",
			path: "/admin/leave?status=pending",
			check: expect("pending rows with a checkbox", /name="ids"/g, LEAVE_QUEUE_PAGE),
		},
		{
			key: "leaveClass",
			label: "GET /admin/leave?classId=7",
			path: "/admin/leave?classId=7",
			check: fullPage("rows"),
		},
		{
			key: "leaveType",
			label: "GET /admin/leave?typeCode=sick",
			path: "/admin/leave?typeCode=sick",
			check: fullPage("rows"),
		},
		{
			key: "leaveDates",
			label: "GET /admin/leave?from=…&to=… (14 days)",
			path: `/admin/leave?from=${twoWeeks.from}&to=${twoWeeks.to}`,
			check: fullPage("rows"),
		},
		{
			// The last page: OFFSET walks past every earlier row.
			key: "leaveDeep",
			label: `GET /admin/leave?page=${LEAVE_TOTAL / LEAVE_QUEUE_PAGE} (last)`,
			path: `/admin/leave?page=${LEAVE_TOTAL / LEAVE_QUEUE_PAGE}`,
			check: expect("rows", LEAVE_ROW, LEAVE_QUEUE_PAGE, (html) =>
				html.includes("下一頁") ? "a next page after the last" : undefined,
			),
		},
		{
			key: "classSearch",
			label: "GET /admin/classes?q=BENCH-1",
			path: "/admin/classes?q=BENCH-1",
			// BENCH-10 … BENCH-19
			check: expect("classes", /<td class="count">/g, 10),
		},
	];
	const figures = {};
	for (const page of pages)
		figures[page.key] = await bench.load(page.label, 100, getWith(headers, page.path), { check: page.check });
	return figures;
}

/** (d): the attendance matrix of the 60-person class over its 120 sessions. */
export async function matrixScenario(bench, data, headers) {
	const big = data.big;
	return bench.load(
		`GET /admin/classes/${big.id} (${big.trainees} × ${big.sessions} matrix)`,
		100,
		getWith(headers, `/admin/classes/${big.id}?from=${big.from}&to=${big.to}`),
		{ check: expect("matrix cells", /<td class="att /g, big.trainees * big.sessions) },
	);
}

/**
 * (e): 200 pending requests spread over the classes approved in one form post as the list sends it;
 * then the same post again, as a double click would. Counts what reached D1 and the LINE emulator.
 */
export async function bulkReviewScenario(bench, data, headers) {
	const ids = data.pending.filter((_, i) => i % 5 === 0).slice(0, MAX_BULK_REVIEW);
	const form = () =>
		new URLSearchParams([
			...ids.map((id) => ["ids", String(id)]),
			["decision", "approved"],
			["remark", ""],
			["back", "/admin/leave?status=pending"],
		]);
	const post = async (what) => {
		const t0 = performance.now();
		const res = await bench.send("POST", "/admin/leave/review", { headers, form: form() });
		const ms = round(performance.now() - t0, 1);
		const location = String(res.headers.location ?? "");
		const query = new URLSearchParams(location.split("?")[1] ?? "");
		console.log(
			`POST /admin/leave/review (${ids.length} ids, approve${what}): ${res.status} in ${ms} ms → ${location}`,
		);
		return {
			status: res.status,
			ms,
			done: Number(query.get("done") ?? 0),
			failed: Number(query.get("failed") ?? 0),
		};
	};
	const before = Date.now();
	const first = await post("");

	const idList = ids.join(",");
	// dedupe_key is "leave:<id>:approved" ("leave:" is 6 characters, ":approved" 9).
	const requestOfKey = "CAST(substr(o.dedupe_key, 7, length(o.dedupe_key) - 15) AS INTEGER)";
	const counts = () => {
		const approvedSince = `FROM leave_requests WHERE status = 'approved' AND reviewed_at >= ${before}`;
		const auditsSince = `FROM audit_log WHERE action = 'leave.approved' AND at >= ${before}`;
		// One query per poll: every wrangler d1 execute starts a process.
		const [row] = bench.query(
			`SELECT (SELECT SUM(id IN (${idList})) ${approvedSince}) AS approved,
			        (SELECT SUM(id NOT IN (${idList})) ${approvedSince}) AS others,
			        (SELECT COUNT(*) ${auditsSince}) AS audits,
			        (SELECT COUNT(DISTINCT entity_id) ${auditsSince}) AS auditedRequests,
			        (SELECT COUNT(*) FROM emulator_log WHERE kind = 'push' AND at >= ${before}) AS receivedAll,
			        q.*, r.*
			 FROM (SELECT COUNT(*) AS pushes, SUM(o.status = 'sent') AS sent,
			              SUM(o.status = 'pending' AND r.id IN (${idList})) AS pending,
			              COUNT(DISTINCT CASE WHEN r.id IN (${idList}) THEN r.id END) AS requests,
			              SUM(r.id IN (${idList}) AND o.recipient = lb.line_user_id) AS toTrainee
			       FROM outbox o
			       LEFT JOIN leave_requests r ON o.dedupe_key LIKE 'leave:%:approved' AND r.id = ${requestOfKey}
			       LEFT JOIN line_bindings lb ON lb.person_id = r.person_id AND lb.role = 'trainee'
			       WHERE o.channel = 'line_push' AND o.created_at >= ${before}) q,
			      -- What LINE received: pushes carry their outbox row's retry key.
			      (SELECT COUNT(*) AS received, COUNT(DISTINCT ${requestOfKey}) AS receivedRequests
			       FROM emulator_log l JOIN outbox o ON o.retry_key = l.retry_key
			       WHERE l.kind = 'push' AND o.dedupe_key LIKE 'leave:%:approved' AND ${requestOfKey} IN (${idList})) r`,
		);
		return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? 0]));
	};
	// Deliveries run after the answer (waitUntil): wait until all are sent, or nothing moved in three
	// polls (at most about 30 s).
	let c = counts();
	for (let i = 0, still = 0; i < 10 && c.sent < c.pushes && still < 3; i++) {
		const sent = c.sent;
		await sleep(2_000);
		c = counts();
		still = c.sent === sent ? still + 1 : 0;
	}
	console.log(
		`D1: approved now ${c.approved}/${ids.length} of the chosen, ${c.others} others; audit entries ${c.audits} ` +
			`(${c.auditedRequests} requests)`,
	);
	console.log(
		`LINE pushes since the post: ${c.pushes} queued for ${c.requests} requests (${c.toTrainee} to the request's ` +
			`trainee), ${c.sent} delivered, ${c.received} received by LINE for ${c.receivedRequests} requests` +
			(c.pending ? `; ${c.pending} still pending in the outbox (the 5-minute cron retries them)` : ""),
	);

	const again = await post(", posted again");
	await sleep(2_000);
	const after = counts();
	const repeat = {
		...again,
		extraApprovals: after.approved + after.others - (c.approved + c.others),
		extraAudits: after.audits - c.audits,
		extraPushes: after.pushes - c.pushes,
	};
	console.log(
		`posted again: ${again.done} done, ${again.failed} refused; extra approvals ${repeat.extraApprovals}, ` +
			`audit entries ${repeat.extraAudits}, pushes ${repeat.extraPushes}`,
	);

	// Decisions: lost = a chosen request not approved; duplicated = a request decided twice (a second
	// audit entry), one not chosen that got approved, or anything the repeated post changed.
	const decisionsLost = ids.length - after.approved;
	const decisionsDuplicated =
		Math.max(0, after.audits - after.auditedRequests) + after.others + repeat.extraApprovals;
	// Notices: lost = a request with no push received by LINE; duplicated = a push beyond one per
	// request, queued or received, or one LINE received that no chosen request explains.
	// A notice still pending in the outbox is not lost (the cron delivers it) but late: counted apart.
	const awaitingRetry = Math.min(after.pending, ids.length - after.receivedRequests);
	const messagesLost = ids.length - after.receivedRequests - awaitingRetry;
	const messagesDuplicated =
		after.pushes -
		after.requests +
		(after.received - after.receivedRequests) +
		(after.receivedAll - after.received) +
		Math.max(0, repeat.extraPushes);
	console.log(
		`decisions lost ${decisionsLost}, duplicated ${decisionsDuplicated}; notices lost ${messagesLost}, ` +
			`duplicated ${messagesDuplicated}, not delivered yet (pending in the outbox) ${awaitingRetry}`,
	);
	return {
		ids: ids.length,
		...first,
		approved: after.approved,
		others: after.others,
		audits: after.audits,
		pushes: after.pushes,
		delivered: after.sent,
		received: after.received,
		repeat,
		decisions: { lost: decisionsLost, duplicated: decisionsDuplicated },
		messages: { lost: messagesLost, duplicated: messagesDuplicated, awaitingRetry },
	};
}
