// What the benchmarks share: a fresh local D1 in the bench's own state dir, `wrangler dev` on its own
// port with a teardown and one hard time limit for the whole process, keep-alive HTTP to 127.0.0.1
// only, load() which runs N requests at a fixed concurrency and prints req/s, p50, p99 and the
// failures by kind, and the Worker's memory (workerd's RSS, read from /proc) around each scenario.
import { spawnSync } from "node:child_process";
import {
	closeSync,
	cpSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import http from "node:http";
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { startDevServer } from "./dev-server.mjs";
import { quietWranglerEnv } from "./run.mjs";

export const MINUTE = 60_000;
export const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The development settings every bench signs with (channel secret, QR key, LINE Login channel). */
export const devVars = Object.fromEntries(
	readFileSync(".dev.vars.example", "utf8")
		.split("\n")
		.filter((line) => /^[A-Z_]+=/.test(line))
		.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
);

/** Deterministic shuffle (mulberry32), so every run sends the same interleaving. */
export function shuffled(items, seed0 = 20260420) {
	let seed = seed0;
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

// ── Process guards ───────────────────────────────────────────────────────────────────────────

const stops = new Set();
let guarded = false;

/**
 * One hard limit and one set of signal handlers for the whole process, however many servers it
 * starts one after another: whatever happens, every server started is stopped.
 */
export function guardProcess(hardLimitMs) {
	if (guarded) return;
	guarded = true;
	const stopAll = () => {
		for (const stop of stops) stop();
	};
	process.on("exit", stopAll);
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
		process.on(signal, () => {
			console.error(`\n${signal}: stopping the server`);
			stopAll();
			process.exit(130);
		});
	setTimeout(() => {
		console.error(`\n✗ stopped: the bench ran into its ${hardLimitMs / MINUTE}-minute limit`);
		stopAll();
		process.exit(2);
	}, hardLimitMs).unref();
}

// ── Worker memory ────────────────────────────────────────────────────────────────────────────

const MIB = 1024 * 1024;

/** pid → { ppid, comm } of every process, from /proc/<pid>/stat. */
function processTable() {
	const table = new Map();
	for (const name of readdirSync("/proc")) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, "utf8");
			// "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split at the last ")".
			const close = stat.lastIndexOf(")");
			const comm = stat.slice(stat.indexOf("(") + 1, close);
			const ppid = Number(stat.slice(close + 2).split(" ")[1]);
			table.set(Number(name), { ppid, comm });
		} catch {} // gone meanwhile
	}
	return table;
}

/**
 * The workerd processes under `rootPid`. wrangler dev runs two: its proxy, listening on the dev
 * server's own address (`proxyAddress`, "127.0.0.1:8795"), which forwards every request to the
 * other, the Worker itself (our code, D1, the Durable Objects, on a port of its own).
 */
export function workerdProcesses(rootPid, proxyAddress) {
	const table = processTable();
	const children = new Map();
	for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
	const out = [];
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		for (const child of children.get(pid) ?? []) {
			if (table.get(child)?.comm === "workerd") {
				let args = "";
				try {
					args = readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " ");
				} catch {}
				out.push({ pid: child, role: args.includes(`entry=${proxyAddress} `) ? "proxy" : "worker" });
			}
			queue.push(child);
		}
	}
	return out;
}

/** VmRSS and VmHWM of a process in bytes (null when it is gone). */
function memoryOf(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, "utf8");
		const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
		return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
	} catch {
		return null;
	}
}

/**
 * Samples the RSS of the Worker's workerd process(es) (and separately of wrangler's proxy) under
 * `rootPid` every `everyMs` from start() to stop(). The peak is VmHWM when the kernel let us reset
 * it at start() (writing 5 to /proc/<pid>/clear_refs), so it is exact; otherwise the highest sample.
 */
export function memorySampler(rootPid, proxyAddress, everyMs = 100) {
	let processes = [];
	let timer = null;
	const peakSample = { worker: 0, proxy: 0 };
	let hwmReset = false;
	const sample = () => {
		const sum = { worker: 0, proxy: 0 };
		for (const p of processes) sum[p.role] += memoryOf(p.pid)?.rss ?? 0;
		for (const role of ["worker", "proxy"]) peakSample[role] = Math.max(peakSample[role], sum[role]);
	};
	return {
		start() {
			processes = workerdProcesses(rootPid, proxyAddress);
			hwmReset = processes.length > 0;
			for (const p of processes) {
				try {
					writeFileSync(`/proc/${p.pid}/clear_refs`, "5");
				} catch {
					hwmReset = false;
				}
			}
			sample();
			timer = setInterval(sample, everyMs);
		},
		stop() {
			clearInterval(timer);
			sample();
			const peak = (role) => {
				const now = processes.filter((p) => p.role === role).map((p) => memoryOf(p.pid));
				const hwm = now.reduce((n, m) => n + (m?.hwm ?? 0), 0);
				return {
					peak: round((hwmReset ? Math.max(hwm, peakSample[role]) : peakSample[role]) / MIB, 1),
					end: round(now.reduce((n, m) => n + (m?.rss ?? 0), 0) / MIB, 1),
				};
			};
			const worker = peak("worker");
			return {
				peakMiB: worker.peak,
				endMiB: worker.end,
				proxyPeakMiB: peak("proxy").peak,
				how: hwmReset ? "VmHWM" : `RSS every ${everyMs} ms`,
				processes: processes.filter((p) => p.role === "worker").length,
			};
		},
	};
}

