// Runs a command with the terminal attached and stops the script when it fails.
import { spawnSync } from "node:child_process";

/** Environment for wrangler runs that must never prompt, log in or phone home. */
export const quietWranglerEnv = {
	...process.env,
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_LOG: process.env.WRANGLER_LOG ?? "warn",
	CI: process.env.CI ?? "true",
	// Miniflare would otherwise try to download a Request.cf sample at every start.
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

export function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: "inherit", env: quietWranglerEnv, ...options });
	if (result.status !== 0) {
		console.error(`\n✗ ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
		process.exit(result.status ?? 1);
	}
}
