// npm run bench:punch: the morning rush on a local Worker. A fresh local D1 (own state dir) with
// 200 open sessions × 30 bound trainees, `wrangler dev` on 127.0.0.1:8795 (BENCH_PORT), then 6,000
// QR check-ins (POST /api/liff/punch) at 20 keep-alive connections, then as many GET /healthz at the
// same concurrency, then a count of what reached D1. Prints figures and asserts nothing; the last
// line is one JSON object with every figure. Run with tsx: it imports the token code from src/.
import { readFileSync } from "node:fs";
import os from "node:os";
import { mintSessionQrToken } from "../src/qr/rotating-token.ts";
import { signDevIdToken } from "../src/routes/dev/id-token-emulator.tsx";
import { createBench, inserts, lineUserId, MINUTE, round } from "./lib/bench.mjs";

const SESSIONS = 200;
const PER_SESSION = 30;
const TOTAL = SESSIONS * PER_SESSION;

const bench = createBench({ name: "bench", port: Number(process.env.BENCH_PORT ?? "8795") });
const { baseUrl: BASE_URL, state: STATE } = bench;

const devVars = Object.fromEntries(
	readFileSync(".dev.vars.example", "utf8")
		.split("\n")
		.filter((line) => /^[A-Z_]+=/.test(line))
		.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
);

// ── Data set ─────────────────────────────────────────────────────────────────────────────────

