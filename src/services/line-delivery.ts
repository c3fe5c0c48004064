// Outbox deliverers for LINE: pushes (with the row's retry key) and per-user rich-menu links.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { lineUsers } from "../db/schema";
import type { LineApi, LineCallResult, LineMessage } from "../line/line-api";
import { menuForRole, RICH_MENU_ALIASES, type RichMenuName } from "../line/rich-menus";
import { lineUserState } from "./line-users";
import type { Deliverers, DeliveryResult } from "./outbox";

export type PushPayload = { messages: LineMessage[] };
/** The menu wanted when queued (for the record); delivery links the user's current one. */
export type RichMenuPayload = { menu: RichMenuName };

function toDelivery(result: LineCallResult): DeliveryResult {
	return result.ok
		? { ok: true, requestId: result.requestId }
		: {
				ok: false,
				retryable: result.retryable,
				error: result.error,
				requestId: result.requestId,
				// LINE's own "not before": the outbox waits at least this long before the next try.
				...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
			};
}

export function lineDeliverers(db: Db, line: LineApi): Deliverers {
	return {
		line_push: async (row) => {
			const { messages } = JSON.parse(row.payload) as PushPayload;
			return toDelivery(await line.push(row.recipient, messages, row.retryKey));
		},
		line_rich_menu: async (row) => {
			// The row says which menu was wanted when it was queued; a retry may run after a later
			// switch already linked another one. What counts is the user's identity now.
			const menu = menuForRole((await lineUserState(db, row.recipient)).activeRole);
			let richMenuId: string;
			try {
				richMenuId = await line.richMenuIdOfAlias(RICH_MENU_ALIASES[menu]);
			} catch (err) {
				return { ok: false, retryable: true, error: `rich menu alias ${menu}: ${String(err)}` };
			}
			const result = await line.linkRichMenu(row.recipient, richMenuId);
			if (result.ok)
				await db.update(lineUsers).set({ richMenu: menu }).where(eq(lineUsers.userId, row.recipient));
			return toDelivery(result);
		},
	};
}
