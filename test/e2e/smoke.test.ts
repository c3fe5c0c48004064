// The started product answers a browser: health with D1, and errors a person can read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe("the dev server started like npm start", () => {
	it("answers /healthz after reading the migrated, seeded D1", async () => {
		const page = await browser.newPage();
		const res = await page.goto(`${BASE_URL}/healthz`);
		expect(res?.status()).toBe(200);
		expect(JSON.parse((await page.locator("body").textContent()) ?? "")).toEqual({ ok: true });
	});

	it("answers an unknown page with a zh-TW error and a request id", async () => {
		const page = await browser.newPage();
		const res = await page.goto(`${BASE_URL}/no-such-page`);
		expect(res?.status()).toBe(404);
		const body = JSON.parse((await page.locator("body").textContent()) ?? "");
		expect(body.error.code).toBe("NOT_FOUND");
		expect(body.error.message).toBe("找不到您要的頁面或資料");
		expect(body.error.requestId).toBe(res?.headers()["x-request-id"]);
	});
});
