// 出勤 in Chromium on a laptop: a clerk opens a session's 出缺勤 from 今日, corrects one trainee's
// check-in with a reason, and sees the row marked 已更正 with the manual punch in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, openBrowser, screenshot, signInToDashboard } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 800 });
});
afterAll(async () => {
	await browser?.close();
});

describe("出勤 of a session", () => {
	it("corrects a trainee's check-in with a reason and shows 已更正", async () => {
		const page = await signInToDashboard(browser, "north.clerk@unit.example");

		// Not the E2E session open now: the check-in test expects it to start with nobody checked in.
		const session = page.locator("table.grid tbody tr").filter({ hasNotText: "（E2E）" }).first();
		await session.getByRole("link", { name: "出缺勤" }).click();
		await page.getByRole("heading", { name: /^出勤/ }).waitFor();
		await page.getByRole("heading", { name: "打卡紀錄" }).waitFor();
		// Not the demo LINE trainee (the first seats): other browser tests punch and ask leave as them.
		const row = page.locator("table.attendance-sheet tbody tr").nth(10);
		const name = ((await row.locator("td").nth(1).textContent()) ?? "").trim();
		const rowId = await row.getAttribute("id");
		expect(rowId).toMatch(/^p-\d+$/);

		await row.locator("summary").click();
		await row.getByLabel("簽到時間").fill("09:05");
		await row.getByLabel("出勤狀態").selectOption("punches");
		await row.getByLabel("更正原因").fill("手機沒電，經教師確認 09:05 到課");
		await screenshot(page, "admin-punches-1-form");
		await row.getByRole("button", { name: "儲存更正" }).click();

		await page.getByText(`已更正 ${name} 的出勤紀錄`).waitFor();
		const corrected = page.locator(`#${rowId}`);
		await corrected.locator(".badge.corrected").waitFor();
		const text = (await corrected.textContent()) ?? "";
		expect(text).toContain("09:05");
		expect(text).toContain("人工");
		expect(text).toContain("手機沒電，經教師確認 09:05 到課");
		const log = page.locator("table.punch-log tbody tr", { hasText: name }).filter({ hasText: "人工" });
		expect(await log.count()).toBeGreaterThanOrEqual(1);
		await screenshot(page, "admin-punches-2-corrected");
		await page.close();
	});
});
