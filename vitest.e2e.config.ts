// Browser tests: Node runs them, driving Debian's Chromium against the Worker started by scripts/e2e.mjs.
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/e2e/**/*.test.ts"],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		fileParallelism: false,
	},
});
