// The development LINE emulator: absent in production; in development it answers LINE's paths,
// and its chat page sends signed webhooks whose answers it shows.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { settingsOf } from "../../src/env";
import { provisionRichMenus } from "../../src/line/rich-menu-provisioning";
import { RICH_MENU_NAMES, type RichMenuName } from "../../src/line/rich-menus";
import { devEnv, devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";

const auth = { authorization: `Bearer ${env.LINE_CHANNEL_ACCESS_TOKEN}`, "content-type": "application/json" };
const call = (path: string, init: RequestInit = {}, environment?: Env) =>
	devFetch(new Request(`${ORIGIN}${path}`, init), environment);

beforeAll(async () => {
	await seedDemoData(createDb(env.DB), { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});

describe("outside development", () => {
	it.each([
		["GET", "/__dev"],
		["GET", `/__dev/api/chat?userId=${DEMO_LINE_USERS.unbound}`],
		["POST", "/__dev/api/send"],
		["POST", "/v2/bot/message/push"],
		["POST", "/v2/bot/message/reply"],
		["GET", "/v2/bot/richmenu/alias/training-line-trainee"],
		["GET", "/v2/bot/richmenu/list"],
		["POST", "/v2/bot/richmenu"],
		["POST", `/v2/bot/user/${DEMO_LINE_USERS.unbound}/linkToken`],
	])("%s %s is 404", async (method, path) => {
		const res = await call(path, { method, headers: auth, body: method === "POST" ? "{}" : undefined }, env);
		expect(res.status).toBe(404);
		expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
	});
});

describe("in development", () => {
	// The product's LINE calls go to the dev server's own origin, as they do under `npm start`.
	beforeEach(() => {
		routeLineToEmulator();
	});
	afterEach(() => vi.restoreAllMocks());

	type Chat = {
		menu: { name: string; areas: { label: string }[] };
		entries: { id: number; kind: string; body: unknown }[];
	};
	const chat = async (userId: string, after = 0) =>
		(await (await call(`/__dev/api/chat?userId=${userId}&after=${after}`)).json()) as Chat;
	const send = (userId: string, event: object) =>
		call("/__dev/api/send", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ userId, event }),
		});

	it("serves the chat page in zh-TW", async () => {
		const res = await call("/__dev");
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain("本機 LINE 模擬器");
		expect(html).toContain(DEMO_LINE_USERS.both);
	});

	it("shows each demo user the rich menu of their identity", async () => {
		expect((await chat(DEMO_LINE_USERS.unbound)).menu.name).toBe("unbound");
		expect((await chat(DEMO_LINE_USERS.trainee)).menu.areas.map((a) => a.label)).toContain("我要請假");
		expect((await chat(DEMO_LINE_USERS.teacher)).menu.name).toBe("teacher");
	});

	it("sends a signed postback through /webhook/line and shows the bot's reply", async () => {
		const user = DEMO_LINE_USERS.unbound;
		const before = await chat(user);
		const after = before.entries.at(-1)?.id ?? 0;
		const res = await send(user, { type: "postback", data: "a=identity", displayText: "身分認證" });
		expect(res.status).toBe(200);
		expect(((await res.json()) as { webhookStatus: number }).webhookStatus).toBe(200);
		const entries = (await chat(user, after)).entries;
		expect(entries.map((e) => e.kind)).toEqual(["user_event", "reply"]);
		expect(JSON.stringify(entries[1]?.body)).toContain("綁定帳號");
	});

	it("switching identity changes the menu the emulator shows", async () => {
		await send(DEMO_LINE_USERS.both, { type: "postback", data: "a=switch&role=teacher" });
		expect((await chat(DEMO_LINE_USERS.both)).menu.name).toBe("teacher");
		await send(DEMO_LINE_USERS.both, { type: "postback", data: "a=switch&role=trainee" });
		expect((await chat(DEMO_LINE_USERS.both)).menu.name).toBe("trainee");
	});

	it("refuses what LINE refuses: a bad token, a message over the limits, a reused retry key", async () => {
		const push = (headers: Record<string, string>, messages: object[]) =>
			call("/v2/bot/message/push", {
				method: "POST",
				headers,
				body: JSON.stringify({ to: DEMO_LINE_USERS.unbound, messages }),
			});
		expect(
			(await push({ ...auth, authorization: "Bearer wrong" }, [{ type: "text", text: "hi" }])).status,
		).toBe(401);
		expect((await push(auth, [{ type: "text", text: "x".repeat(5001) }])).status).toBe(400);
		const key = crypto.randomUUID();
		expect((await push({ ...auth, "x-line-retry-key": key }, [{ type: "text", text: "hi" }])).status).toBe(
			200,
		);
		expect((await push({ ...auth, "x-line-retry-key": key }, [{ type: "text", text: "hi" }])).status).toBe(
			409,
		);
	});

	it("takes `npm run line:richmenus` pointed at it: creates, uploads, sets the default; a rerun changes nothing", async () => {
		const settings = { ...settingsOf(devEnv), isDevelopment: false };
		const images = Object.fromEntries(
			RICH_MENU_NAMES.map((n, i) => [n, new Uint8Array([137, 80, 78, 71, i])]),
		) as Record<RichMenuName, Uint8Array>;
		const run = () =>
			provisionRichMenus({ channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN, settings, images });
		const first = await run();
		expect(first.map((r) => [r.name, r.richMenuId, r.created, r.imageUploaded])).toEqual([
			["unbound", "richmenu-dev-unbound", true, true],
			["trainee", "richmenu-dev-trainee", true, true],
			["teacher", "richmenu-dev-teacher", true, true],
		]);
		const second = await run();
		expect(second.every((r) => !r.created && !r.imageUploaded && !r.aliasChanged)).toBe(true);
		// Users still see their own identity's menu afterwards.
		expect((await chat(DEMO_LINE_USERS.teacher)).menu.name).toBe("teacher");
	});

	it("refuses a rich menu LINE would refuse", async () => {
		const res = await call("/v2/bot/richmenu/validate", {
			method: "POST",
			headers: auth,
			body: JSON.stringify({ size: { width: 2500, height: 900 }, name: "x", chatBarText: "", areas: [] }),
		});
		expect(res.status).toBe(400);
		expect(((await res.json()) as { details: unknown[] }).details).toHaveLength(3);
	});

	it("validates what the chat page sends", async () => {
		const res = await send("not-a-user", { type: "text", text: "hi" });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { fields: { field: string }[] } }).error.fields[0]?.field).toBe(
			"userId",
		);
	});
});
