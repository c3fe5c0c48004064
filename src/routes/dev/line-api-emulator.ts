// The LINE Messaging API as the product uses it, emulated for development at LINE's own paths
// (@line/bot-sdk keeps only the origin of its base URL). It records what it receives in
// emulator_log, where the /__dev chat page reads it, and refuses what LINE would refuse.
import type { messagingApi } from "@line/bot-sdk";
import { and, desc, eq } from "drizzle-orm";
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
