// npm run test:e2e: a fresh local D1 with demo data, the Worker under `wrangler dev`, then the
// browser tests (test/e2e, headless Debian Chromium via playwright-core) against it.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { startDevServer } from "./lib/dev-server.mjs";
import { quietWranglerEnv, run } from "./lib/run.mjs";

const PORT = process.env.E2E_PORT ?? "8790";
const STATE = ".wrangler/e2e-state";
const BASE_URL = `http://127.0.0.1:${PORT}`;
const env = { ...quietWranglerEnv, TRAINING_LINE_STATE: STATE, WRANGLER_LOG: "error" };

rmSync(STATE, { recursive: true, force: true });
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { env });
// E2E=1 also writes a session open now (scripts/seed.ts), so check-in can be tested at any hour.
run("npx", ["tsx", "scripts/seed.ts"], { env: { ...env, E2E: "1" } });

const { stop } = startDevServer({ port: PORT, state: STATE, env });
process.on("exit", stop);

async function waitForServer() {
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(`${BASE_URL}/healthz`)).ok) return;
		} catch {}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`the Worker did not answer on ${BASE_URL} within 60 s`);
}

try {
	await waitForServer();
	// Extra arguments pick test files: npm run test:e2e -- admin-classes
	const tests = spawnSync(
		"npx",
		["vitest", "run", "--config", "vitest.e2e.config.ts", ...process.argv.slice(2)],
		{
			stdio: "inherit",
			env: { ...process.env, E2E_BASE_URL: BASE_URL },
		},
	);
	process.exitCode = tests.status ?? 1;
} catch (err) {
	console.error(String(err));
	process.exitCode = 1;
} finally {
	stop();
}
