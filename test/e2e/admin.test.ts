// The dashboard in Chromium on a laptop: a clerk signs in, sees 今日, filters 請假審核 to pending
// requests and approves two at once; another unit's clerk does not see them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser, screenshot, signInToDashboard } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 800 });
});
afterAll(async () => {
	await browser?.close();
});

const signIn = (email: string) => signInToDashboard(browser, email);

describe("the dashboard", () => {
	it("lets a clerk approve two pending requests at once", async () => {
		const page = await signIn("north.clerk@unit.example");
		await page.getByRole("heading", { name: /今日/ }).waitFor();
		await screenshot(page, "admin-1-today");

		await page.getByRole("link", { name: "請假審核" }).click();
		await page.getByLabel("狀態").selectOption("pending");
		await page.getByRole("button", { name: "篩選" }).click();
		const boxes = page.locator("input[name=ids]");
		await boxes.first().waitFor();
		const before = await boxes.count();
		expect(before).toBeGreaterThanOrEqual(2);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByLabel(/審核備註/).fill("資料齊全");
		await screenshot(page, "admin-2-leave-review");
		await page.getByRole("button", { name: "核准勾選的假單" }).click();
		await page.getByText("已處理 2 張假單").waitFor();
		expect(await page.locator("input[name=ids]").count()).toBe(before - 2);
		await screenshot(page, "admin-3-approved");
		await page.close();
	});

	it("opens a session's rotating QR from 今日, with the live count", async () => {
		const page = await signIn("north.clerk@unit.example");
		await page.getByRole("link", { name: "顯示簽到QR" }).first().click();
		await page.locator(".qr-box svg").waitFor();
		await page.getByText(/已簽到/).waitFor();
		await page.getByText(/秒後換新 QR Code/).waitFor();
		await screenshot(page, "admin-4-session-display");
		await page.close();
	});

	it("shows another unit's clerk none of them", async () => {
		const page = await signIn("south.admin@unit.example");
		await page.getByRole("heading", { name: /今日/ }).waitFor();
		await page.goto(`${BASE_URL}/admin/leave`);
		const text = (await page.locator("main").textContent()) ?? "";
		expect(text).not.toContain("智慧製造設備維護班");
		await page.close();
	});
});
