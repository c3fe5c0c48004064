// The LINE Messaging API as the product (and `npm run line:richmenus`) uses it, emulated for
// development at LINE's own paths (@line/bot-sdk keeps only the origin of its base URL). It records what it receives in
// emulator_log, where the /__dev chat page reads it, and refuses what LINE would refuse.
import type { messagingApi } from "@line/bot-sdk";
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { createDb } from "../../db/client";
import { emulatorLog } from "../../db/schema";
import type { AppEnv } from "../../env";
import { lineMessageProblems } from "../../line/message-limits";
import { RICH_MENU_ALIASES, RICH_MENU_NAMES, type RichMenuName } from "../../line/rich-menus";
import { randomToken } from "../../services/random";
import { developmentOnly } from "./development-only";

/** Rich menu ids the emulator hands out: one per definition, stable across restarts. */
export const emulatorRichMenuId = (name: RichMenuName) => `richmenu-dev-${name}`;
const menuOfId = (id: string) => RICH_MENU_NAMES.find((name) => emulatorRichMenuId(name) === id);

/** Reply tokens the emulator puts in the events it sends name the user they answer. */
export const emulatorReplyToken = (userId: string) => `dev.${userId}.${randomToken(9)}`;
const userOfReplyToken = (token: string) => /^dev\.(U[0-9a-f]{32})\./.exec(token)?.[1] ?? null;

function lineError(
	c: Context<AppEnv>,
	status: 400 | 401 | 404 | 409,
	message: string,
	details: string[] = [],
) {
	return c.json(
		{ message, ...(details.length ? { details: details.map((d) => ({ message: d })) } : {}) },
		status,
	);
}

async function messagesOf(c: Context<AppEnv>): Promise<messagingApi.Message[] | string[]> {
	const body = (await c.req.json().catch(() => null)) as { messages?: messagingApi.Message[] } | null;
	if (!body || !Array.isArray(body.messages)) return ["messages must be an array"];
	const problems = lineMessageProblems(body.messages);
	return problems.length ? problems : body.messages;
}

const isProblemList = (v: messagingApi.Message[] | string[]): v is string[] => typeof v[0] === "string";

