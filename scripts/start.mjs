// npm start: migrate the local D1, add the demo data if missing, then run the Worker on :8787 ($PORT).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { quietWranglerEnv, run } from "./lib/run.mjs";

const PORT = process.env.PORT ?? "8787";
const envFiles = [".dev.vars.example", ...(existsSync(".dev.vars") ? [".dev.vars"] : [])];

run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npx", ["tsx", "scripts/seed.ts"], { env: { ...quietWranglerEnv, WRANGLER_LOG: "error" } });

const base = `http://localhost:${PORT}`;
console.log(`
Training LINE (development) is starting on ${base}
  ${base}/__dev       LINE emulator: chat as a demo LINE user (unbound, trainee, teacher, both)
  ${base}/admin       dashboard for training units and the agency (demo logins above)
  ${base}/healthz     health check (reads D1)
Stop with Ctrl+C. Demo data lives in .wrangler/state; rebuild it with: npm run db:reset
`);

// The env files point the product's own URLs and LINE's base URLs (the emulator) at the default
// dev server; on another PORT those must follow, or LINE calls would go to a server not running.
// Values set to anything else in .dev.vars are left alone. --var wins over --env-file.
const DEFAULT_ORIGIN = "http://localhost:8787";
const settings = Object.assign({}, ...envFiles.map((f) => readEnvFile(f)));
const portVars = ["PUBLIC_BASE_URL", "LINE_API_BASE", "LINE_API_DATA_BASE", "LINE_ACCESS_BASE"]
	.filter((key) => settings[key]?.startsWith(DEFAULT_ORIGIN))
	.flatMap((key) => ["--var", `${key}:${base}${settings[key].slice(DEFAULT_ORIGIN.length)}`]);

/** KEY=value lines of an env file (no quoting or expansion: ours use neither). */
function readEnvFile(file) {
	const lines = readFileSync(file, "utf8").split(/\r?\n/);
	return Object.fromEntries(
		lines.flatMap((line) => {
			const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
			return m ? [[m[1], m[2]]] : [];
		}),
	);
}

const dev = spawn(
	"npx",
	[
		"wrangler",
		"dev",
		"--port",
		PORT,
		"--ip",
		"127.0.0.1",
		...envFiles.flatMap((f) => ["--env-file", f]),
		...portVars,
	],
	{ stdio: "inherit", env: quietWranglerEnv },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
