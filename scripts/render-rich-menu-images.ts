// Renders the rich-menu images (static/richmenu/*.png) from the definitions in src/line/rich-menus.ts
// with headless Chromium, so labels and layout never drift apart. Run after changing a menu:
//   npx tsx scripts/render-rich-menu-images.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { settingsOf } from "../src/env";
import { menuAreas, RICH_MENU_IMAGES, RICH_MENU_NAMES, richMenuDefinitions } from "../src/line/rich-menus";

const THEMES = {
	unbound: { background: "#f3f6f9", tile: "#ffffff", ink: "#1d3557", accent: "#06c755" },
	trainee: { background: "#e8f5ec", tile: "#ffffff", ink: "#14532d", accent: "#06c755" },
	teacher: { background: "#e7eef8", tile: "#ffffff", ink: "#1e3a8a", accent: "#2563eb" },
} as const;

// One character per button (emoji fonts are not on every machine that renders these).
const SYMBOLS: Record<string, string> = {
	身分認證: "證",
	常見問題: "?",
	聯絡客服: "服",
	我的課程: "課",
	我的課表: "表",
	我要請假: "假",
	掃描: "掃",
	"QR CODE": "QR",
	教師專區: "師",
	顯示簽到QR: "示",
	掃描學員QR: "掃",
};

const definitions = richMenuDefinitions(settingsOf({ ENVIRONMENT: "production" } as Env));
const profile = mkdtempSync(join(tmpdir(), "richmenu-render-"));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
	headless: true,
	args: [
		"--no-sandbox",
		"--disable-gpu",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--disable-quic",
		"--no-first-run",
	],
});
try {
	for (const name of RICH_MENU_NAMES) {
		const definition = definitions[name];
		const theme = THEMES[name];
		const { width, height } = definition.size;
		const tiles = menuAreas(definition)
			.map(({ label, bounds: b }) => {
				return `<div class="tile" style="left:${b.x + 24}px;top:${b.y + 24}px;width:${b.width - 48}px;height:${b.height - 48}px">
					<div class="symbol">${SYMBOLS[label] ?? "•"}</div><div class="label">${label}</div></div>`;
			})
			.join("");
		const page = await context.newPage();
		await page.setViewportSize({ width, height });
		await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>
			body{margin:0;width:${width}px;height:${height}px;background:${theme.background};position:relative;
				font-family:"Noto Sans CJK TC","Noto Sans TC",sans-serif;overflow:hidden}
			.tile{position:absolute;background:${theme.tile};border-radius:48px;box-shadow:0 8px 24px rgba(0,0,0,.08);
				display:flex;flex-direction:column;align-items:center;justify-content:center;gap:28px;color:${theme.ink}}
			.symbol{width:200px;height:200px;border-radius:50%;background:${theme.accent};color:#fff;font-size:100px;
				display:flex;align-items:center;justify-content:center;font-weight:700}
			.label{font-size:120px;font-weight:700;letter-spacing:6px}
		</style></head><body>${tiles}</body></html>`);
		await page.screenshot({ path: join("static", RICH_MENU_IMAGES[name]), type: "png" });
		await page.close();
		console.log(`static/${RICH_MENU_IMAGES[name]} (${width}×${height})`);
	}
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
}
