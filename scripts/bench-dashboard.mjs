// npm run bench:dashboard: a big unit's dashboard on a local Worker. A fresh local D1 (own state dir)
// with one unit of 1,000 trainees in 21 classes (one of 60 trainees with 120 sessions up to today),
// 10,000 leave requests in every status, type and date, attendance of the 60-person class; `wrangler
// dev` on 127.0.0.1:8796 (BENCH_PORT); a clerk signs in, then each list page (今日, 請假審核 with
// filters and a deep page, 班級 search, the 60 × 120 attendance matrix) and GET /healthz at 20
// keep-alive connections, every answer checked for what it should show; then one bulk approval of
// 200 requests, timed, and a count in D1 of what it changed and queued. Prints figures and asserts
// nothing; the last line is one JSON object with every figure. Run with tsx: it imports src/ code.
import os from "node:os";
import { LEAVE_TYPE_CODES } from "../src/domain/leave-types.ts";
import { addDays, taipeiDate, taipeiInstant, weekdayOf } from "../src/domain/taipei-time.ts";
import { MATRIX_MAX_SESSIONS } from "../src/services/class-overview.ts";
import { LEAVE_QUEUE_PAGE } from "../src/services/leave-queue.ts";
import { MAX_BULK_REVIEW } from "../src/services/leave-review.ts";
import { hashPassword } from "../src/services/password.ts";
import { createBench, inserts, lineUserId, MINUTE, round } from "./lib/bench.mjs";

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
const CLERK = { email: "bench.clerk@unit.example", password: "Bench-Dashboard-2026" };
const SESSION_HOURS = 3;
const DAY = 24 * 60 * MINUTE;

