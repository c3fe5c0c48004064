// The log check of test/log-privacy-setup.ts sees what the app logs: a line written through
// src/log.ts, also from inside a request the Worker handles, is recorded and a fake ID in it is caught.
// The planted lines are dropped again, so this file passes the check it proves.
import { describe, expect, it } from "vitest";
import { log } from "../../src/log";
import { forgetLoggedLines, leakingLines, loggedLines } from "../log-privacy";
import { postWebhook } from "./webhook-helpers";

const FAKE_ID = "A123456789"; // valid checksum, the manual's own example

describe("the log privacy check", () => {
	it("records a line the app logs through src/log.ts and flags the national ID in it", () => {
		log.warn("log_privacy_self_test", { nationalId: FAKE_ID, masked: "A12****789" });
		const mine = loggedLines().filter((line) => line.includes("log_privacy_self_test"));
		expect(mine).toHaveLength(1);
		expect(leakingLines(mine).flatMap((l) => l.leaks)).toEqual([{ kind: "national ID", match: FAKE_ID }]);
		forgetLoggedLines((line) => line.includes("log_privacy_self_test"));
		expect(leakingLines()).toEqual([]);
	});

	it("records what the Worker logs while it handles a request", async () => {
		const before = loggedLines().length;
		// An unsigned webhook is refused and logged (webhook_bad_signature) by the route itself.
		const res = await postWebhook(JSON.stringify({ events: [] }), null);
		expect(res.status).toBe(401);
		expect(
			loggedLines()
				.slice(before)
				.some((line) => line.includes('"event":"webhook_bad_signature"')),
		).toBe(true);
	});
});
