// 班級 in Chromium: a clerk opens the running demo class and reads its attendance matrix on a
// laptop and on a tablet (the names stay in view while the sessions scroll sideways), and downloads
// its attendance as CSV and as Excel.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, openBrowser, screenshot, signInToDashboard } from "./browser";

let browser: Browser;
beforeAll(async () => {
	browser = await openBrowser({ width: 1280, height: 800 });
});
afterAll(async () => {
	await browser?.close();
});

describe("班級", () => {
	it("opens the running demo class and shows its attendance matrix", async () => {
		const page = await signInToDashboard(browser, "north.clerk@unit.example");

		await page.getByRole("navigation", { name: "主選單" }).getByRole("link", { name: "班級" }).click();
		await page.getByRole("heading", { name: "班級" }).waitFor();
		await screenshot(page, "admin-classes-1-list");
		await page.getByRole("link", { name: "DEMO-115-01" }).click();

		const matrix = page.locator("table.matrix");
		await matrix.waitFor();
		expect(await matrix.locator("tbody tr").count()).toBe(30);
		// Past sessions have final marks: most trainees 出, some 遲 / 曠 / 假.
		expect(await matrix.locator("td.att.present").count()).toBeGreaterThan(30);
		await page.getByRole("list", { name: "圖例" }).waitFor();
		await screenshot(page, "admin-classes-2-detail");

		// The CSV a clerk downloads opens in Excel: BOM, the header, one line per trainee and session.
		const [csv] = await Promise.all([
			page.waitForEvent("download"),
			page.getByRole("link", { name: "匯出出勤 CSV" }).click(),
		]);
		expect(csv.suggestedFilename()).toMatch(/^DEMO-115-01_出勤_\d{8}\.csv$/);
		const bytes = readFileSync(await csv.path());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
		expect(lines[0]).toBe("日期,節次時間,課程,座號,姓名,身分證字號,簽到,簽退,出缺勤");
		expect((lines.length - 1) % 30).toBe(0);
		expect(lines.slice(1).every((line) => /^\d{3}\/\d{2}\/\d{2},\d{2}:\d{2}-\d{2}:\d{2},/.test(line))).toBe(
			true,
		);
		expect(lines.some((line) => line.endsWith(",出席"))).toBe(true);
		// National IDs only masked.
		expect(lines.slice(1).every((line) => /,[A-Z][A-Z0-9]{2}\*{4}\d{3},/.test(line))).toBe(true);

		const [xlsx] = await Promise.all([
			page.waitForEvent("download"),
			page.getByRole("link", { name: "匯出出勤 Excel" }).click(),
		]);
		expect(xlsx.suggestedFilename()).toMatch(/^DEMO-115-01_出勤_\d{8}\.xlsx$/);
		expect(
			readFileSync(await xlsx.path())
				.subarray(0, 2)
				.toString(),
		).toBe("PK");

		// A tablet: the matrix scrolls sideways and the name column stays put.
		await page.setViewportSize({ width: 820, height: 1180 });
		const wrap = page.locator(".matrix-wrap");
		await wrap.evaluate((el) => {
			el.scrollLeft = 400;
		});
		const nameCell = matrix.locator("tbody th.who").first();
		const box = await nameCell.boundingBox();
		const wrapBox = await wrap.boundingBox();
		expect(Math.abs((box?.x ?? 0) - (wrapBox?.x ?? 0))).toBeLessThan(3);
		await wrap.scrollIntoViewIfNeeded();
		await screenshot(page, "admin-classes-3-tablet");
		await page.close();
	});
});
