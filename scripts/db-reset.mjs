// npm run db:reset: drop the local D1 (only the local one), migrate it again and reseed for today.
import { rmSync } from "node:fs";
import { run } from "./lib/run.mjs";

rmSync(".wrangler/state/v3/d1", { recursive: true, force: true });
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npx", ["tsx", "scripts/seed.ts"]);
