// The pure rules of the 簽到/簽退 pages (src/client/liff/punch-logic.ts).
import { describe, expect, it } from "vitest";
import {
	backoffMs,
	clockOffset,
	recentFilter,
	renewDelay,
	resultText,
	scannerText,
	secondsLeft,
	shortCodeOf,
	spacedCode,
	tokenFromScan,
} from "../../src/client/liff/punch-logic";

// 2026-03-02 09:02 Taipei (01:02 UTC).
const at = Date.UTC(2026, 2, 2, 1, 2);

describe("tokenFromScan", () => {
	it("takes t from a session QR's URL", () => {
		expect(tokenFromScan("https://liff.line.me/123-abc/scan?t=v1.ab.c-d_e")).toBe("v1.ab.c-d_e");
		expect(tokenFromScan(" http://127.0.0.1:8790/liff/trainee/scan?x=1&t=a%2Eb \n")).toBe("a.b");
	});
	it("refuses a URL without t, and other text", () => {
		expect(tokenFromScan("https://example.com/?q=1")).toBeNull();
		expect(tokenFromScan("https://example.com/?t=")).toBeNull();
		expect(tokenFromScan("")).toBeNull();
		expect(tokenFromScan(null)).toBeNull();
		expect(tokenFromScan("hello world")).toBeNull();
	});
	it("keeps a bare token (a personal QR)", () => {
		expect(tokenFromScan("p1.AbC.123")).toBe("p1.AbC.123");
	});
});

describe("countdowns on the server's clock", () => {
	it("uses the offset, not the phone's clock", () => {
		// The phone is 30 s behind the server.
		const offset = clockOffset(100_000, 70_000);
		expect(offset).toBe(30_000);
		expect(secondsLeft(115_000, offset, 70_000)).toBe(15);
		expect(secondsLeft(115_000, offset, 70_001)).toBe(15);
		expect(secondsLeft(115_000, offset, 84_500)).toBe(1);
		expect(secondsLeft(115_000, offset, 90_000)).toBe(0);
	});
	it("renews ahead of expiry, never with a negative delay", () => {
		expect(renewDelay(160_000, 0, 100_000, 10_000)).toBe(50_000);
		expect(renewDelay(160_000, 5_000, 100_000, 10_000)).toBe(45_000);
		expect(renewDelay(160_000, 0, 155_000, 10_000)).toBe(0);
	});
	it("backs off 1, 2, 4 … 30 s", () => {
		expect([0, 1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
	});
});

describe("scanning many frames", () => {
	it("ignores the same code within 3 s", () => {
		const seen = recentFilter(3000);
		expect(seen("a", 0)).toBe(false);
		expect(seen("a", 1000)).toBe(true);
		expect(seen("b", 1500)).toBe(false);
		expect(seen("a", 3001)).toBe(false);
	});
	it("reads a typed short code", () => {
		expect(shortCodeOf(" 123 456 ")).toBe("123456");
		expect(shortCodeOf("123-456")).toBe("123456");
		expect(shortCodeOf("12345")).toBeNull();
		expect(spacedCode("057682")).toBe("057 682");
	});
});

describe("result wording", () => {
	const result = {
		action: "check_in" as const,
		at,
		timing: "on_time" as const,
		timingLabel: "準時",
		name: "王小明",
		subject: "工業安全衛生",
	};
	it("says 簽到成功 with the time, timing and session, or 已簽到過 with the first time's timing", () => {
		expect(resultText({ ...result, repeated: false })).toBe("簽到成功 09:02（準時）・工業安全衛生");
		expect(resultText({ ...result, repeated: true, timingLabel: "遲到" })).toBe(
			"已簽到過（09:02，遲到）・工業安全衛生",
		);
		expect(resultText({ ...result, action: "check_out", timingLabel: "早退", repeated: false })).toBe(
			"簽退成功 09:02（早退）・工業安全衛生",
		);
	});
	it("names the trainee on the staff scanner", () => {
		expect(scannerText({ ...result, repeated: false })).toBe("王小明 簽到 09:02");
		expect(scannerText({ ...result, repeated: true })).toBe("王小明 已簽到過（09:02）");
	});
});
