// Bundles the browser code (src/client/*.ts) into static/app/ for the asset server. Run by wrangler
// before `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml).
import { readdirSync } from "node:fs";
import { build } from "esbuild";

const entryPoints = readdirSync("src/client")
	.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
	.map((f) => `src/client/${f}`);

await build({
	entryPoints,
	outdir: "static/app",
	bundle: true,
	minify: true,
	sourcemap: true,
	format: "iife",
	// Cheap phones keep old WebViews: stay with syntax every LINE in-app browser of recent years runs.
	target: ["es2019", "chrome70", "safari12"],
	logLevel: "warning",
});
console.log(`built ${entryPoints.length} browser bundle(s) into static/app/`);
