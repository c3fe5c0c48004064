// npm run bench:punch: the morning rush on a local Worker. A fresh local D1 (own state dir) with
// 200 open sessions × 30 bound trainees, `wrangler dev` on 127.0.0.1:8795 (BENCH_PORT), then 6,000
// QR check-ins (POST /api/liff/punch) at 20 keep-alive connections, then as many GET /healthz at the
// same concurrency, then a count of what reached D1. Prints figures and asserts nothing; the last
// line is one JSON object with every figure. Run with tsx: it imports the token code from src/.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { mintSessionQrToken } from "../src/qr/rotating-token.ts";
import { signDevIdToken } from "../src/routes/dev/id-token-emulator.tsx";
import { startDevServer } from "./lib/dev-server.mjs";
import { quietWranglerEnv } from "./lib/run.mjs";

const PORT = Number(process.env.BENCH_PORT ?? "8795");
const HOST = "127.0.0.1";
const BASE_URL = `http://${HOST}:${PORT}`;
const STATE = ".wrangler/bench-state";
const SEED_FILE = ".wrangler/bench-seed.sql";
const SERVER_LOG = ".wrangler/bench-server.log";
const SESSIONS = 200;
const PER_SESSION = 30;
const TOTAL = SESSIONS * PER_SESSION;
const CONCURRENCY = 20;
const HARD_LIMIT_MS = 10 * 60_000;
/** No new request is sent after this, so the figures and the D1 check still fit in the hard limit. */
const SEND_LIMIT_MS = 8 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MINUTE = 60_000;
const started = Date.now();

const devVars = Object.fromEntries(
	readFileSync(".dev.vars.example", "utf8")
		.split("\n")
		.filter((line) => /^[A-Z_]+=/.test(line))
		.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
);
const env = { ...quietWranglerEnv, WRANGLER_LOG: "error" };

// ── The server and its teardown ──────────────────────────────────────────────────────────────

let devServer = null;
const stop = () => devServer?.stop();
process.on("exit", stop);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
	process.on(signal, () => {
		console.error(`\n${signal}: stopping the server`);
		stop();
		process.exit(130);
	});
setTimeout(() => {
	console.error("\n✗ stopped: the bench ran into its 10-minute limit");
	stop();
	process.exit(2);
}, HARD_LIMIT_MS).unref();

