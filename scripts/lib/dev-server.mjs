// Starts `wrangler dev` on its own port and state dir, with the product's own URL and LINE's base
// URLs pointing at itself (the emulator), as the e2e tests and the benchmarks need it.
import { spawn } from "node:child_process";

export function startDevServer({
	port,
	host = "127.0.0.1",
	state,
	env,
	stdio = ["ignore", "inherit", "inherit"],
	/** More `wrangler dev` arguments (the benchmarks pass a frozen build's --config). */
	args = [],
}) {
	const baseUrl = `http://${host}:${port}`;
	const vars = ["PUBLIC_BASE_URL", "LINE_API_BASE", "LINE_API_DATA_BASE", "LINE_ACCESS_BASE"].flatMap(
		(name) => ["--var", `${name}:${baseUrl}`],
	);
	const server = spawn(
		"npx",
		[
			"wrangler",
			"dev",
			"--port",
			String(port),
			"--ip",
			host,
			"--persist-to",
			state,
			"--env-file",
			".dev.vars.example",
			...vars,
			...args,
		],
		{ stdio, env, detached: true },
	);
	let stopped = false;
	return {
		server,
		baseUrl,
		/** Stops wrangler and everything it started (its process group). */
		stop() {
			if (stopped) return;
			stopped = true;
			try {
				process.kill(-server.pid, "SIGTERM");
			} catch {}
		},
	};
}
