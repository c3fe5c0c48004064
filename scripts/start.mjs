// npm start: migrate the local D1, add the demo data if missing, then run the Worker on :8787.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { quietWranglerEnv, run } from "./lib/run.mjs";

const PORT = process.env.PORT ?? "8787";
const envFiles = [".dev.vars.example", ...(existsSync(".dev.vars") ? [".dev.vars"] : [])];

run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npx", ["tsx", "scripts/seed.ts"], { env: { ...quietWranglerEnv, WRANGLER_LOG: "error" } });

const base = `http://localhost:${PORT}`;
console.log(`
Training LINE (development) is starting on ${base}
  ${base}/__dev       LINE emulator: chat as a demo LINE user (unbound, trainee, teacher, both)
  ${base}/healthz     health check (reads D1)
Stop with Ctrl+C. Demo data lives in .wrangler/state; rebuild it with: npm run db:reset
`);

const dev = spawn(
	"npx",
	["wrangler", "dev", "--port", PORT, "--ip", "127.0.0.1", ...envFiles.flatMap((f) => ["--env-file", f])],
	{ stdio: "inherit", env: quietWranglerEnv },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
