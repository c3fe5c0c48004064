// A newcomer's first look at the product: the /__dev LINE emulator in Chromium, as a person uses it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1100, height: 950 });
});
afterAll(async () => {
	await browser?.close();
});

describe("the LINE emulator at /__dev", () => {
	it("lets an unbound user open 身分認證 → 綁定帳號 → 學員 and get a binding link", async () => {
		const page = await browser.newPage();
		await page.goto(`${BASE_URL}/__dev`);
		await page.getByRole("button", { name: /新朋友（未綁定）/ }).click();
		await page.locator('.area[aria-label="身分認證"]').click();
		await page.locator(".card-title", { hasText: "身分認證" }).waitFor();
		await page.locator("button.action", { hasText: "綁定帳號" }).last().click();
		await page.locator(".card-title", { hasText: "綁定帳號" }).waitFor();
		await page.locator("button.action", { hasText: "學員" }).last().click();
		const link = page.locator("button.action", { hasText: "前往綁定" }).last();
		await link.waitFor();
		expect(await link.getAttribute("title")).toMatch(/\/bind\?t=/);
		await screenshot(page, "emulator-binding-link");
	});

	it("switches a trainee-and-teacher user to 教師 and shows the teacher menu", async () => {
		const page = await browser.newPage();
		await page.goto(`${BASE_URL}/__dev`);
		await page.getByRole("button", { name: /學員＋教師/ }).click();
		await page.locator('.rich-menu[data-menu="trainee"]').waitFor();
		await page.fill("#text", "切換身分");
		await page.press("#text", "Enter");
		await page
			.locator("button.action", { hasText: /^教師$/ })
			.last()
			.click();
		await page.locator('.rich-menu[data-menu="teacher"]').waitFor();
		await page.getByText("已切換為教師身分").waitFor();
		expect(
			await page.locator(".area").evaluateAll((areas) => areas.map((a) => a.getAttribute("aria-label"))),
		).toContain("顯示簽到QR");
		await screenshot(page, "emulator-switched-to-teacher");
	});
});
