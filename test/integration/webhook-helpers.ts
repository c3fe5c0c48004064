// Sending signed webhooks to the Worker the way LINE does, and waiting for their handling.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { signLineBody } from "../../src/line/signature";

let sequence = 0;
const nextEventId = () =>
	`01TEST${Date.now().toString(36).toUpperCase()}${(++sequence).toString(36).toUpperCase().padStart(6, "0")}`;

type EventOptions = {
	redelivery?: boolean;
	mode?: "active" | "standby";
	timestamp?: number;
	webhookEventId?: string;
};

function base(userId: string | null, options: EventOptions, source?: object) {
	return {
		webhookEventId: options.webhookEventId ?? nextEventId(),
		timestamp: options.timestamp ?? Date.now(),
		mode: options.mode ?? "active",
		deliveryContext: { isRedelivery: options.redelivery ?? false },
		source: source ?? { type: "user", userId },
	};
}

export const lineEvent = {
	text: (userId: string, text: string, o: EventOptions = {}) => ({
		...base(userId, o),
		type: "message",
		replyToken: `reply-${nextEventId()}`,
		message: { type: "text", id: "1", quoteToken: "q", text },
	}),
	postback: (userId: string, data: string, o: EventOptions = {}) => ({
		...base(userId, o),
		type: "postback",
		replyToken: `reply-${nextEventId()}`,
		postback: { data },
	}),
	follow: (userId: string, isUnblocked = false, o: EventOptions = {}) => ({
		...base(userId, o),
		type: "follow",
		replyToken: `reply-${nextEventId()}`,
		follow: { isUnblocked },
	}),
	unfollow: (userId: string, o: EventOptions = {}) => ({ ...base(userId, o), type: "unfollow" }),
	groupText: (groupId: string, text: string, o: EventOptions = {}) => ({
		...base(null, o, { type: "group", groupId, userId: "U1234567890abcdef1234567890abcdef" }),
		type: "message",
		replyToken: `reply-${nextEventId()}`,
		message: { type: "text", id: "1", quoteToken: "q", text },
	}),
	join: (groupId: string, o: EventOptions = {}) => ({
		...base(null, o, { type: "group", groupId }),
		type: "join",
		replyToken: `reply-${nextEventId()}`,
	}),
	roomText: (roomId: string, text: string, o: EventOptions = {}) => ({
		...base(null, o, { type: "room", roomId, userId: "U1234567890abcdef1234567890abcdef" }),
		type: "message",
		replyToken: `reply-${nextEventId()}`,
		message: { type: "text", id: "1", quoteToken: "q", text },
	}),
	roomJoin: (roomId: string, o: EventOptions = {}) => ({
		...base(null, o, { type: "room", roomId }),
		type: "join",
		replyToken: `reply-${nextEventId()}`,
	}),
};

/** POSTs a raw body with the given signature; waits until waitUntil work is done. */
export async function postWebhook(body: string | Uint8Array, signature: string | null): Promise<Response> {
	const headers: Record<string, string> = { "content-type": "application/json" };
	if (signature !== null) headers["x-line-signature"] = signature;
	const ctx = createExecutionContext();
	const res = await worker.fetch(
		new Request("https://training-line.test/webhook/line", { method: "POST", headers, body }),
		env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return res;
}

/** Sends events as LINE does: one signed body. */
export async function sendEvents(...events: object[]): Promise<Response> {
	const body = JSON.stringify({ destination: "Ubot", events });
	return postWebhook(body, await signLineBody(env.LINE_CHANNEL_SECRET, body));
}
