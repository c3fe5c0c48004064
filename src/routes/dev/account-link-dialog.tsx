// LINE's account-link dialog, emulated for development at LINE's path: the person confirms, and the
// emulator sends the signed accountLink event (result ok, or failed on cancel) to /webhook/line,
// then shows LINE's completion screen. Like LINE, it links the LINE user who is signed in (the one
// picked in /__dev): a link token issued to another user fails the link.
import { and, desc, eq, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { createDb } from "../../db/client";
import { emulatorLog } from "../../db/schema";
import type { AppEnv } from "../../env";
import { signLineBody } from "../../line/signature";
import { randomToken } from "../../services/random";
import { DialogDone, DialogPage } from "../../views/dev-dialog";
import { htmlDocument } from "../../views/document";
import type { Dispatch } from "./chat";
import { developmentOnly } from "./development-only";
import { emulatorReplyToken } from "./line-api-emulator";

const params = z.object({ linkToken: z.string().min(1).max(200), nonce: z.string().min(1).max(256) });
const lineUserId = z.string().regex(/^U[0-9a-f]{32}$/);

/**
 * The LINE user "signed in to LINE": the one picked in the /__dev chat (its cookie), or a userId the
 * caller passes; null when neither says (the dialog then acts for the link token's own user).
 */
function signedInUser(c: Context<AppEnv>, form: Record<string, unknown>): string | null {
	const picked = lineUserId.safeParse(form.userId ?? getCookie(c, "tl_dev_user"));
	return picked.success ? picked.data : null;
}

const OTHER_ACCOUNT =
	"這個連結屬於其他 LINE 帳號，無法與目前登入的 LINE 帳號連動。請在您自己的 LINE 點選「身分認證」→「綁定帳號」重新領取綁定連結，並用收到連結的 LINE 帳號開啟。";

/** The LINE user a link token was issued to, from the emulator's own record. */
async function userOfLinkToken(db: ReturnType<typeof createDb>, linkToken: string): Promise<string | null> {
	const row = await db
		.select({ userId: emulatorLog.userId })
		.from(emulatorLog)
		.where(
			and(
				eq(emulatorLog.kind, "link_token"),
				sql`json_extract(${emulatorLog.body}, '$.linkToken') = ${linkToken}`,
			),
		)
		.orderBy(desc(emulatorLog.id))
		.get();
	return row?.userId ?? null;
}

export function accountLinkDialogRoutes(dispatch: Dispatch) {
	return new Hono<AppEnv>()
		.use("/dialog/*", developmentOnly())
		.get("/dialog/bot/accountLink", async (c) => {
			const query = params.safeParse(c.req.query());
			if (!query.success)
				return c.html(htmlDocument(<DialogDone ok={false} message="連結參數不正確。" />), 400);
			return c.html(htmlDocument(<DialogPage linkToken={query.data.linkToken} nonce={query.data.nonce} />));
		})
		.post("/dialog/bot/accountLink", async (c) => {
			const form = params
				.extend({ decision: z.enum(["allow", "cancel"]), userId: lineUserId.optional() })
				.safeParse(await c.req.parseBody());
			if (!form.success)
				return c.html(htmlDocument(<DialogDone ok={false} message="連結參數不正確。" />), 400);
			const db = createDb(c.env.DB);
			const owner = await userOfLinkToken(db, form.data.linkToken);
			if (!owner)
				return c.html(
					htmlDocument(<DialogDone ok={false} message="這個連結已失效（linkToken 不存在）。" />),
					400,
				);
			const userId = signedInUser(c, form.data) ?? owner;
			// LINE refuses a link token of another user and sends that user's attempt as "failed".
			const otherAccount = userId !== owner;
			const ok = form.data.decision === "allow" && !otherAccount;
			const event = {
				type: "accountLink",
				mode: "active",
				timestamp: Date.now(),
				webhookEventId: `01DEV${randomToken(15).toUpperCase()}`,
				deliveryContext: { isRedelivery: false },
				source: { type: "user", userId },
				// LINE sends no reply token when linking failed.
				...(ok ? { replyToken: emulatorReplyToken(userId) } : {}),
				link: { result: ok ? "ok" : "failed", nonce: form.data.nonce },
			};
			const body = JSON.stringify({ destination: "Udev0000000000000000000000000000", events: [event] });
			const request = new Request(new URL("/webhook/line", c.req.url), {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-line-signature": await signLineBody(c.env.LINE_CHANNEL_SECRET, body),
				},
				body,
			});
			await dispatch(request, c.env, c.executionCtx);
			if (otherAccount) return c.html(htmlDocument(<DialogDone ok={false} message={OTHER_ACCOUNT} />), 403);
			return c.html(
				htmlDocument(
					<DialogDone ok={ok} message={ok ? "已完成連動，請回到 LINE 聊天室。" : "已取消連動。"} />,
				),
			);
		});
}