export const lineApiEmulator = new Hono<AppEnv>()
	.use("/v2/*", developmentOnly())
	.use("/v2/*", async (c, next) => {
		if (c.req.header("authorization") !== `Bearer ${c.env.LINE_CHANNEL_ACCESS_TOKEN}`) {
			return lineError(
				c,
				401,
				"Authentication failed. Confirm that the access token in the authorization header is valid.",
			);
		}
		c.header("x-line-request-id", crypto.randomUUID());
		await next();
	})
	.post("/v2/bot/message/reply", async (c) => {
		const db = createDb(c.env.DB);
		const body = (await c.req.json().catch(() => ({}))) as { replyToken?: string };
		const userId = userOfReplyToken(body.replyToken ?? "");
		const messages = await messagesOf(c);
		if (isProblemList(messages)) return lineError(c, 400, "The request body has 1 error(s)", messages);
		const recorded = userId
			? await db
					.insert(emulatorLog)
					.values({
						at: Date.now(),
						userId,
						kind: "reply",
						body: JSON.stringify(messages),
						retryKey: `reply:${body.replyToken}`,
					})
					.onConflictDoNothing()
					.returning({ id: emulatorLog.id })
			: [];
		if (recorded.length === 0) return lineError(c, 400, "Invalid reply token");
		return c.json({
			sentMessages: messages.map(() => ({ id: randomToken(8), quoteToken: randomToken(12) })),
		});
	})
	.post("/v2/bot/message/push", async (c) => {
		const db = createDb(c.env.DB);
		const body = (await c.req.json().catch(() => ({}))) as { to?: string };
		const messages = await messagesOf(c);
		if (!body.to) return lineError(c, 400, "The property, 'to', in the request body is invalid");
		if (isProblemList(messages)) return lineError(c, 400, "The request body has 1 error(s)", messages);
		const retryKey = c.req.header("x-line-retry-key") ?? null;
		const recorded = await db
			.insert(emulatorLog)
			.values({ at: Date.now(), userId: body.to, kind: "push", body: JSON.stringify(messages), retryKey })
			.onConflictDoNothing()
			.returning({ id: emulatorLog.id });
		if (recorded.length === 0) return lineError(c, 409, "The retry key is already accepted");
		return c.json({
			sentMessages: messages.map(() => ({ id: randomToken(8), quoteToken: randomToken(12) })),
		});
	})
	.get("/v2/bot/richmenu/alias/:aliasId", (c) => {
		const name = RICH_MENU_NAMES.find((n) => RICH_MENU_ALIASES[n] === c.req.param("aliasId"));
		if (!name) return lineError(c, 404, "richmenu alias not found");
		return c.json({ richMenuAliasId: RICH_MENU_ALIASES[name], richMenuId: emulatorRichMenuId(name) });
	})
	// Provisioning (npm run line:richmenus with LINE_API_BASE pointing here). The emulator knows the
	// product's three menus by name and gives each its stable id, so per-user links keep working.
	.get("/v2/bot/richmenu/list", async (c) =>
		c.json({ richmenus: (await provisionedMenus(c)).map(({ hasImage: _, ...menu }) => menu) }),
	)
	.post("/v2/bot/richmenu/validate", async (c) => {
		const problems = richMenuProblems(await c.req.json().catch(() => null));
		if (problems.length)
			return lineError(c, 400, `The request body has ${problems.length} error(s)`, problems);
		return c.json({});
	})
	.post("/v2/bot/richmenu", async (c) => {
		const request = (await c.req.json().catch(() => null)) as messagingApi.RichMenuRequest | null;
		const problems = richMenuProblems(request);
		const menu = request ? menuOfRequestName(request.name) : undefined;
		if (!menu) problems.push("name must start with training-line-unbound/trainee/teacher");
		if (problems.length || !request || !menu)
			return lineError(c, 400, `The request body has ${problems.length} error(s)`, problems);
		const richMenuId = emulatorRichMenuId(menu);
		await recordProvisioning(c, { op: "create", richMenuId, request });
		return c.json({ richMenuId });
	})
	// Images go to LINE's data host (LINE_API_DATA_BASE), which in development is this server too.
	.post("/v2/bot/richmenu/:richMenuId/content", async (c) => {
		const richMenuId = c.req.param("richMenuId");
		if (!menuOfId(richMenuId)) return lineError(c, 404, "Not found");
		if (!/^image\/(png|jpeg)$/.test(c.req.header("content-type") ?? ""))
			return lineError(c, 400, "The content type must be image/png or image/jpeg");
		const bytes = (await c.req.arrayBuffer()).byteLength;
		if (bytes === 0) return lineError(c, 400, "The image is empty");
		await recordProvisioning(c, { op: "image", richMenuId, bytes });
		return c.json({});
	})
	.get("/v2/bot/richmenu/:richMenuId/content", async (c) => {
		const menu = (await provisionedMenus(c)).find((m) => m.richMenuId === c.req.param("richMenuId"));
		if (!menu?.hasImage) return lineError(c, 404, "Not found");
		return c.body(PNG_SIGNATURE, 200, { "content-type": "image/png" });
	})
	.post("/v2/bot/richmenu/alias", async (c) => {
		const body = (await c.req.json().catch(() => ({}))) as { richMenuAliasId?: string; richMenuId?: string };
		return setAlias(c, body.richMenuAliasId ?? "", body.richMenuId ?? "");
	})
	.post("/v2/bot/richmenu/alias/:aliasId", async (c) => {
		const body = (await c.req.json().catch(() => ({}))) as { richMenuId?: string };
		return setAlias(c, c.req.param("aliasId"), body.richMenuId ?? "");
	})
	// Registered before /user/:userId/… so that "all" is not taken for a user id.
	.post("/v2/bot/user/all/richmenu/:richMenuId", async (c) => {
		const richMenuId = c.req.param("richMenuId");
		if (!menuOfId(richMenuId)) return lineError(c, 400, "richmenu not found");
		await recordProvisioning(c, { op: "default", richMenuId });
		return c.json({});
	})
	.post("/v2/bot/user/:userId/richmenu/:richMenuId", async (c) => {
		const menu = menuOfId(c.req.param("richMenuId"));
		if (!menu) return lineError(c, 400, "richmenu not found");
		await createDb(c.env.DB)
			.insert(emulatorLog)
			.values({
				at: Date.now(),
				userId: c.req.param("userId"),
				kind: "rich_menu",
				body: JSON.stringify({ menu }),
			});
		return c.json({});
	})
	.get("/v2/bot/user/:userId/richmenu", async (c) => {
		const menu = await currentEmulatorMenu(createDb(c.env.DB), c.req.param("userId"));
		return c.json({ richMenuId: emulatorRichMenuId(menu) });
	})
	.post("/v2/bot/user/:userId/linkToken", async (c) => {
		const linkToken = randomToken(24);
		await createDb(c.env.DB)
			.insert(emulatorLog)
			.values({
				at: Date.now(),
				userId: c.req.param("userId"),
				kind: "link_token",
				body: JSON.stringify({ linkToken }),
			});
		return c.json({ linkToken });
	})
	.get("/v2/bot/profile/:userId", (c) =>
		c.json({ userId: c.req.param("userId"), displayName: "LINE 使用者", language: "zh-TW" }),
	);

