// LINE's account-link dialog, emulated for development at LINE's path: the person confirms, and the
// emulator sends the signed accountLink event (result ok, or failed on cancel) to /webhook/line,
// then shows LINE's completion screen.
import { and, desc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
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
				.extend({ decision: z.enum(["allow", "cancel"]) })
				.safeParse(await c.req.parseBody());
			if (!form.success)
				return c.html(htmlDocument(<DialogDone ok={false} message="連結參數不正確。" />), 400);
			const db = createDb(c.env.DB);
			const userId = await userOfLinkToken(db, form.data.linkToken);
			if (!userId)
				return c.html(
					htmlDocument(<DialogDone ok={false} message="這個連結已失效（linkToken 不存在）。" />),
					400,
				);
			const ok = form.data.decision === "allow";
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
			return c.html(
				htmlDocument(
					<DialogDone ok={ok} message={ok ? "已完成連動，請回到 LINE 聊天室。" : "已取消連動。"} />,
				),
			);
		});
}