/**
 * The Worker as it is now, frozen: the deploy bundle (wrangler deploy --dry-run), a copy of the
 * static assets and a config that serves them unbundled. `wrangler dev` on the frozen copy does not
 * reload when someone edits src/ or static/ during the bench (a reload restarts requests in flight).
 * Built once per process (every run of a bench measures the same code); returns the config's path.
 */
let frozenConfig = null;
function freezeWorker(dir, env) {
	if (frozenConfig) return frozenConfig;
	rmSync(dir, { recursive: true, force: true });
	const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", `${dir}/dist`], {
		env,
		encoding: "utf8",
		stdio: ["ignore", "pipe", "pipe"],
	});
	if (result.status !== 0) {
		process.stderr.write(result.stdout + result.stderr);
		throw new Error(`wrangler deploy --dry-run failed (exit ${result.status ?? result.signal})`);
	}
	const { rawConfig } = experimental_readRawConfig({ config: "wrangler.toml" });
	cpSync(rawConfig.assets.directory, `${dir}/static`, { recursive: true });
	// wrangler reads --env-file next to the config it is given.
	cpSync(".dev.vars.example", `${dir}/.dev.vars.example`);
	const { build: _, ...config } = rawConfig;
	const frozen = {
		...config,
		main: "dist/index.js",
		no_bundle: true,
		assets: { ...rawConfig.assets, directory: "static" },
		d1_databases: rawConfig.d1_databases.map((d) => ({
			...d,
			migrations_dir: path.resolve(d.migrations_dir),
		})),
	};
	const file = `${dir}/wrangler.json`;
	writeFileSync(file, JSON.stringify(frozen, null, "\t"));
	frozenConfig = file;
	return file;
}

// ── Seed SQL ─────────────────────────────────────────────────────────────────────────────────

export const lineUserId = (personId) => `U${personId.toString(16).padStart(32, "0")}`;
const sqlText = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * Trainees as every scenario needs them: the people rows (fake hash, masked ID), their enrollment
 * and a LINE user bound to each. `trainees` are { id, name, hmac, classId, seat }.
 */
export function boundTraineeInserts(trainees, now) {
	return [
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
			trainees.map((p) => [p.id, p.name, p.hmac, "B12****789", "national", "1990-01-01", now, now]),
		),
		...inserts(
			"enrollments",
			["class_id", "person_id", "seat_no", "status", "enrolled_at"],
			trainees.map((p) => [p.classId, p.id, p.seat, "active", now]),
		),
		...inserts(
			"line_users",
			["user_id", "followed_at", "active_role", "rich_menu", "created_at", "updated_at"],
			trainees.map((p) => [lineUserId(p.id), now, "trainee", "trainee", now, now]),
		),
		...inserts(
			"line_bindings",
			["line_user_id", "role", "person_id", "bound_at"],
			trainees.map((p) => [lineUserId(p.id), "trainee", p.id, now]),
		),
	];
}

