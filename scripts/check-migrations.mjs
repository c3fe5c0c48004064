// Fails when src/db/schema.ts and migrations/ disagree: drizzle-kit must find nothing to generate.
// drizzle-kit reads only its snapshots (migrations/meta), not the SQL: a hand edit of a migration's SQL
// is caught by test/integration/schema.test.ts, which compares the D1 the migrations build with the schema.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";

// drizzle-kit only takes a path relative to the project, so the scratch copy lives under .wrangler/.
mkdirSync(".wrangler", { recursive: true });
const work = mkdtempSync(".wrangler/migrations-check-");
try {
	cpSync("migrations", work, { recursive: true });
	const before = new Set(readdirSync(work));
	execFileSync(
		"npx",
		[
			"drizzle-kit",
			"generate",
			"--dialect",
			"sqlite",
			"--schema",
			"src/db/schema.ts",
			"--out",
			work,
			"--name",
			"drift",
		],
		{ stdio: ["ignore", "pipe", "inherit"] },
	);
	if (!existsSync(`${work}/meta/_journal.json`)) throw new Error("drizzle-kit did not read the migrations");
	const added = readdirSync(work).filter((f) => !before.has(f));
	if (added.length > 0) {
		console.error(
			"src/db/schema.ts and migrations/ disagree: drizzle-kit would generate a new migration.\n" +
				"Run `npm run db:generate -- --name <what-changed>` and commit the result.",
		);
		process.exitCode = 1;
	} else {
		console.log("migrations match src/db/schema.ts");
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
