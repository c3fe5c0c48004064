import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterOf } from "../../src/line/retry-after";
import { retryDelay } from "../../src/services/outbox";

const NOW = Date.parse("2026-12-04T00:30:00Z");

describe("LINE's Retry-After", () => {
	it("reads delay-seconds", () => {
		expect(parseRetryAfter("120", NOW)).toBe(120_000);
		expect(parseRetryAfter(" 5 ", NOW)).toBe(5_000);
		expect(parseRetryAfter("0", NOW)).toBe(0);
	});

	it("reads an HTTP date against the server's now; a past date means now", () => {
		expect(parseRetryAfter("Fri, 04 Dec 2026 00:35:00 GMT", NOW)).toBe(300_000);
		expect(parseRetryAfter("Fri, 04 Dec 2026 00:29:00 GMT", NOW)).toBe(0);
	});

	it("caps a huge wait at an hour", () => {
		expect(parseRetryAfter("3601", NOW)).toBe(MAX_RETRY_AFTER_MS);
		expect(parseRetryAfter("999999999999", NOW)).toBe(MAX_RETRY_AFTER_MS);
		expect(parseRetryAfter("9".repeat(400), NOW)).toBe(MAX_RETRY_AFTER_MS);
		expect(parseRetryAfter("Sat, 04 Dec 2027 00:30:00 GMT", NOW)).toBe(MAX_RETRY_AFTER_MS);
		expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
	});

	it("ignores negative, fractional, garbage and absent values", () => {
		for (const v of ["-5", "-0", "1.5", "1e3", "0x10", "120s", "soon", "2026-12-04T00:35:00Z", "", "  "])
			expect(parseRetryAfter(v, NOW), v).toBeNull();
		expect(parseRetryAfter(null, NOW)).toBeNull();
		expect(parseRetryAfter(undefined, NOW)).toBeNull();
	});

	it("reads a response's date against its own Date header, else against our clock", () => {
		const at = "Fri, 04 Dec 2026 00:35:00 GMT";
		// LINE's clock says 00:34: one minute left, whatever our clock says.
		const skewed = new Headers({ "retry-after": at, date: "Fri, 04 Dec 2026 00:34:00 GMT" });
		expect(retryAfterOf(skewed, NOW)).toBe(60_000);
		expect(retryAfterOf(new Headers({ "retry-after": at }), NOW)).toBe(300_000);
		expect(retryAfterOf(new Headers({ "retry-after": "30", date: "garbage" }), NOW)).toBe(30_000);
		expect(retryAfterOf(new Headers(), NOW)).toBeNull();
	});
});

describe("the outbox's wait before the next try", () => {
	it("is the longer of its backoff and the provider's Retry-After", () => {
		expect(retryDelay(1, undefined, () => 0.5)).toBe(60_000);
		expect(retryDelay(1, 120_000, () => 0.5)).toBe(120_000);
		// Backoff already longer (attempt 4: 8 minutes) than LINE asked for.
		expect(retryDelay(4, 120_000, () => 0.5)).toBe(480_000);
	});
});
