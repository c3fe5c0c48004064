// The bad-input corpus (test/fixtures/bad-input) against every public route that is not the
// dashboard's: the LINE webhook, the binding pages, the QR routes, the LIFF APIs and pages, sign-in
// and password links. And the guard that keeps the corpus whole: a route the app serves without a
// corpus entry fails here. The dashboard's entries run in bad-input-dashboard.test.ts.
import { exports } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { adminEntries } from "./bad-input-admin";
import { runCase } from "./bad-input-cases";
import { liffEntries } from "./bad-input-liff";
import { publicEntries } from "./bad-input-public";
import { setUpWorld, type World } from "./bad-input-world";
import { routeLineToEmulator } from "./dev-server";

/** The emulator's routes (LINE's own paths and /__dev): development only, 404 in production. */
const DEV_ONLY = /^\/(?:v2|dialog|oauth2|__dev)(?:\/|$)/;
const appRoutes = createApp().routes.filter((r) => r.method !== "ALL");
const served = [
	...new Set(appRoutes.filter((r) => !DEV_ONLY.test(r.path)).map((r) => `${r.method} ${r.path}`)),
];

let world: World;
beforeAll(async () => {
	world = await setUpWorld();
}, 120_000);
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

describe("the corpus covers every route", () => {
	const covered = [...publicEntries, ...liffEntries, ...adminEntries];
	it("has an entry, with cases, for every route the app serves", () => {
		const listed = new Set(covered.map((e) => e.route));
		expect(served.filter((r) => !listed.has(r))).toEqual([]);
		expect(covered.filter((e) => e.cases.length === 0).map((e) => e.route)).toEqual([]);
	});
	it("has no entry for a route the app does not serve", () => {
		expect(covered.map((e) => e.route).filter((r) => !served.includes(r))).toEqual([]);
	});
	it.each([...new Set(appRoutes.filter((r) => DEV_ONLY.test(r.path)).map((r) => `${r.method} ${r.path}`))])(
		"leaves out %s, which answers 404 outside development",
		async (route) => {
			const [method, path] = route.split(" ") as [string, string];
			const res = await exports.default.fetch(
				new Request(`https://training-line.test${path.replace(/:\w+(\{[^}]*\})?/g, "x")}`, {
					method,
					headers: { "content-type": "application/json" },
					body: method === "GET" ? undefined : "{}",
				}),
			);
			expect(res.status).toBe(404);
		},
	);
});

for (const entry of [...publicEntries, ...liffEntries]) {
	describe(entry.route, () => {
		it.each(entry.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
			await runCase(entry, c, world);
		});
	});
}