function wrangler(args, { capture = false } = {}) {
	const result = spawnSync("npx", ["wrangler", ...args], {
		// At WRANGLER_LOG=error wrangler prints nothing, not even the --json results.
		env: capture ? { ...env, WRANGLER_LOG: "log" } : env,
		encoding: "utf8",
		stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		if (capture) process.stderr.write(result.stderr ?? "");
		throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${result.status ?? result.signal})`);
	}
	return result.stdout;
}

/** Rows of one SELECT against the bench's local D1. */
function query(sql) {
	const out = wrangler(
		["d1", "execute", "DB", "--local", "--persist-to", STATE, "--json", "--command", sql],
		{
			capture: true,
		},
	);
	return JSON.parse(out.slice(out.indexOf("["))).at(0).results;
}

// ── HTTP: keep-alive, at most CONCURRENCY sockets, only to 127.0.0.1 ─────────────────────────

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });

function send(method, path, { headers = {}, body } = {}) {
	return new Promise((resolve) => {
		const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const req = http.request(
			{
				host: HOST,
				port: PORT,
				method,
				path,
				agent,
				timeout: REQUEST_TIMEOUT_MS,
				headers: payload
					? { ...headers, "content-type": "application/json", "content-length": payload.length }
					: headers,
			},
			(res) => {
				const chunks = [];
				res.on("data", (c) => chunks.push(c));
				res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
				res.on("error", (err) => resolve({ status: 0, text: String(err) }));
			},
		);
		req.on("timeout", () => req.destroy(new Error("timeout")));
		req.on("error", (err) => resolve({ status: 0, text: String(err) }));
		req.end(payload);
	});
}

/** Runs `count` requests from CONCURRENCY loops as fast as they go; latencies in ms. */
async function load(label, count, makeRequest) {
	const latencies = [];
	const failures = new Map();
	let firstFailure = null;
	let next = 0;
	let repeated = 0;
	const t0 = performance.now();
	const loop = async () => {
		while (next < count && Date.now() - started < SEND_LIMIT_MS) {
			const i = next++;
			const { method, path, options } = await makeRequest(i);
			const s = performance.now();
			const res = await send(method, path, options);
			latencies.push(performance.now() - s);
			if (res.status >= 200 && res.status < 300) {
				if (res.text.includes('"repeated":true')) repeated++;
				continue;
			}
			let code = "";
			try {
				code = JSON.parse(res.text).error?.code ?? "";
			} catch {}
			const key = `${res.status || "network"}${code ? ` ${code}` : ""}`;
			failures.set(key, (failures.get(key) ?? 0) + 1);
			firstFailure ??= `${key}: ${res.text.slice(0, 300)}`;
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, loop));
	const seconds = (performance.now() - t0) / 1000;
	latencies.sort((a, b) => a - b);
	const pct = (p) =>
		latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : 0;
	const errors = [...failures.values()].reduce((a, b) => a + b, 0);
	const figures = {
		requests: latencies.length,
		notSent: count - latencies.length,
		seconds: round(seconds, 2),
		rps: round(latencies.length / seconds, 1),
		p50: round(pct(0.5), 1),
		p99: round(pct(0.99), 1),
		errors,
	};
	console.log(
		`${label.padEnd(22)} ${figures.requests} requests in ${figures.seconds} s: ${figures.rps} req/s, ` +
			`p50 ${figures.p50} ms, p99 ${figures.p99} ms, errors ${errors}` +
			(figures.notSent ? `, not sent (time limit) ${figures.notSent}` : ""),
	);
	for (const [key, n] of failures) console.log(`  ${String(n).padStart(6)} × ${key}`);
	if (firstFailure) console.log(`  first failure: ${firstFailure}`);
	return { figures, repeated };
}

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

// ── Data set ─────────────────────────────────────────────────────────────────────────────────

const lineUserId = (personId) => `U${personId.toString(16).padStart(32, "0")}`;
const sqlText = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** Multi-row INSERTs of at most 500 rows each. */
function inserts(table, columns, rows) {
	const out = [];
	for (let i = 0; i < rows.length; i += 500)
		out.push(
			`INSERT INTO ${table} (${columns.join(", ")}) VALUES\n${rows
				.slice(i, i + 500)
				.map(
					(r) =>
						`(${r.map((v) => (v === null ? "NULL" : typeof v === "number" ? v : sqlText(v))).join(", ")})`,
				)
				.join(",\n")};`,
		);
	return out;
}

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

async function waitForServer() {
	for (let i = 0; i < 240; i++) {
		const res = await send("GET", "/healthz");
		if (res.status === 200) return;
		if (devServer?.server.exitCode != null) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`the Worker did not answer on ${BASE_URL} within 120 s (log: ${SERVER_LOG})`);
}

// ── Run ──────────────────────────────────────────────────────────────────────────────────────

try {
	if ((await send("GET", "/healthz")).status !== 0)
		throw new Error(`something already answers on ${BASE_URL}; stop it or set BENCH_PORT`);

	console.log(`bench: fresh local D1 in ${STATE}, ${SESSIONS} sessions × ${PER_SESSION} trainees`);
	// Figures depend on the machine and whatever else runs on it.
	console.log(`bench: ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
	rmSync(STATE, { recursive: true, force: true });
	mkdirSync(STATE, { recursive: true });
	wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { capture: true });
	writeFileSync(SEED_FILE, seedSql(Date.now()));
	wrangler(["d1", "execute", "DB", "--local", "--persist-to", STATE, "--file", SEED_FILE], { capture: true });

	const logFd = openSync(SERVER_LOG, "w");
	devServer = startDevServer({ port: PORT, host: HOST, state: STATE, env, stdio: ["ignore", logFd, logFd] });
	closeSync(logFd);
	await waitForServer();
	console.log(`bench: wrangler dev on ${BASE_URL} (log: ${SERVER_LOG})`);

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
	console.log(`\n${TOTAL} requests each at ${CONCURRENCY} keep-alive connections:`);
	const punch = await load("POST /api/liff/punch", TOTAL, async (i) => {
		const { personId, sessionId } = punches[i];
		return {
			method: "POST",
			path: "/api/liff/punch",
			options: {
				headers: { authorization: `Bearer ${idTokens.get(personId)}` },
				body: { role: "trainee", action: "check_in", token: await qrToken(sessionId) },
			},
		};
	});
	// No route does no work at all: /healthz (one D1 read of leave_types) is the barest one.
	const bare = await load("GET /healthz (1 D1 read)", TOTAL, async () => ({
		method: "GET",
		path: "/healthz",
	}));
	const ratio = round(punch.figures.rps / bare.figures.rps, 3);
	console.log(`ratio punch rps / bare rps: ${ratio}`);

	// What reached D1. Write-through finishes before a punch answers; a failed one retries by alarm
	// in 5 s, so wait until the counts stop moving (at most 20 s).
	const count = () => {
		const [a] = query(
			`SELECT COUNT(*) AS n FROM attendance WHERE session_id BETWEEN 1 AND ${SESSIONS} AND role = 'trainee' AND check_in_at IS NOT NULL`,
		);
		const [p] = query(
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
			`"repeated" answers ${punch.repeated}`,
	);
	console.log(`lost ${lost}, duplicated ${duplicated}`);
	console.log(
		JSON.stringify({
			punch: {
				rps: punch.figures.rps,
				p50: punch.figures.p50,
				p99: punch.figures.p99,
				errors: punch.figures.errors,
			},
			bare: {
				rps: bare.figures.rps,
				p50: bare.figures.p50,
				p99: bare.figures.p99,
				errors: bare.figures.errors,
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
	agent.destroy();
	stop();
}
