// Browser tests: Node runs them, driving Debian's Chromium against the Worker started by scripts/e2e.mjs.

import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files run one after another in name order, with the check-in test last: it punches the demo
 * trainee into today's E2E session, after which that session can no longer take a 病假 (leave test).
 */
class NameOrder extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const last = (f: TestSpecification) => (f.moduleId.endsWith("qr-checkin.test.ts") ? 1 : 0);
		return [...files].sort((a, b) => last(a) - last(b) || a.moduleId.localeCompare(b.moduleId));
	}
}

export default defineConfig({
	test: {
		include: ["test/e2e/**/*.test.ts"],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		fileParallelism: false,
		sequence: { sequencer: NameOrder },
	},
});
