// 學員名冊匯入 in Chromium on a laptop: a clerk uploads a CSV with an error, sees it by row number,
// uploads the fixed file, confirms, and sees the trainees imported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nationalIdCheckDigit } from "../../src/domain/national-id";
import { type Browser, openBrowser, screenshot, signInToDashboard } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 800 });
});
afterAll(async () => {
	await browser?.close();
});

const id = (firstNine: string) => `${firstNine}${nationalIdCheckDigit(firstNine)}`;
const HEADER = "班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件";
const file = (lines: string[]) => ({
	name: "名冊.csv",
	mimeType: "text/csv",
	buffer: Buffer.from(`\uFEFF${[HEADER, ...lines].join("\r\n")}\r\n`, "utf8"),
});

describe("學員名冊匯入", () => {
	it("shows a bad row by its number, then imports the fixed file", async () => {
		const page = await signInToDashboard(browser, "north.clerk@unit.example");
		await page.getByRole("link", { name: "學員名冊匯入" }).click();
		await page.getByRole("heading", { name: "學員名冊匯入" }).waitFor();
		await screenshot(page, "roster-1-page");

		const rows = [
			`DEMO-115-01,91,王小明,${id("Z18800091")},1990-05-25,0912-345-678,wang@example.com`,
			`DEMO-115-01,92,林美華,${id("Y28800092")},114/02/29,0987654321,`,
		];
		await page.getByLabel(/名冊檔案/).setInputFiles(file(rows));
		await page.getByRole("button", { name: "上傳並檢查" }).click();
		await page.getByText("有錯誤 1 筆").waitFor();
		const errorRow = page.getByRole("table", { name: "錯誤" }).getByRole("row").nth(1);
		expect(await errorRow.textContent()).toMatch(/第 3 列\s*出生日期「114\/02\/29」：沒有這一天/);
		expect(await page.getByRole("button", { name: "確認匯入" }).count()).toBe(0);
		await screenshot(page, "roster-2-errors");

		rows[1] = `DEMO-115-01,92,林美華,${id("Y28800092")},81/02/29,0987654321,`;
		await page.getByLabel(/名冊檔案/).setInputFiles(file(rows));
		await page.getByRole("button", { name: "上傳並檢查" }).click();
		await page.getByText("可匯入 2 筆").waitFor();
		await screenshot(page, "roster-3-preview");
		await page.getByRole("button", { name: "確認匯入" }).click();
		await page.getByText("已匯入 2 位學員").waitFor();
		expect(await page.getByRole("table", { name: "已匯入" }).textContent()).toContain("林美華");
		await screenshot(page, "roster-4-imported");
		await page.close();
	});
});