function seedSql(now) {
	const today = new Date(now + 8 * 60 * MINUTE).toISOString().slice(0, 10); // Taipei date
	// Started 5 minutes ago, ends in 3 hours: check-in is open (from 30 min before start until the end).
	const startsAt = now - 5 * MINUTE;
	const endsAt = now + 180 * MINUTE;
	const sessionIds = Array.from({ length: SESSIONS }, (_, i) => i + 1);
	const personIds = Array.from({ length: TOTAL }, (_, i) => i + 1);
	const classOf = (personId) => Math.ceil(personId / PER_SESSION);
	return [
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
			sessionIds.map((id) => [id, 1, 1, `BENCH-${id}`, `壓測班 ${id}`, today, today, 3, now, now]),
		),
		...inserts(
			"sessions",
			["id", "class_id", "date", "starts_at", "ends_at", "hours", "subject", "created_at", "updated_at"],
			sessionIds.map((id) => [id, id, today, startsAt, endsAt, 3, "壓測課程", now, now]),
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
			personIds.map((id) => [
				id,
				`壓測學員${id}`,
				`bench-${id}`,
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
			personIds.map((id) => [classOf(id), id, ((id - 1) % PER_SESSION) + 1, "active", now]),
		),
		...inserts(
			"line_users",
			["user_id", "followed_at", "active_role", "rich_menu", "created_at", "updated_at"],
			personIds.map((id) => [lineUserId(id), now, "trainee", "trainee", now, now]),
		),
		...inserts(
			"line_bindings",
			["line_user_id", "role", "person_id", "bound_at"],
			personIds.map((id) => [lineUserId(id), "trainee", id, now]),
		),
	].join("\n");
}

/** Deterministic shuffle (mulberry32), so sessions interleave as in a real morning. */
function shuffled(items) {
	let seed = 20260420;
	const random = () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

// ── Run ──────────────────────────────────────────────────────────────────────────────────────

try {
	await bench.ensurePortFree();

	console.log(`bench: fresh local D1 in ${STATE}, ${SESSIONS} sessions × ${PER_SESSION} trainees`);
	// Figures depend on the machine and whatever else runs on it.
	console.log(`bench: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
	bench.freshDatabase(seedSql(Date.now()));
	await bench.startServer();

	// ID tokens as LINE (here the emulator's key) would issue them, signed before timing starts.
	const signOptions = { issuer: BASE_URL, channelId: devVars.LINE_LOGIN_CHANNEL_ID, now: Date.now() };
	const idTokens = new Map();
	for (let personId = 1; personId <= TOTAL; personId++)
		idTokens.set(personId, await signDevIdToken(lineUserId(personId), signOptions));

	// The session QR shown on the classroom display: re-minted every 15-second window.
	const qrCache = new Map();
	const qrToken = async (sessionId) => {
		const window = Math.floor(Date.now() / 15_000);
		const cached = qrCache.get(sessionId);
		if (cached?.window === window) return cached.token;
		const { token } = await mintSessionQrToken(devVars.QR_SIGNING_KEY, sessionId, Date.now(), 15);
		qrCache.set(sessionId, { window, token });
		return token;
	};

	const punches = shuffled(
		Array.from({ length: TOTAL }, (_, i) => ({
			personId: i + 1,
			sessionId: Math.ceil((i + 1) / PER_SESSION),
		})),
	);
	console.log(`\n${TOTAL} requests each at ${bench.concurrency} keep-alive connections:`);
	let repeated = 0;
	const punch = await bench.load(
		"POST /api/liff/punch",
		TOTAL,
		async (i) => {
			const { personId, sessionId } = punches[i];
			return {
				method: "POST",
				path: "/api/liff/punch",
				options: {
					headers: { authorization: `Bearer ${idTokens.get(personId)}` },
					body: { role: "trainee", action: "check_in", token: await qrToken(sessionId) },
				},
			};
		},
		{
			check: (res) => {
				if (res.text.includes('"repeated":true')) repeated++;
			},
		},
	);
	// No route does no work at all: /healthz (one D1 read of leave_types) is the barest one.
	const bare = await bench.load("GET /healthz (1 D1 read)", TOTAL, async () => ({
		method: "GET",
		path: "/healthz",
	}));
	const ratio = round(punch.rps / bare.rps, 3);
	console.log(`ratio punch rps / bare rps: ${ratio}`);

	// What reached D1. Write-through finishes before a punch answers; a failed one retries by alarm
	// in 5 s, so wait until the counts stop moving (at most 20 s).
	const count = () => {
		const [a] = bench.query(
			`SELECT COUNT(*) AS n FROM attendance WHERE session_id BETWEEN 1 AND ${SESSIONS} AND role = 'trainee' AND check_in_at IS NOT NULL`,
		);
		const [p] = bench.query(
			`SELECT SUM(accepted = 1) AS accepted, COUNT(DISTINCT CASE WHEN accepted = 1 THEN session_id || ':' || person_id END) AS pairs,
			        SUM(accepted = 0) AS refused
			 FROM punches WHERE session_id BETWEEN 1 AND ${SESSIONS} AND action = 'check_in'`,
		);
		return { attendance: a.n, accepted: p.accepted ?? 0, pairs: p.pairs, refused: p.refused ?? 0 };
	};
	let stored = count();
	for (let i = 0; i < 4 && (stored.attendance < TOTAL || stored.accepted < TOTAL); i++) {
		await new Promise((r) => setTimeout(r, 5_000));
		stored = count();
	}
	const lost = Math.max(0, TOTAL - Math.min(stored.attendance, stored.pairs));
	const duplicated = stored.accepted - stored.pairs + Math.max(0, stored.attendance - TOTAL);
	console.log(
		`\nD1: attendance with check_in_at ${stored.attendance}/${TOTAL}, accepted check-in punches ` +
			`${stored.accepted} (${stored.pairs} distinct trainee×session), refused punches ${stored.refused}, ` +
			`"repeated" answers ${repeated}`,
	);
	console.log(`lost ${lost}, duplicated ${duplicated}`);
	console.log(
		JSON.stringify({
			punch: {
				rps: punch.rps,
				p50: punch.p50,
				p99: punch.p99,
				errors: punch.errors,
			},
			bare: {
				rps: bare.rps,
				p50: bare.p50,
				p99: bare.p99,
				errors: bare.errors,
			},
			ratio,
			lost,
			duplicated,
		}),
	);
} catch (err) {
	console.error(`\n✗ ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	bench.close();
}
