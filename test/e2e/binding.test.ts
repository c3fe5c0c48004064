// The manual's 綁定LINE@帳號 in Chromium, end to end through the local LINE emulator: chat →
// 身分認證 → 綁定帳號 → 學員 → the link → consent → identity → e-mail code from the emulator's inbox
// → LINE's account-link dialog → the chat says 「已將LINE與Training LINE連動」 with the trainee menu.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPerson } from "../../src/demo/people";
import { BASE_URL, type Browser, openBrowser, screenshot } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 950 });
});
afterAll(async () => {
	await browser?.close();
});

describe("binding a trainee's LINE account", () => {
	it("works as the manual describes", async () => {
		const trainee = demoPerson("trainee", 2, 0);
		const chat = await browser.newPage();
		await chat.goto(`${BASE_URL}/__dev`);
		await chat.getByRole("button", { name: /新的 LINE 使用者/ }).click();
		await chat.getByText("歡迎加入 Training LINE").waitFor();
		await chat.locator('.area[aria-label="身分認證"]').click();
		await chat.locator("button.action", { hasText: "綁定帳號" }).last().click();
		await chat
			.locator("button.action", { hasText: /^學員$/ })
			.last()
			.click();
		const [bind] = await Promise.all([
			browser.context.waitForEvent("page"),
			chat.locator("button.action", { hasText: "前往綁定" }).last().click(),
		]);
		await bind.setViewportSize({ width: 390, height: 844 });
		await bind.waitForLoadState();
		await bind.getByText("個資使用聲明及相關條款").first().waitFor();
		await screenshot(bind, "bind-1-consent");
		await bind.getByLabel(/我已閱讀並同意/).check();
		await bind.getByRole("button", { name: "同意並繼續" }).click();

		await bind.getByRole("heading", { name: "身分認證" }).waitFor();
		await bind.getByLabel(/姓名/).fill(trainee.name);
		await bind.getByLabel(/身分證字號或居留證號/).fill(trainee.nationalId.toLowerCase());
		await bind
			.getByLabel(/出生日期/)
			.fill(trainee.birthDate.replace(/^(\d{4})/, (y) => String(Number(y) - 1911)).replace(/-/g, "/"));
		await screenshot(bind, "bind-2-identity");
		await bind.getByRole("button", { name: "下一步" }).click();

		await bind.getByRole("heading", { name: "選擇認證方式" }).waitFor();
		await bind.getByLabel(/電子郵件（名冊/).check();
		await bind.getByLabel(/完整手機號碼或電子郵件/).fill(trainee.email);
		await screenshot(bind, "bind-3-contact");
		await bind.getByRole("button", { name: "寄送驗證碼" }).click();
		await bind.getByRole("heading", { name: "輸入驗證碼" }).waitFor();

		// The development sender's inbox on the emulator page holds the code.
		await chat.locator(".inbox-item", { hasText: trainee.email }).first().waitFor();
		const text = (await chat.locator(".inbox-item", { hasText: trainee.email }).first().textContent()) ?? "";
		const code = /(\d{6})/.exec(text)?.[1] ?? "";
		expect(code).toMatch(/^\d{6}$/);
		await bind.getByLabel(/6 位數驗證碼/).fill(code);
		await screenshot(bind, "bind-4-code");
		await bind.getByRole("button", { name: "提交" }).click();

		await bind.getByRole("heading", { name: "帳號連結" }).waitFor();
		await bind.getByRole("button", { name: "連結帳號" }).click();
		await bind.getByText("已完成連動").waitFor();

		await chat.bringToFront();
		await chat.getByText("已將LINE與Training LINE連動").waitFor({ timeout: 15_000 });
		await chat.locator('.rich-menu[data-menu="trainee"]').waitFor({ timeout: 15_000 });
		await screenshot(chat, "bind-5-linked-chat");
	});

	it("lets a user with both identities switch from 學員專區 settings (LIFF sign-in)", async () => {
		const chat = await browser.newPage();
		await chat.goto(`${BASE_URL}/__dev`);
		await chat.getByRole("button", { name: /學員＋教師/ }).click();
		const settings = await browser.newPage();
		await settings.setViewportSize({ width: 390, height: 844 });
		await settings.goto(`${BASE_URL}/liff/trainee/settings`);
		await settings.getByRole("heading", { name: "設定與身分" }).waitFor();
		await settings.locator('.identity[data-role="teacher"]').waitFor();
		await screenshot(settings, "liff-settings");
		const current =
			(await settings.locator(".identity", { hasText: "目前身分" }).getAttribute("data-role")) ?? "";
		const other = current === "trainee" ? "教師" : "學員";
		await settings.getByRole("button", { name: `切換為${other}` }).click();
		await settings.locator(".identity", { hasText: `${other}（目前身分）` }).waitFor();
		await chat.bringToFront();
		await chat
			.locator(`.rich-menu[data-menu="${current === "trainee" ? "teacher" : "trainee"}"]`)
			.waitFor({ timeout: 15_000 });
	});
});
