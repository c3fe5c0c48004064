// npm run line:richmenus against LINE faked at fetch(): validate, create, upload, alias, default;
// a second run changes nothing; a menu left without its image is repaired.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Settings } from "../../src/env";
import { provisionRichMenus } from "../../src/line/rich-menu-provisioning";
import { RICH_MENU_NAMES, type RichMenuName } from "../../src/line/rich-menus";
import { type FakeLine, installFakeLine } from "./fake-line";

const settings: Settings = {
	isDevelopment: false,
	publicBaseUrl: "https://training-line.example",
	lineApiBase: "https://api.line.me",
	lineApiDataBase: "https://api-data.line.me",
	lineAccessBase: "https://access.line.me",
	lineLoginChannelId: "1650000000",
	liffIdTrainee: "1650000000-trainee",
	liffIdTeacher: "1650000000-teacher",
};
const images = Object.fromEntries(
	RICH_MENU_NAMES.map((n, i) => [n, new Uint8Array([137, 80, 78, 71, i])]),
) as Record<RichMenuName, Uint8Array>;
const run = () => provisionRichMenus({ channelAccessToken: "token", settings, images });

let line: FakeLine;
beforeEach(() => {
	line = installFakeLine();
});
afterEach(() => line.restore());

describe("provisionRichMenus", () => {
	it("validates, creates, uploads images, sets aliases and the unbound menu as default", async () => {
		const results = await run();
		expect(results.map((r) => [r.name, r.created, r.imageUploaded, r.aliasChanged])).toEqual([
			["unbound", true, true, true],
			["trainee", true, true, true],
			["teacher", true, true, true],
		]);
		expect(line.calls.filter((c) => c.path === "/v2/bot/richmenu/validate")).toHaveLength(3);
		expect([...line.aliases.keys()].sort()).toEqual([
			"training-line-teacher",
			"training-line-trainee",
			"training-line-unbound",
		]);
		expect(line.defaultRichMenu()).toBe(results[0]?.richMenuId);
		const trainee = line.calls.find(
			(c) => c.path === "/v2/bot/richmenu" && JSON.stringify(c.body).includes("trainee"),
		);
		expect(JSON.stringify(trainee?.body)).toContain("https://liff.line.me/1650000000-trainee/leave/new");
		expect(line.calls.filter((c) => c.path.endsWith("/content") && c.method === "POST")).toHaveLength(3);
	});

	it("changes nothing when run again", async () => {
		const first = await run();
		line.reset();
		const second = await run();
		expect(second.map((r) => r.richMenuId)).toEqual(first.map((r) => r.richMenuId));
		expect(second.every((r) => !r.created && !r.imageUploaded && !r.aliasChanged)).toBe(true);
		expect(line.calls.filter((c) => c.method === "POST" && c.path === "/v2/bot/richmenu")).toHaveLength(0);
	});

	it("repairs a menu whose image upload failed last time", async () => {
		line.failing.push({ path: /\/content$/, status: 500 });
		await expect(run()).rejects.toThrow();
		line.failing.length = 0;
		const results = await run();
		expect(results.find((r) => r.name === "unbound")).toMatchObject({ created: false, imageUploaded: true });
		expect([...line.richMenus.values()].every((m) => m.hasImage)).toBe(true);
	});
});
