// The manual's 線上請假 in Chromium: a bound trainee asks for leave over two sessions, sees it in
// a photo of the doctor's note, sees it in 請假節次 as 待審核, opens the photo, and withdraws it (銷假).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser, screenshot } from "./browser";

const ONE_PIXEL_PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
	"base64",
);

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe("asking for leave as a trainee", () => {
	it("我要請假 → two sessions → 病假 with a remark and a photo → 待審核 in 請假節次 → 我要撤銷", async () => {
		// The emulator chat decides which LINE user the LIFF pages sign in as.
		const chat = await browser.newPage();
		await chat.goto(`${BASE_URL}/__dev`);
		await chat.getByRole("button", { name: /學員（已綁定）/ }).click();
		await chat.close();

		const page = await browser.newPage();
		await page.goto(`${BASE_URL}/liff/trainee/courses`);
		await page.getByRole("heading", { name: "我的課程" }).waitFor();
		await page.getByText("智慧製造設備維護班").waitFor();
		await screenshot(page, "leave-0-courses");

		await page.goto(`${BASE_URL}/liff/trainee/leave/new`);
		await page.getByRole("heading", { name: "我要請假" }).waitFor();
		const boxes = page.locator("input[name=session]:not([disabled])");
		await boxes.first().waitFor();
		expect(await boxes.count()).toBeGreaterThanOrEqual(2);
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await screenshot(page, "leave-1-pick-sessions");
		await page.getByRole("button", { name: "帶入勾選的課程" }).click();

		await page.getByRole("heading", { name: "填寫假單" }).waitFor();
		await page.locator("select[name=typeCode]").selectOption({ label: "病假" });
		await page.locator("textarea[name=remark]").fill("發燒就醫，附診斷證明");
		await page
			.locator("input.proof")
			.setInputFiles({ name: "診斷證明.png", mimeType: "image/png", buffer: ONE_PIXEL_PNG });
		await screenshot(page, "leave-2-form");
		await page.getByRole("button", { name: "確定" }).click();

		await page.getByRole("heading", { name: "我的課表" }).waitFor();
		await page.getByText("假單已送出").waitFor();
		await page.getByRole("tab", { name: "請假節次" }).click();
		// The newest request is listed first.
		const newest = page.locator(".leave-item").first();
		await newest.waitFor();
		expect(await newest.textContent()).toContain("病假");
		expect(await newest.textContent()).toContain("待審核");
		await screenshot(page, "leave-3-list");

		await newest.click();
		await page.getByRole("heading", { name: "假單內容" }).waitFor();
		expect(await page.locator(".detail").textContent()).toContain("發燒就醫");
		const proof = page.locator(".proof-item", { hasText: "診斷證明.png" });
		await proof.getByRole("button", { name: "查看" }).click();
		await proof.locator("img.proof-image").waitFor();
		page.once("dialog", (dialog) => void dialog.accept());
		await page.getByRole("button", { name: "我要撤銷" }).click();
		await page.locator(".detail .badge", { hasText: "已銷假" }).waitFor();
		expect(await page.getByRole("button", { name: "我要撤銷" }).count()).toBe(0);
		await screenshot(page, "leave-4-withdrawn");
	});
});