const bench = createBench({
	name: "bench-dashboard",
	port: Number(process.env.BENCH_PORT ?? "8796"),
	labelWidth: 44,
});
const { baseUrl: BASE_URL, state: STATE } = bench;

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
function dataSet(now, passwordHash) {
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
		...inserts(
			"units",
			["id", "code", "name", "created_at", "updated_at"],
			[[1, "BENCH", "壓測訓練單位", now, now]],
		),
		...inserts(
			"plans",
			["id", "code", "name", "created_at", "updated_at"],
			[[1, "BENCH-PLAN", "壓測計畫", now, now]],
		),
		...inserts(
			"plan_leave_types",
			["plan_id", "leave_type_code"],
			LEAVE_TYPE_CODES.map((code) => [1, code]),
		),
		...inserts(
			"staff",
			["id", "unit_id", "email", "name", "role", "password_hash", "created_at", "updated_at"],
			[[1, 1, CLERK.email, "壓測承辦人", "unit_staff", passwordHash, now, now]],
		),
		...inserts(
			"classes",
			[
				"id",
				"unit_id",
				"plan_id",
				"code",
				"name",
				"start_date",
				"end_date",
				"total_hours",
				"created_at",
				"updated_at",
			],
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
		...inserts(
			"people",
			[
				"id",
				"name",
				"national_id_hmac",
				"national_id_masked",
				"national_id_kind",
				"birth_date",
				"created_at",
				"updated_at",
			],
			people.map((p) => [
				p.id,
				`壓測學員${String(p.id).padStart(4, "0")}`,
				`bench-${p.id}`,
				"B12****789",
				"national",
				"1990-01-01",
				now,
				now,
			]),
		),
		...inserts(
			"enrollments",
			["class_id", "person_id", "seat_no", "status", "enrolled_at"],
			people.map((p) => [p.classId, p.id, p.seat, "active", now]),
		),
		...inserts(
			"line_users",
			["user_id", "followed_at", "active_role", "rich_menu", "created_at", "updated_at"],
			people.map((p) => [lineUserId(p.id), now, "trainee", "trainee", now, now]),
		),
		...inserts(
			"line_bindings",
			["line_user_id", "role", "person_id", "bound_at"],
			people.map((p) => [lineUserId(p.id), "trainee", p.id, now]),
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
		...inserts(
			"attendance",
			[
				"session_id",
				"person_id",
				"role",
				"check_in_at",
				"check_in_method",
				"check_out_at",
				"check_out_method",
				"status",
				"leave_type_code",
				"updated_at",
			],
			attendance,
		),
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

// ── Run ──────────────────────────────────────────────────────────────────────────────────────

try {
	await bench.ensurePortFree();

	console.log(
		`bench: fresh local D1 in ${STATE}, 1 unit, ${TRAINEES} trainees in ${OTHER_CLASSES + 1} classes, ${LEAVE_TOTAL} leave requests`,
	);
	// Figures depend on the machine and whatever else runs on it.
	console.log(`bench: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
	const data = dataSet(Date.now(), await hashPassword(CLERK.password));
	console.log(
		`bench: ${data.sessions} sessions (${data.todaySessions} today), ${data.leaveSessions} leave×session rows, ` +
			`${data.attendance} attendance rows, ${data.pending.length} pending requests`,
	);
	bench.freshDatabase(data.sql);
	await bench.startServer();

	// Sign in as the unit's clerk, as the login form does; the cookie is the session.
	const login = await bench.send("POST", "/admin/login", {
		headers: { origin: BASE_URL },
		form: { email: CLERK.email, password: CLERK.password, next: "/admin" },
	});
	const cookie = [login.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("tl_admin="));
	if (login.status !== 303 || !cookie)
		throw new Error(`sign-in failed: ${login.status} ${login.text.slice(0, 200)}`);
	const headers = { cookie: cookie.split(";")[0], origin: BASE_URL };
	const get = (path) => () => ({ method: "GET", path, options: { headers } });

	const pendingCount = data.pending.length;
	const big = data.big;
	const twoWeeks = { from: addDays(data.today, -13), to: data.today };
	const fullPage = (what) => expect(what, LEAVE_ROW, LEAVE_QUEUE_PAGE);
	const pages = [
		{
			key: "today",
			label: "GET /admin (今日)",
			count: 500,
			path: "/admin",
			check: expect("sessions of today", /\/display">顯示簽到QR/g, data.todaySessions, (html) =>
				html.includes(`<strong>${pendingCount}</strong> 張待審核假單`) ? undefined : "pending count",
			),
		},
		{ key: "leave", label: "GET /admin/leave", count: 500, path: "/admin/leave", check: fullPage("rows") },
		{
			key: "leavePending",
			label: "GET /admin/leave?status=pending",
			count: 500,
			path: "/admin/leave?status=pending",
			check: expect("pending rows with a checkbox", /name="ids"/g, LEAVE_QUEUE_PAGE),
		},
		{
			key: "leaveClass",
			label: "GET /admin/leave?classId=7",
			count: 500,
			path: "/admin/leave?classId=7",
			check: fullPage("rows"),
		},
		{
			key: "leaveType",
			label: "GET /admin/leave?typeCode=sick",
			count: 500,
			path: "/admin/leave?typeCode=sick",
			check: fullPage("rows"),
		},
		{
			key: "leaveDates",
			label: "GET /admin/leave?from=…&to=… (14 days)",
			count: 500,
			path: `/admin/leave?from=${twoWeeks.from}&to=${twoWeeks.to}`,
			check: fullPage("rows"),
		},
		{
			// The last page: OFFSET walks past every earlier row.
			key: "leaveDeep",
			label: `GET /admin/leave?page=${LEAVE_TOTAL / LEAVE_QUEUE_PAGE} (last)`,
			count: 500,
			path: `/admin/leave?page=${LEAVE_TOTAL / LEAVE_QUEUE_PAGE}`,
			check: expect("rows", LEAVE_ROW, LEAVE_QUEUE_PAGE, (html) =>
				html.includes("下一頁") ? "a next page after the last" : undefined,
			),
		},
		{
			key: "classSearch",
			label: "GET /admin/classes?q=BENCH-1",
			count: 500,
			path: "/admin/classes?q=BENCH-1",
			// BENCH-10 … BENCH-19
			check: expect("classes", /<td class="count">/g, 10),
		},
		{
			key: "matrix",
			label: `GET /admin/classes/${big.id} (${big.trainees} × ${big.sessions} matrix)`,
			count: 300,
			path: `/admin/classes/${big.id}?from=${big.from}&to=${big.to}`,
			check: expect("matrix cells", /<td class="att /g, big.trainees * big.sessions),
		},
		{ key: "bare", label: "GET /healthz (1 D1 read)", count: 1000, path: "/healthz" },
	];

	console.log(`\nat ${bench.concurrency} keep-alive connections, signed in as the unit's clerk:`);
	const figures = {};
	for (const page of pages) {
		const f = await bench.load(page.label, page.count, get(page.path), { check: page.check });
		figures[page.key] = { rps: f.rps, p50: f.p50, p99: f.p99, errors: f.errors };
		if (f.notSent) figures[page.key].notSent = f.notSent;
	}

	// Bulk approval: 200 pending requests spread over the classes, in one form post as the list sends it.
	const ids = data.pending.filter((_, i) => i % 5 === 0).slice(0, MAX_BULK_REVIEW);
	const form = new URLSearchParams([
		...ids.map((id) => ["ids", String(id)]),
		["decision", "approved"],
		["remark", ""],
		["back", "/admin/leave?status=pending"],
	]);
	const before = Date.now();
	const t0 = performance.now();
	const review = await bench.send("POST", "/admin/leave/review", { headers, form });
	const reviewMs = round(performance.now() - t0, 1);
	const location = String(review.headers.location ?? "");
	console.log(
		`\nPOST /admin/leave/review (${ids.length} ids, approve): ${review.status} in ${reviewMs} ms → ${location}`,
	);

	// What reached D1: exactly those 200 approved just now, one LINE push each, none elsewhere.
	const idList = ids.join(",");
	const [changed] = bench.query(
		`SELECT SUM(id IN (${idList})) AS ours, SUM(id NOT IN (${idList})) AS others
		 FROM leave_requests WHERE status = 'approved' AND reviewed_at >= ${before}`,
	);
	const [stillPending] = bench.query(
		`SELECT COUNT(*) AS n FROM leave_requests WHERE id IN (${idList}) AND status <> 'approved'`,
	);
	const pushCounts = () => {
		const [row] = bench.query(
			// dedupe_key is "leave:<id>:approved" ("leave:" is 6 characters, ":approved" 9).
			`SELECT COUNT(*) AS pushes, SUM(o.status = 'sent') AS sent,
			        COUNT(DISTINCT CASE WHEN r.id IN (${idList}) THEN r.id END) AS requests,
			        SUM(r.id IN (${idList}) AND o.recipient = lb.line_user_id) AS toTrainee
			 FROM outbox o
			 LEFT JOIN leave_requests r
			   ON o.dedupe_key LIKE 'leave:%:approved'
			  AND r.id = CAST(substr(o.dedupe_key, 7, length(o.dedupe_key) - 15) AS INTEGER)
			 LEFT JOIN line_bindings lb ON lb.person_id = r.person_id AND lb.role = 'trainee'
			 WHERE o.channel = 'line_push' AND o.created_at >= ${before}`,
		);
		return { pushes: row.pushes, sent: row.sent ?? 0, requests: row.requests, toTrainee: row.toTrainee ?? 0 };
	};
	// Deliveries run after the answer (waitUntil); wait until the count stops moving (at most 20 s).
	let pushes = pushCounts();
	for (let i = 0, lastSent = -1; i < 10 && pushes.sent < pushes.pushes && pushes.sent !== lastSent; i++) {
		lastSent = pushes.sent;
		await new Promise((r) => setTimeout(r, 2_000));
		pushes = pushCounts();
	}
	const [audited] = bench.query(
		`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'leave.approved' AND at >= ${before}`,
	);
	const approved = changed.ours ?? 0;
	const others = changed.others ?? 0;
	const perRequest = pushes.requests;
	const lost = ids.length - perRequest;
	const duplicated = pushes.pushes - perRequest;
	console.log(
		`D1: approved now ${approved}/${ids.length} of the chosen (${stillPending.n} not approved), ${others} others; ` +
			`audit entries ${audited.n}`,
	);
	console.log(
		`outbox LINE pushes since the post: ${pushes.pushes} for ${perRequest} requests ` +
			`(${pushes.toTrainee} to the request's trainee), delivered ${pushes.sent}` +
			(pushes.sent < pushes.pushes ? " (the rest wait for the outbox cron)" : ""),
	);
	console.log(`pushes lost ${lost}, duplicated ${duplicated}`);
	console.log(
		JSON.stringify({
			...figures,
			bulkReview: {
				ids: ids.length,
				status: review.status,
				ms: reviewMs,
				done: Number(new URLSearchParams(location.split("?")[1] ?? "").get("done") ?? 0),
				approved,
				others,
				pushes: pushes.pushes,
				delivered: pushes.sent,
				lost,
				duplicated,
			},
		}),
	);
} catch (err) {
	console.error(`\n✗ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
	process.exitCode = 1;
} finally {
	bench.close();
}
