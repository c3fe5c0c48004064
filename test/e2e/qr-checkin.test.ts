// The manual's 線上簽到退 in Chromium: the demo teacher projects a session's rotating QR (1280×800);
// the QR is read from a screenshot with a real decoder; the bound demo trainee opens its URL on a
// phone (as a phone camera would), picks 簽到 and sees 簽到成功, and the still-open display counts
// 已簽到 1 / m over its WebSocket. Then the short-code fallback says 已簽到過, and every new page is
// captured on a phone.

import { readFileSync } from "node:fs";
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, type Browser, openBrowser, screenshot } from "./browser";

let projector: Browser;
let phone: Browser;
beforeAll(async () => {
	projector = await openBrowser({ width: 1280, height: 800 });
	phone = await openBrowser();
});
afterAll(async () => {
	await projector?.close();
	await phone?.close();
});

async function signInAs(browser: Browser, label: RegExp): Promise<void> {
	const chat = await browser.newPage();
	await chat.goto(`${BASE_URL}/__dev`);
	await chat.getByRole("button", { name: label }).click();
	await chat.close();
}

function decodeQr(file: string): string {
	const png = PNG.sync.read(readFileSync(file));
	const code = jsQR(
		new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
		png.width,
		png.height,
	);
	if (!code) throw new Error(`no QR code found in ${file}`);
	return code.data;
}

/** After 簽到 or 簽退 the camera is tried; headless Chromium has none: use the 6-digit fallback. */
async function openCodeForm(page: Page): Promise<void> {
	const input = page.locator("input[name=code]");
	const link = page.getByRole("button", { name: "無法掃描？輸入 QR Code 下方數字" });
	await input.or(link).first().waitFor();
	if (!(await input.isVisible())) await link.click({ timeout: 2000 }).catch(() => undefined);
	await input.waitFor();
}

describe("QR check-in (線上簽到退)", () => {
	it("display QR → decoded from a screenshot → trainee opens it → 簽到成功 → 已簽到 1 / m live", async () => {
		await signInAs(projector, /教師（已綁定）/);
		const display = await projector.newPage();
		await display.goto(`${BASE_URL}/liff/teacher/`);
		await display.getByRole("heading", { name: "教師專區" }).waitFor();
		// scripts/e2e.mjs seeds a session of the demo teacher that opened five minutes ago (E2E=1).
		const open = display.locator(".teacher-session.live", { hasText: "簽到示範（E2E）" });
		await open.waitFor();
		const sessionId = await open.getAttribute("data-session-id");
		expect(sessionId).toMatch(/^\d+$/);

		await open.getByRole("link", { name: "顯示簽到QR" }).click();
		await display.locator(".qr-box.display svg").waitFor();
		await display.locator("#app[data-live=open]").waitFor();
		await display.locator(".live-count", { hasText: /^已簽到 0 \/ [1-9]\d*$/ }).waitFor();
		const url = decodeQr(await screenshot(display, "qr-1-display-projector"));
		expect(url).toMatch(new RegExp(`^${BASE_URL}/liff/trainee/scan\\?t=`));
		const expected = Number(
			/\/ (\d+)$/.exec((await display.locator(".live-count").textContent()) ?? "")?.[1],
		);
		expect(expected).toBeGreaterThanOrEqual(1);

		await signInAs(phone, /學員（已綁定）/);
		const trainee = await phone.newPage();
		await trainee.goto(url);
		await trainee.getByText("已讀取簽到 QR Code").waitFor();
		// The token leaves the address bar once it was exchanged for a scan ticket.
		expect(trainee.url()).toBe(`${BASE_URL}/liff/trainee/scan`);
		await screenshot(trainee, "qr-2-trainee-ticket-choice");
		await trainee.getByRole("button", { name: "簽到", exact: true }).click();
		await trainee
			.locator(".punch-message", { hasText: /^簽到成功 \d\d:\d\d（(準時|遲到)）・簽到示範（E2E）$/ })
			.waitFor();
		await screenshot(trainee, "qr-3-trainee-checked-in");

		await display.locator(".live-count", { hasText: `已簽到 1 / ${expected}` }).waitFor();
		await display.locator(".recent li").first().waitFor();
		await screenshot(display, "qr-4-display-after-check-in");

		// Again with the 6-digit code under the QR (the fallback): the first check-in stands.
		const code = ((await display.locator(".short-code").textContent()) ?? "").replace(/\s/g, "");
		expect(code).toMatch(/^\d{6}$/);
		await trainee.getByRole("button", { name: "再掃一次" }).click();
		await trainee.getByRole("button", { name: "簽到", exact: true }).click();
		await openCodeForm(trainee);
		await trainee.locator("input[name=code]").fill(code);
		await screenshot(trainee, "qr-5-trainee-short-code");
		await trainee.getByRole("button", { name: "確定簽到" }).click();
		await trainee
			.locator(".punch-message", { hasText: /^已簽到過（\d\d:\d\d，(準時|遲到)）・簽到示範（E2E）$/ })
			.waitFor();
		await screenshot(trainee, "qr-6-trainee-repeated");

		// The same display on a phone held upright.
		await display.setViewportSize({ width: 390, height: 844 });
		await screenshot(display, "qr-7-display-phone");

		// 教師專區 on a phone: home, 出缺勤 (the trainee is listed as checked in), the scanner's choice.
		const teacher = await projector.newPage();
		await teacher.setViewportSize({ width: 390, height: 844 });
		await teacher.goto(`${BASE_URL}/liff/teacher/`);
		await teacher.locator(".teacher-session").first().waitFor();
		await screenshot(teacher, "qr-8-teacher-home");
		await teacher.goto(`${BASE_URL}/liff/teacher/sessions/${sessionId}/attendance`);
		await teacher.getByText("已簽到 1 /").waitFor();
		await screenshot(teacher, "qr-9-teacher-attendance");
		await teacher.goto(`${BASE_URL}/liff/teacher/sessions/${sessionId}/scanner`);
		await teacher.getByRole("button", { name: "簽退", exact: true }).waitFor();
		await screenshot(teacher, "qr-10-teacher-scanner");
	});

	it("QR CODE shows the trainee's personal code with a countdown, and hides it when offline", async () => {
		const page = await phone.newPage();
		await page.goto(`${BASE_URL}/liff/trainee/qr`);
		await page.locator(".qr-box.personal svg").waitFor();
		await page.locator(".qr-countdown", { hasText: /^\d+ 秒後自動更新$/ }).waitFor();
		await screenshot(page, "qr-11-trainee-personal-qr");
		await phone.context.setOffline(true);
		await page.getByText("網路連線中斷，無法顯示 QR Code，請確認網路後重試").waitFor();
		expect(await page.locator(".qr-box.personal svg").count()).toBe(0);
		await screenshot(page, "qr-12-trainee-personal-qr-offline");
		await phone.context.setOffline(false);
		await page.locator(".qr-box.personal svg").waitFor();

		await page.goto(`${BASE_URL}/liff/trainee/scan`);
		await page.getByRole("button", { name: "簽退", exact: true }).waitFor();
		await screenshot(page, "qr-13-trainee-scan-choice");
	});
});
