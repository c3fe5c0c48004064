// The local Worker environment for Node scripts: wrangler's platform proxy over the same persisted
// state as `wrangler dev` (.wrangler/state), with the development settings of .dev.vars.example.
import { existsSync } from "node:fs";
import { getPlatformProxy } from "wrangler";

export const DEV_ENV_FILES = [".dev.vars.example", ...(existsSync(".dev.vars") ? [".dev.vars"] : [])];

// The proxy serves bindings without running src/index.ts, so workerd warns that the SessionRoom
// class is not exported. Scripts only use D1; the warning would only confuse a newcomer.
const IRRELEVANT_WARNING = /DurableObjectNamespace in the config referenced the class "SessionRoom"/;

export async function openLocalEnv() {
	process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
	const write = process.stderr.write.bind(process.stderr);
	process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
		IRRELEVANT_WARNING.test(String(chunk)) ? true : write(chunk, ...rest)) as typeof process.stderr.write;
	// TRAINING_LINE_STATE points a run at another state folder (the e2e suite uses a fresh one).
	const stateDir = process.env.TRAINING_LINE_STATE;
	return getPlatformProxy<Env>({
		configPath: "wrangler.toml",
		envFiles: DEV_ENV_FILES,
		persist: stateDir ? { path: `${stateDir}/v3` } : true,
	});
}
