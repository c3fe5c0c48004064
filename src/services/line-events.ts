// Handles one stored webhook event: updates what the product knows of the user, decides the answer
// and sends it — as a reply while the reply token is fresh, otherwise as a push through the outbox.
import type { LineApi } from "../line/line-api";
import * as say from "../line/messages";
import { menuForRole } from "../line/rich-menus";
import {
	accountLinkEventSchema,
	type LineEvent,
	postbackEventSchema,
	textMessageEventSchema,
} from "../line/webhook-events";
import { log } from "../log";
import { type Answer, answerPostback, answerText, type ConversationDeps } from "./conversation";
import type { RichMenuPayload } from "./line-delivery";
import { ensureLineUser, lineUserState, recordFollow, recordUnfollow } from "./line-users";
import { type Deliverers, deliverOutbox, enqueue } from "./outbox";

/** LINE accepts a reply token for about a minute; past this age an answer goes by push. */
export const REPLY_TOKEN_FRESH_MS = 50_000;

export type AccountLinkHandler = (
	deps: LineEventDeps,
	userId: string,
	link: { result: "ok" | "failed"; nonce: string },
) => Promise<Answer>;

export type LineEventDeps = ConversationDeps & {
	line: LineApi;
	deliverers: Deliverers;
	/** Completes a binding (the binding service); absent, accountLink events are only logged. */
	onAccountLink?: AccountLinkHandler;
};

const nothing: Answer = { messages: [], outboxIds: [] };

export async function handleLineEvent(deps: LineEventDeps, event: LineEvent): Promise<void> {
	// Standby: another channel is answering this chat (module mode); we must stay silent.
	if (event.mode === "standby") return;
	const source = event.source;
	if (!source) return;
	if (source.type !== "user") {
		// In groups and rooms no userId can be relied on: say once, on joining, where the bot works.
		if (event.type === "join")
			await respond(deps, event, null, { messages: say.oneToOneOnly(), outboxIds: [] });
		return;
	}
	const userId = source.userId;
	const result = await decide(deps, event, userId);
	await respond(deps, event, userId, result);
}

async function decide(deps: LineEventDeps, event: LineEvent, userId: string): Promise<Answer> {
	switch (event.type) {
		case "follow": {
			await recordFollow(deps.db, userId, deps.now);
			const state = await lineUserState(deps.db, userId);
			if (!state.activeRole) return { messages: say.welcome(), outboxIds: [] };
			// Back after unblocking: make sure the menu matches the identity.
			const payload: RichMenuPayload = { menu: menuForRole(state.activeRole) };
			const id = await enqueue(deps.db, { channel: "line_rich_menu", recipient: userId, payload }, deps.now);
			return { messages: say.welcomeBack(state.activeRole), outboxIds: [id] };
		}
		case "unfollow":
			await recordUnfollow(deps.db, userId, deps.now);
			return nothing;
		case "message": {
			await ensureLineUser(deps.db, userId, deps.now);
			const text = textMessageEventSchema.safeParse(event);
			return text.success
				? answerText(deps, userId, text.data.message.text)
				: { messages: say.shortMenu(), outboxIds: [] };
		}
		case "postback": {
			await ensureLineUser(deps.db, userId, deps.now);
			const postback = postbackEventSchema.safeParse(event);
			return postback.success ? answerPostback(deps, userId, postback.data.postback.data) : nothing;
		}
		case "accountLink": {
			await ensureLineUser(deps.db, userId, deps.now);
			const link = accountLinkEventSchema.safeParse(event);
			if (!link.success || !deps.onAccountLink) {
				log.warn("account_link_ignored", { webhookEventId: event.webhookEventId });
				return nothing;
			}
			return deps.onAccountLink(deps, userId, link.data.link);
		}
		default:
			return nothing;
	}
}

function replyTokenIsFresh(event: LineEvent, now: number): event is LineEvent & { replyToken: string } {
	// Redelivered events carry reply tokens that LINE no longer accepts.
	return (
		!!event.replyToken && !event.deliveryContext.isRedelivery && now - event.timestamp < REPLY_TOKEN_FRESH_MS
	);
}

async function respond(
	deps: LineEventDeps,
	event: LineEvent,
	userId: string | null,
	result: Answer,
): Promise<void> {
	const outboxIds = [...result.outboxIds];
	if (result.messages.length > 0) {
		const reply = replyTokenIsFresh(event, deps.now)
			? await deps.line.reply(event.replyToken, result.messages)
			: null;
		if (userId) {
			// The answer is kept in the outbox either way (sent, or to push), keyed by the event: a retried
			// event finds it there and never sends the user a second answer.
			const id = await enqueue(
				deps.db,
				{
					channel: "line_push",
					recipient: userId,
					payload: { messages: result.messages },
					dedupeKey: `answer:${event.webhookEventId}`,
					...(reply?.ok ? { sentAt: deps.now, requestId: reply.requestId } : {}),
				},
				deps.now,
			);
			if (!reply?.ok) outboxIds.unshift(id);
		}
	}
	if (outboxIds.length)
		await deliverOutbox({ db: deps.db, deliverers: deps.deliverers, now: deps.now }, { ids: outboxIds });
}
