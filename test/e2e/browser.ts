// Headless Debian Chromium for the e2e tests: never a downloaded browser, no network but loopback,
// a fresh profile each time, screenshots under test-results/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8790";
export const SCREENSHOTS = "test-results/e2e";

const CHROMIUM_FLAGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-quic",
	"--no-first-run",
];

export type Browser = { context: BrowserContext; newPage: () => Promise<Page>; close: () => Promise<void> };

/** Opens Chromium with a phone-sized viewport by default (trainees use cheap phones). */
export async function openBrowser(viewport = { width: 390, height: 844 }): Promise<Browser> {
	const profile = mkdtempSync(join(tmpdir(), "training-line-e2e-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport,
		locale: "zh-TW",
		timezoneId: "Asia/Taipei",
	});
	// Every page runs under the site's CSP: a blocked script, style or image is a broken page.
	const cspViolations: string[] = [];
	context.on("page", (page) =>
		page.on("console", (message) => {
			if (message.type() === "error" && message.text().includes("Content Security Policy")) {
				cspViolations.push(`${page.url()}: ${message.text()}`);
			}
		}),
	);
	return {
		context,
		newPage: () => context.newPage(),
		close: async () => {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
			if (cspViolations.length > 0) throw new Error(`CSP violations:\n${cspViolations.join("\n")}`);
		},
	};
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const path = join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

/** A fresh dashboard tab signed in (cookies of earlier sign-ins cleared), on 今日. */
export async function signInToDashboard(browser: Browser, email: string, password = "TrainingLine-2026") {
	await browser.context.clearCookies();
	const page = await browser.newPage();
	await page.goto(`${BASE_URL}/admin`);
	await page.getByLabel("電子郵件").fill(email);
	await page.getByLabel("密碼").fill(password);
	await page.getByRole("button", { name: "登入" }).click();
	await page.getByRole("heading", { name: /今日/ }).waitFor();
	return page;
}
