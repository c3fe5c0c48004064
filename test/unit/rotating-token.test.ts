// The rotating session QR: same code on every display at the same moment, current and previous
// window accepted, future and older refused, forgeries caught.
import { describe, expect, it } from "vitest";
import {
	matchesShortCode,
	mintSessionQrToken,
	qrWindow,
	sessionShortCode,
	verifySessionQrToken,
} from "../../src/qr/rotating-token";

const KEY = "test-qr-signing-key";
// 09:00:00 Taipei on 2026-12-03, the start of a 15 s window.
const T = Date.UTC(2026, 11, 3, 1, 0, 0);

describe("qrWindow", () => {
	it("is a pure function of time: two displays a moment apart in one window agree", () => {
		expect(qrWindow(T)).toEqual(qrWindow(T + 14_999));
		expect(qrWindow(T + 15_000).index).toBe(qrWindow(T).index + 1);
		expect(qrWindow(T).startsAt).toBe(T);
	});
});

describe("session QR token", () => {
	it("is the same for the same session and window, and differs between sessions and windows", async () => {
		const a = await mintSessionQrToken(KEY, 42, T);
		expect((await mintSessionQrToken(KEY, 42, T + 10_000)).token).toBe(a.token);
		expect((await mintSessionQrToken(KEY, 43, T)).token).not.toBe(a.token);
		expect((await mintSessionQrToken(KEY, 42, T + 15_000)).token).not.toBe(a.token);
		expect(a.token.length).toBeLessThan(40);
	});

	it("is accepted in its window and the next one, not a millisecond later", async () => {
		const { token } = await mintSessionQrToken(KEY, 42, T);
		expect(await verifySessionQrToken(KEY, token, T)).toMatchObject({ ok: true, sessionId: 42 });
		expect((await verifySessionQrToken(KEY, token, T + 29_999)).ok).toBe(true);
		expect(await verifySessionQrToken(KEY, token, T + 30_000)).toEqual({ ok: false, reason: "expired" });
	});

	it("refuses a token of a future window (a display whose clock runs ahead cannot mint)", async () => {
		const { token } = await mintSessionQrToken(KEY, 42, T + 15_000);
		expect(await verifySessionQrToken(KEY, token, T + 14_999)).toEqual({ ok: false, reason: "future" });
	});

	it("refuses another key, an altered session or window, and junk", async () => {
		const { token } = await mintSessionQrToken(KEY, 42, T);
		expect(await verifySessionQrToken("another-key", token, T)).toEqual({ ok: false, reason: "forged" });
		const [p, , w, s, mac] = token.split(".");
		expect(await verifySessionQrToken(KEY, [p, (43).toString(36), w, s, mac].join("."), T)).toEqual({
			ok: false,
			reason: "forged",
		});
		// A longer rotation would stretch the window: it is signed too.
		expect(await verifySessionQrToken(KEY, [p, (42).toString(36), w, "600", mac].join("."), T)).toMatchObject(
			{
				ok: false,
			},
		);
		for (const junk of ["", "q1", "hello", `${token}x`, "q1.a.b.15.<script>alert(1)</script>"])
			expect(await verifySessionQrToken(KEY, junk, T)).toEqual({ ok: false, reason: "malformed" });
	});

	it("works the same between 00:00 and 08:00 Taipei (the previous UTC day)", async () => {
		const night = Date.UTC(2026, 11, 2, 17, 30, 0); // 01:30 Taipei on 12-03
		const { token } = await mintSessionQrToken(KEY, 7, night);
		expect(await verifySessionQrToken(KEY, token, night + 20_000)).toMatchObject({ ok: true, sessionId: 7 });
	});
});

describe("short code", () => {
	it("is six digits, accepted for the current and the previous window only", async () => {
		const code = await sessionShortCode(KEY, 42, T);
		expect(code).toMatch(/^\d{6}$/);
		expect(await matchesShortCode(KEY, 42, code, T + 20_000)).toBe(true);
		expect(await matchesShortCode(KEY, 42, ` ${code.slice(0, 3)} ${code.slice(3)} `, T)).toBe(true);
		expect(await matchesShortCode(KEY, 42, code, T + 30_000)).toBe(false);
		expect(await matchesShortCode(KEY, 43, code, T)).toBe(false);
		expect(await matchesShortCode(KEY, 42, "12345", T)).toBe(false);
	});
});
