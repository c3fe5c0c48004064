// What the benchmarks share: a fresh local D1 in the bench's own state dir, `wrangler dev` on its own
// port with a teardown and a hard time limit, keep-alive HTTP to 127.0.0.1 only, and load() which runs
// N requests at a fixed concurrency and prints req/s, p50, p99 and the failures by kind.
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { startDevServer } from "./dev-server.mjs";
import { quietWranglerEnv } from "./run.mjs";

export const MINUTE = 60_000;
export const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

// ── Seed SQL ─────────────────────────────────────────────────────────────────────────────────

export const lineUserId = (personId) => `U${personId.toString(16).padStart(32, "0")}`;
const sqlText = (s) => `'${String(s).replaceAll("'", "''")}'`;

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

// ── The bench ────────────────────────────────────────────────────────────────────────────────

/**
 * One bench run. `name` names its files under .wrangler/: `<name>-state` (the D1), `<name>-seed.sql`
 * and `<name>-server.log`. Sets
 * the hard limit and the signal handlers at once; no request is sent after `sendLimitMs`, so the
 * figures and the D1 checks still fit in the hard limit.
 */
export function createBench({
	name,
	port,
	host = "127.0.0.1",
	concurrency = 20,
	hardLimitMs = 10 * MINUTE,
	sendLimitMs = 8 * MINUTE,
	requestTimeoutMs = 30_000,
	labelWidth = 22,
}) {
	const started = Date.now();
	const baseUrl = `http://${host}:${port}`;
	const state = `.wrangler/${name}-state`;
	const seedFile = `.wrangler/${name}-seed.sql`;
	const serverLog = `.wrangler/${name}-server.log`;
	const env = { ...quietWranglerEnv, WRANGLER_LOG: "error" };

	let devServer = null;
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
	const stop = () => devServer?.stop();
	process.on("exit", stop);
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
		process.on(signal, () => {
			console.error(`\n${signal}: stopping the server`);
			stop();
			process.exit(130);
		});
	setTimeout(() => {
		console.error(`\n✗ stopped: the bench ran into its ${hardLimitMs / MINUTE}-minute limit`);
		stop();
		process.exit(2);
	}, hardLimitMs).unref();

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
			throw new Error(
				`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${result.status ?? result.signal})`,
			);
		}
		return result.stdout;
	}

	/** Rows of one SELECT against the bench's local D1. */
	function query(sql) {
		const out = wrangler(
			["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
			{
				capture: true,
			},
		);
		return JSON.parse(out.slice(out.indexOf("["))).at(0).results;
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
	 * URLSearchParams) as application/x-www-form-urlencoded.
	 */
	function send(method, path, { headers = {}, body, form } = {}) {
		return new Promise((resolve) => {
			let payload;
			let type;
			if (body !== undefined) [payload, type] = [Buffer.from(JSON.stringify(body)), "application/json"];
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
	 * Runs `count` requests from `concurrency` loops as fast as they go; latencies in ms. A response
	 * fails when it is not 2xx, or when `check(res, i)` returns a reason (a short, stable text).
	 */
	async function load(label, count, makeRequest, { check } = {}) {
		const latencies = [];
		const failures = new Map();
		let firstFailure = null;
		let next = 0;
		const t0 = performance.now();
		const loop = async () => {
			while (next < count && Date.now() - started < sendLimitMs) {
				const i = next++;
				const { method, path, options } = await makeRequest(i);
				const s = performance.now();
				const res = await send(method, path, options);
				latencies.push(performance.now() - s);
				const ok = res.status >= 200 && res.status < 300;
				const reason = ok ? check?.(res, i) : undefined;
				if (ok && !reason) continue;
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

	/** Starts `wrangler dev` on the bench's D1 and waits until it answers. */
	async function startServer() {
		const logFd = openSync(serverLog, "w");
		devServer = startDevServer({ port, host, state, env, stdio: ["ignore", logFd, logFd] });
		closeSync(logFd);
		await waitForServer();
		console.log(`bench: wrangler dev on ${baseUrl} (log: ${serverLog})`);
	}

	/** A bench never runs against a server it did not start. */
	async function ensurePortFree() {
		if ((await send("GET", "/healthz")).status !== 0)
			throw new Error(`something already answers on ${baseUrl}; stop it or set BENCH_PORT`);
	}

	/** Ends the keep-alive sockets and the server (call in `finally`). */
	function close() {
		agent.destroy();
		stop();
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
		ensurePortFree,
		startServer,
		close,
	};
}
