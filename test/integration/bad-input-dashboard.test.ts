// The bad-input corpus (test/fixtures/bad-input) against every dashboard route, signed in as the
// north unit's admin (the agency admin for 設定): forms, CSV imports, ids of other units. Route
// coverage is checked in bad-input-corpus.test.ts.
import { afterEach, beforeAll, beforeEach, describe, it, vi } from "vitest";
import { adminEntries } from "./bad-input-admin";
import { runCase } from "./bad-input-cases";
import { setUpWorld, type World } from "./bad-input-world";
import { routeLineToEmulator } from "./dev-server";

let world: World;
beforeAll(async () => {
	world = await setUpWorld();
}, 120_000);
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

for (const entry of adminEntries) {
	describe(entry.route, () => {
		it.each(entry.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
			await runCase(entry, c, world);
		});
	});
}
