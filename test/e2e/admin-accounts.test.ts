// 帳號管理, 稽核紀錄 and 設定 in Chromium: a unit admin creates a clerk's account, the clerk sets a
// first password from the e-mailed link (the development inbox) and signs in; the admin finds both
// in 稽核紀錄; the agency opens a plan's 設定. Screenshots of each page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser, screenshot, signInToDashboard } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 800 });
});
afterAll(async () => {
	await browser?.close();
});

/** The newest e-mail the development inbox holds for this address. */
async function mailTo(address: string): Promise<string> {
	const res = await fetch(`${BASE_URL}/__dev/api/inbox`);
	const { messages } = (await res.json()) as { messages: { to: string; text: string }[] };
	return messages.find((m) => m.to === address)?.text ?? "";
}

describe("帳號管理", () => {
	it("creates a clerk who sets a first password from the e-mailed link and signs in", async () => {
		const email = `e2e.clerk.${Date.now()}@unit.example`;
		const admin = await signInToDashboard(browser, "north.admin@unit.example");
		await admin.getByRole("navigation", { name: "主選單" }).getByRole("link", { name: "帳號管理" }).click();
		await admin.getByRole("heading", { name: "帳號管理" }).waitFor();
		await screenshot(admin, "accounts-1-list");

		await admin.getByRole("link", { name: /新增帳號/ }).click();
		await admin.getByLabel("姓名").fill("新進承辦人");
		await admin.getByLabel(/電子郵件/).fill(email);
		await screenshot(admin, "accounts-2-new");
		await admin.getByRole("button", { name: "建立帳號並寄送設定密碼連結" }).click();
		await admin.getByText(email).first().waitFor();
		await screenshot(admin, "accounts-3-created");

		const link = /https?:\/\/\S+\/admin\/password\/set\?token=[\w-]+/.exec(await mailTo(email))?.[0];
		expect(link).toBeDefined();
		await browser.context.clearCookies();
		const clerk = await browser.newPage();
		await clerk.goto(
			new URL(new URL(link as string).pathname + new URL(link as string).search, BASE_URL).href,
		);
		await clerk.getByLabel(/^新密碼/).fill("Morning-Coffee-2026");
		await clerk.getByLabel("再輸入一次新密碼").fill("Morning-Coffee-2026");
		await screenshot(clerk, "accounts-4-set-password");
		await clerk.getByRole("button", { name: "設定密碼" }).click();
		await clerk.getByText("密碼已設定，請用新密碼登入。").waitFor();
		await clerk.close();

		const signedIn = await signInToDashboard(browser, email, "Morning-Coffee-2026");
		await signedIn
			.getByText(/新進承辦人/)
			.first()
			.waitFor();
		// A clerk manages no accounts.
		expect(await signedIn.getByRole("link", { name: "帳號管理" }).count()).toBe(0);
		await signedIn.close();

		const again = await signInToDashboard(browser, "north.admin@unit.example");
		await again.goto(`${BASE_URL}/admin/audit`);
		const log = again.locator("table").first();
		await log.getByText("新增帳號").first().waitFor();
		await log.getByText("設定首次密碼").first().waitFor();
		// The e-mail is masked in the log.
		expect(await log.textContent()).not.toContain(email);
		await screenshot(again, "accounts-5-audit");
		await again.close();
		await admin.close();
	});

	it("shows the agency a plan's 設定 with every rule and leave type", async () => {
		const page = await signInToDashboard(browser, "admin@agency.example");
		await page.getByRole("navigation", { name: "主選單" }).getByRole("link", { name: "設定" }).click();
		await page.locator("a[href^='/admin/settings/plans/']").first().click();
		await page.getByLabel("遲到寬限").waitFor();
		expect(await page.locator("input[type=checkbox][name=leaveTypes]").count()).toBe(10);
		await screenshot(page, "settings-1-plan");
		await page.close();
	});
});
