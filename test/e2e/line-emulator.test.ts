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

	it("switches a trainee-and-teacher user to the other identity and shows its menu", async () => {
		const page = await browser.newPage();
		await page.goto(`${BASE_URL}/__dev`);
		await page.getByRole("button", { name: /學員＋教師/ }).click();
		const menu = page.locator(".rich-menu:not([hidden])");
		await menu.waitFor();
		// Other tests may have switched this demo user already: go to whichever identity is not active.
		const target = (await menu.getAttribute("data-menu")) === "teacher" ? "trainee" : "teacher";
		const label = target === "teacher" ? "教師" : "學員";
		await page.fill("#text", "切換身分");
		await page.press("#text", "Enter");
		await page
			.locator("button.action", { hasText: new RegExp(`^${label}$`) })
			.last()
			.click();
		await page.locator(`.rich-menu[data-menu="${target}"]`).waitFor();
		await page.getByText(`已切換為${label}身分`).waitFor();
		expect(
			await page.locator(".area").evaluateAll((areas) => areas.map((a) => a.getAttribute("aria-label"))),
		).toContain(target === "teacher" ? "顯示簽到QR" : "我要請假");
		await screenshot(page, "emulator-switched-identity");
	});
});