/** The columns of the tables several data sets fill alike (rows list their values in this order). */
export const COLUMNS = {
	classes: [
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
	attendance: [
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
};

/** Multi-row INSERTs of at most 500 rows each. */
export function inserts(table, columns, rows) {
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

/** Unit 1 and plan 1 (with every leave type enabled), which the data sets hang their classes on. */
export function unitAndPlan(now, leaveTypeCodes) {
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
			"plan_leave_types",
			["plan_id", "leave_type_code"],
			leaveTypeCodes.map((code) => [1, code]),
		),
	];
}

// ── The bench ────────────────────────────────────────────────────────────────────────────────

/**
 * One server run. `name` names its files under .wrangler/: `<name>-state` (the D1), `<name>-seed.sql`
 * and `<name>-server.log`. No request is sent after `sendUntil` (epoch ms), so the figures and the
 * D1 checks still fit in the hard limit of guardProcess() (called here if the caller did not).
 */
export function createBench({
	name,
	port,
	host = "127.0.0.1",
	concurrency = 20,
	sendUntil = Date.now() + 8 * MINUTE,
	requestTimeoutMs = 30_000,
	labelWidth = 22,
}) {
	guardProcess(10 * MINUTE);
	const baseUrl = `http://${host}:${port}`;
	const state = `.wrangler/${name}-state`;
	const seedFile = `.wrangler/${name}-seed.sql`;
	const serverLog = `.wrangler/${name}-server.log`;
	// BENCH_WRANGLER_LOG=info puts every request and reload in the server log (to look into a run).
	const env = { ...quietWranglerEnv, WRANGLER_LOG: "error" };
	const serverEnv = { ...env, WRANGLER_LOG: process.env.BENCH_WRANGLER_LOG ?? "error" };

	let devServer = null;
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
	const stop = () => devServer?.stop();
	stops.add(stop);

	function wrangler(args, { capture = false } = {}) {
		const result = spawnSync("npx", ["wrangler", ...args], {
			// At WRANGLER_LOG=error wrangler prints nothing, not even the --json results.
			env: capture ? { ...env, WRANGLER_LOG: "log" } : env,
			encoding: "utf8",
			stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
			maxBuffer: 64 * 1024 * 1024,
		});
		if (result.status !== 0) {
			const error = new Error(
				`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${result.status ?? result.signal})`,
			);
			error.output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
			// A locked database is for query() to retry; anything else is printed for whoever looks.
			if (capture && !/SQLITE_BUSY/.test(error.output)) process.stderr.write(result.stderr ?? "");
			throw error;
		}
		return result.stdout;
	}

	/**
	 * Rows of one SELECT against the bench's local D1. The running Worker writes the same SQLite
	 * file (e.g. notices still going out), so a read that finds it locked waits and tries again.
	 */
	function query(sql) {
		for (let attempt = 1; ; attempt++) {
			try {
				const out = wrangler(
					["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
					{ capture: true },
				);
				return JSON.parse(out.slice(out.indexOf("["))).at(0).results;
			} catch (err) {
				if (!/SQLITE_BUSY/.test(err.output ?? "")) throw err;
				if (attempt === 10) {
					process.stderr.write(err.output);
					throw err;
				}
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
			}
		}
	}

	/** Drops the bench's D1, applies the migrations and runs the seed SQL. */
	function freshDatabase(seedSql) {
		rmSync(state, { recursive: true, force: true });
		mkdirSync(state, { recursive: true });
		wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { capture: true });
		writeFileSync(seedFile, seedSql);
		wrangler(["d1", "execute", "DB", "--local", "--persist-to", state, "--file", seedFile], {
			capture: true,
		});
	}

	/**
	 * One request on the keep-alive agent. `body` is sent as JSON, `form` (an object or
	 * URLSearchParams) as application/x-www-form-urlencoded, `rawBody` (a string) as it is, with the
	 * content-type of `headers` (a signature covers its exact bytes).
	 */
	function send(method, path, { headers = {}, body, form, rawBody } = {}) {
		return new Promise((resolve) => {
			let payload;
			let type;
			if (body !== undefined) [payload, type] = [Buffer.from(JSON.stringify(body)), "application/json"];
			else if (rawBody !== undefined)
				[payload, type] = [Buffer.from(rawBody), headers["content-type"] ?? "application/octet-stream"];
			else if (form !== undefined)
				[payload, type] = [
					Buffer.from(new URLSearchParams(form).toString()),
					"application/x-www-form-urlencoded",
				];
			const req = http.request(
				{
					host,
					port,
					method,
					path,
					agent,
					timeout: requestTimeoutMs,
					headers: payload ? { ...headers, "content-type": type, "content-length": payload.length } : headers,
				},
				(res) => {
					const chunks = [];
					res.on("data", (c) => chunks.push(c));
					res.on("end", () =>
						resolve({
							status: res.statusCode ?? 0,
							headers: res.headers,
							text: Buffer.concat(chunks).toString(),
						}),
					);
					res.on("error", (err) => resolve({ status: 0, headers: {}, text: String(err) }));
				},
			);
			req.on("timeout", () => req.destroy(new Error("timeout")));
			req.on("error", (err) => resolve({ status: 0, headers: {}, text: String(err) }));
			req.end(payload);
		});
	}

	const failureKey = (res) => {
		let code = "";
		try {
			code = JSON.parse(res.text).error?.code ?? "";
		} catch {}
		return `${res.status || "network"}${code ? ` ${code}` : ""}`;
	};

	/**
	 * workerd closes a keep-alive connection idle for 5 s. While this process was busy (signing
	 * tokens, or in a synchronous `wrangler d1 execute`) it may not have seen that close yet, and
	 * would send the next request on a dead socket ("socket hang up"): each load starts on new ones.
	 */
	function dropIdleSockets() {
		for (const sockets of Object.values(agent.freeSockets))
			for (const socket of sockets ?? []) socket.destroy();
	}

	/**
	 * Runs `count` requests from `concurrency` loops as fast as they go; latencies in ms. A response
	 * fails when it is not 2xx, or when `check(res, i)` returns a reason (a short, stable text);
	 * `onFailure(i, res)` hears of each failure.
	 */
	async function load(label, count, makeRequest, { check, onFailure } = {}) {
		dropIdleSockets();
		const latencies = [];
		const failures = new Map();
		let firstFailure = null;
		let next = 0;
		const t0 = performance.now();
		const loop = async () => {
			while (next < count && Date.now() < sendUntil) {
				const i = next++;
				const { method, path, options } = await makeRequest(i);
				const s = performance.now();
				const res = await send(method, path, options);
				latencies.push(performance.now() - s);
				const ok = res.status >= 200 && res.status < 300;
				const reason = ok ? check?.(res, i) : undefined;
				if (ok && !reason) continue;
				onFailure?.(i, res);
				const key = ok ? `${res.status} ${reason}` : failureKey(res);
				failures.set(key, (failures.get(key) ?? 0) + 1);
				firstFailure ??= `${key}: ${res.text.slice(0, 300)}`;
			}
		};
		await Promise.all(Array.from({ length: concurrency }, loop));
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
			`${label.padEnd(labelWidth)} ${figures.requests} requests in ${figures.seconds} s: ${figures.rps} req/s, ` +
				`p50 ${figures.p50} ms, p99 ${figures.p99} ms, errors ${errors}` +
				(figures.notSent ? `, not sent (time limit) ${figures.notSent}` : ""),
		);
		for (const [key, n] of failures) console.log(`  ${String(n).padStart(6)} × ${key}`);
		if (firstFailure) console.log(`  first failure: ${firstFailure}`);
		return figures;
	}

	async function waitForServer() {
		for (let i = 0; i < 240; i++) {
			const res = await send("GET", "/healthz");
			if (res.status === 200) return;
			if (devServer?.server.exitCode != null) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`the Worker did not answer on ${baseUrl} within 120 s (log: ${serverLog})`);
	}

	/** Starts `wrangler dev` on a frozen copy of the Worker and the bench's D1; waits until it answers. */
	async function startServer() {
		const config = freezeWorker(".wrangler/bench-build", env);
		const logFd = openSync(serverLog, "w");
		devServer = startDevServer({
			port,
			host,
			state,
			env: serverEnv,
			stdio: ["ignore", logFd, logFd],
			args: ["--config", config],
		});
		closeSync(logFd);
		await waitForServer();
		console.log(`bench: wrangler dev on ${baseUrl} (log: ${serverLog})`);
	}

	/** A bench never runs against a server it did not start. */
	async function ensurePortFree() {
		if ((await send("GET", "/healthz")).status !== 0)
			throw new Error(`something already answers on ${baseUrl}; stop it or set BENCH_PORT`);
	}

	/**
	 * Runs `fn` while sampling the Worker's memory; prints and returns its peak beside fn's result.
	 * The sampler reads /proc in this process, a few microseconds every 100 ms.
	 */
	async function withMemory(label, fn) {
		const sampler = memorySampler(devServer.server.pid, `${host}:${port}`);
		sampler.start();
		let memory = null;
		try {
			const result = await fn();
			memory = sampler.stop();
			return { result, memory };
		} finally {
			memory ??= sampler.stop();
			console.log(
				`${label}: Worker peak memory ${memory.peakMiB} MiB (${memory.how}; ${memory.endMiB} MiB at the end; ` +
					`wrangler's proxy ${memory.proxyPeakMiB} MiB)`,
			);
		}
	}

	/** The Worker's resident memory now, in MiB (its workerd process, not wrangler's proxy). */
	function memoryNow() {
		const workers = workerdProcesses(devServer.server.pid, `${host}:${port}`).filter(
			(p) => p.role === "worker",
		);
		return round(workers.reduce((n, p) => n + (memoryOf(p.pid)?.rss ?? 0), 0) / MIB, 1);
	}

	/** Ends the keep-alive sockets and the server, and waits until it has exited (call in `finally`). */
	async function close() {
		agent.destroy();
		const server = devServer?.server;
		stop();
		stops.delete(stop);
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		const exited = new Promise((r) => server.once("exit", r));
		if ((await Promise.race([exited, sleep(10_000).then(() => "late")])) === "late") {
			try {
				process.kill(-server.pid, "SIGKILL");
			} catch {}
			await exited;
		}
	}

	return {
		baseUrl,
		state,
		concurrency,
		wrangler,
		query,
		freshDatabase,
		send,
		load,
		withMemory,
		memoryNow,
		ensurePortFree,
		startServer,
		close,
	};
}