const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

const menuOfRequestName = (name: unknown) =>
	RICH_MENU_NAMES.find((n) => typeof name === "string" && name.startsWith(`training-line-${n}`));

/** The checks LINE makes on a rich menu object that a mistake in our definitions could trip. */
function richMenuProblems(body: unknown): string[] {
	const menu = (body ?? {}) as Partial<messagingApi.RichMenuRequest>;
	const problems: string[] = [];
	const { width, height } = menu.size ?? {};
	if (width !== 2500 || (height !== 843 && height !== 1686))
		problems.push("size must be 2500×843 or 2500×1686");
	if (typeof menu.name !== "string" || menu.name.length === 0 || menu.name.length > 300)
		problems.push("name must be 1–300 characters");
	if (typeof menu.chatBarText !== "string" || menu.chatBarText.length === 0 || menu.chatBarText.length > 14)
		problems.push("chatBarText must be 1–14 characters");
	if (!Array.isArray(menu.areas) || menu.areas.length === 0 || menu.areas.length > 20)
		problems.push("areas must hold 1–20 areas");
	return problems;
}

type Provisioning =
	| { op: "create"; richMenuId: string; request: messagingApi.RichMenuRequest }
	| { op: "image"; richMenuId: string; bytes: number }
	| { op: "alias"; richMenuId: string; aliasId: string }
	| { op: "default"; richMenuId: string };

/** Provisioning calls are logged without a user (the chat page only reads a user's own entries). */
async function recordProvisioning(c: Context<AppEnv>, entry: Provisioning) {
	await createDb(c.env.DB)
		.insert(emulatorLog)
		.values({ at: Date.now(), userId: null, kind: "rich_menu", body: JSON.stringify(entry) });
}

/** The menus created so far, as LINE lists them; an image counts if uploaded after the last create. */
async function provisionedMenus(c: Context<AppEnv>) {
	const rows = await createDb(c.env.DB)
		.select({ body: emulatorLog.body })
		.from(emulatorLog)
		.where(and(isNull(emulatorLog.userId), eq(emulatorLog.kind, "rich_menu")))
		.orderBy(asc(emulatorLog.id));
	const menus = new Map<string, messagingApi.RichMenuRequest & { richMenuId: string; hasImage: boolean }>();
	for (const row of rows) {
		const entry = JSON.parse(row.body) as Provisioning;
		if (entry.op === "create")
			menus.set(entry.richMenuId, { ...entry.request, richMenuId: entry.richMenuId, hasImage: false });
		const menu = menus.get(entry.richMenuId);
		if (entry.op === "image" && menu) menu.hasImage = true;
	}
	return [...menus.values()];
}

/** Aliases are fixed in the emulator (each names its menu); setting one to another menu is refused. */
async function setAlias(c: Context<AppEnv>, aliasId: string, richMenuId: string) {
	const name = RICH_MENU_NAMES.find((n) => RICH_MENU_ALIASES[n] === aliasId);
	if (!name) return lineError(c, 400, "richMenuAliasId is not one of the product's aliases");
	if (menuOfId(richMenuId) !== name) return lineError(c, 400, "richmenu not found");
	await recordProvisioning(c, { op: "alias", richMenuId, aliasId });
	return c.json({});
}

/** The menu a user sees in the emulator: the last one linked to them, else the default (unbound). */
export async function currentEmulatorMenu(
	db: ReturnType<typeof createDb>,
	userId: string,
): Promise<RichMenuName> {
	const last = await db
		.select({ body: emulatorLog.body })
		.from(emulatorLog)
		.where(and(eq(emulatorLog.userId, userId), eq(emulatorLog.kind, "rich_menu")))
		.orderBy(desc(emulatorLog.id))
		.get();
	const menu = last ? (JSON.parse(last.body) as { menu: RichMenuName }).menu : "unbound";
	return RICH_MENU_NAMES.includes(menu) ? menu : "unbound";
}
