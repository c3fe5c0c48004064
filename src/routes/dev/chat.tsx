// /__dev — the LINE chat emulator: pick a demo LINE user, press their rich-menu buttons or type,
// and the page sends correctly signed webhook events to /webhook/line and shows what the bot sent.
import { and, asc, desc, eq, gt, inArray, like, or } from "drizzle-orm";
import { Hono, type ExecutionContext as HonoExecutionContext } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { emulatorLog } from "../../db/schema";
import { DEMO_LINE_USERS } from "../../demo/seed";
import { type AppEnv, settingsOf } from "../../env";
import { menuAreas, RICH_MENU_IMAGES, richMenuDefinitions } from "../../line/rich-menus";
import { signLineBody } from "../../line/signature";
import { jsonBody, queryParams } from "../../middleware/validate";
import { randomToken } from "../../services/random";
import { DevChatPage } from "../../views/dev-chat";
import { htmlDocument } from "../../views/document";
import { developmentOnly } from "./development-only";
import { currentEmulatorMenu, emulatorReplyToken } from "./line-api-emulator";

export type Dispatch = (
	request: Request,
	env: Env,
	ctx: HonoExecutionContext,
) => Response | Promise<Response>;

const userId = z.string().regex(/^U[0-9a-f]{32}$/, "LINE userId 格式不正確");

export const DEMO_USER_LABELS: { userId: string; label: string }[] = [
	{ userId: DEMO_LINE_USERS.unbound, label: "新朋友（未綁定）" },
	{ userId: DEMO_LINE_USERS.trainee, label: "學員（已綁定）" },
	{ userId: DEMO_LINE_USERS.teacher, label: "教師（已綁定）" },
	{ userId: DEMO_LINE_USERS.both, label: "學員＋教師" },
];

const sendSchema = z.object({
	userId,
	event: z.discriminatedUnion("type", [
		z.object({ type: z.literal("text"), text: z.string().min(1).max(5000) }),
		z.object({
			type: z.literal("postback"),
			data: z.string().max(300),
			displayText: z.string().max(300).optional(),
		}),
		z.object({ type: z.literal("follow") }),
		z.object({ type: z.literal("unfollow") }),
	]),
});

/** A webhook event as LINE would send it for what the emulated user did. */
function webhookEvent(
	user: string,
	input: z.infer<typeof sendSchema>["event"],
	now: number,
	wasBlocked: boolean,
) {
	const base = {
		webhookEventId: `01DEV${randomToken(15).toUpperCase()}`,
		timestamp: now,
		mode: "active",
		deliveryContext: { isRedelivery: false },
		source: { type: "user", userId: user },
	};
	const replyToken = emulatorReplyToken(user);
	switch (input.type) {
		case "text":
			return {
				...base,
				type: "message",
				replyToken,
				message: { type: "text", id: randomToken(8), quoteToken: randomToken(12), text: input.text },
			};
		case "postback":
			return { ...base, type: "postback", replyToken, postback: { data: input.data } };
		case "follow":
			return { ...base, type: "follow", replyToken, follow: { isUnblocked: wasBlocked } };
		case "unfollow":
			return { ...base, type: "unfollow" };
	}
}

export function devChatRoutes(dispatch: Dispatch) {
	return new Hono<AppEnv>()
		.use("*", developmentOnly())
		.get("/", (c) => c.html(htmlDocument(<DevChatPage users={DEMO_USER_LABELS} />)))
		.get(
			"/api/chat",
			queryParams(z.object({ userId, after: z.coerce.number().int().min(0).default(0) })),
			async (c) => {
				const { userId: user, after } = c.req.valid("query");
				const db = createDb(c.env.DB);
				const menuName = await currentEmulatorMenu(db, user);
				const definition = richMenuDefinitions(settingsOf(c.env))[menuName];
				const entries = await db
					.select({ id: emulatorLog.id, at: emulatorLog.at, kind: emulatorLog.kind, body: emulatorLog.body })
					.from(emulatorLog)
					.where(
						and(
							eq(emulatorLog.userId, user),
							gt(emulatorLog.id, after),
							inArray(emulatorLog.kind, ["reply", "push", "user_event", "rich_menu"]),
						),
					)
					.orderBy(asc(emulatorLog.id))
					.limit(200);
				return c.json({
					menu: {
						name: menuName,
						image: `/${RICH_MENU_IMAGES[menuName]}`,
						size: definition.size,
						chatBarText: definition.chatBarText,
						areas: menuAreas(definition),
					},
					entries: entries.map((e) => ({ ...e, body: JSON.parse(e.body) })),
				});
			},
		)
		.get("/api/inbox", async (c) => {
			// The development code sender's SMS and e-mail, newest first.
			const rows = await createDb(c.env.DB)
				.select({ id: emulatorLog.id, at: emulatorLog.at, kind: emulatorLog.kind, body: emulatorLog.body })
				.from(emulatorLog)
				.where(inArray(emulatorLog.kind, ["sms", "email"]))
				.orderBy(desc(emulatorLog.id))
				.limit(20);
			return c.json({
				messages: rows.map((r) => ({ ...r, ...(JSON.parse(r.body) as { to: string; text: string }) })),
			});
		})
		.post("/api/send", jsonBody(sendSchema), async (c) => {
			const { userId: user, event: input } = c.req.valid("json");
			const db = createDb(c.env.DB);
			const now = Date.now();
			const wasBlocked = input.type === "follow" && (await lastFollowState(db, user)) === "unfollow";
			const shown =
				input.type === "text" ? input.text : input.type === "postback" ? (input.displayText ?? null) : null;
			await db.insert(emulatorLog).values({
				at: now,
				userId: user,
				kind: "user_event",
				body: JSON.stringify({ type: input.type, text: shown }),
			});
			const body = JSON.stringify({
				destination: "Udev0000000000000000000000000000",
				events: [webhookEvent(user, input, now, wasBlocked)],
			});
			const request = new Request(new URL("/webhook/line", c.req.url), {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-line-signature": await signLineBody(c.env.LINE_CHANNEL_SECRET, body),
				},
				body,
			});
			const res = await dispatch(request, c.env, c.executionCtx);
			return c.json({ webhookStatus: res.status }, res.ok ? 200 : 502);
		});
}

/** Whether the emulated user last followed or unfollowed (for follow.isUnblocked). */
async function lastFollowState(
	db: ReturnType<typeof createDb>,
	user: string,
): Promise<"follow" | "unfollow" | null> {
	const last = await db
		.select({ body: emulatorLog.body })
		.from(emulatorLog)
		.where(
			and(
				eq(emulatorLog.userId, user),
				eq(emulatorLog.kind, "user_event"),
				or(like(emulatorLog.body, '%"type":"follow"%'), like(emulatorLog.body, '%"type":"unfollow"%')),
			),
		)
		.orderBy(desc(emulatorLog.id))
		.get();
	return last ? (JSON.parse(last.body) as { type: "follow" | "unfollow" }).type : null;
}
