// The one module that talks to LINE's Messaging API (through @line/bot-sdk with a configurable
// base URL: the real api.line.me in production, the emulator on the dev server in development).
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { type Settings, settingsOf } from "../env";
import { log } from "../log";
import { retryAfterOf } from "./retry-after";

export type LineMessage = messagingApi.Message;

/**
 * How a call ended: LINE's status and request id, whether trying again could help, and how long
 * LINE asked us to wait first (its Retry-After on a 429 or 503, capped; absent when it did not say).
 */
export type LineCallResult =
	| { ok: true; status: number; requestId: string | null }
	| {
			ok: false;
			status: number | null;
			requestId: string | null;
			retryable: boolean;
			error: string;
			retryAfterMs?: number;
	  };

export interface LineApi {
	reply(replyToken: string, messages: LineMessage[]): Promise<LineCallResult>;
	/** retryKey (a UUID) makes LINE send the message once however often it is retried; 409 = already sent. */
	push(to: string, messages: LineMessage[], retryKey: string): Promise<LineCallResult>;
	linkRichMenu(userId: string, richMenuId: string): Promise<LineCallResult>;
	richMenuIdOfAlias(aliasId: string): Promise<string>;
	issueLinkToken(userId: string): Promise<string>;
}

/** A call that takes longer than this is treated as failed (and retried with the same retry key). */
export const LINE_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`LINE API timeout after ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** 429 and 5xx are LINE's "try again later"; timeouts and network errors are ours. */
function failure(err: unknown, operation: string): LineCallResult {
	if (err instanceof HTTPFetchError) {
		const requestId = err.headers.get("x-line-request-id");
		const retryable = err.status === 429 || err.status >= 500;
		// Retry-After is what 429 (rate limit) and 503 (unavailable) carry; elsewhere it means nothing.
		const retryAfterMs =
			err.status === 429 || err.status === 503 ? retryAfterOf(err.headers, Date.now()) : null;
		log.warn("line_api_failed", {
			operation,
			status: err.status,
			requestId,
			retryAfterMs,
			body: err.body.slice(0, 300),
		});
		return {
			ok: false,
			status: err.status,
			requestId,
			retryable,
			error: `HTTP ${err.status}: ${err.body.slice(0, 300)}`,
			...(retryAfterMs === null ? {} : { retryAfterMs }),
		};
	}
	log.warn("line_api_unreachable", { operation, error: String(err) });
	return { ok: false, status: null, requestId: null, retryable: true, error: String(err) };
}

async function callLine(
	operation: string,
	request: () => Promise<{ httpResponse: Response }>,
	timeoutMs: number,
): Promise<LineCallResult> {
	try {
		const { httpResponse } = await withTimeout(request(), timeoutMs);
		return {
			ok: true,
			status: httpResponse.status,
			requestId: httpResponse.headers.get("x-line-request-id"),
		};
	} catch (err) {
		return failure(err, operation);
	}
}

/**
 * The SDK clients for a channel: every LINE call of the product and of its scripts is made through
 * these, so base URLs (production or the dev emulator) are decided in one place.
 */
export function createLineClients(
	channelAccessToken: string,
	settings: Pick<Settings, "lineApiBase" | "lineApiDataBase">,
) {
	return {
		api: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: settings.lineApiBase }),
		/** Binary content (rich-menu images) lives on the data host. */
		blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: settings.lineApiDataBase }),
	};
}

const aliasCache = new Map<string, { richMenuId: string; until: number }>();
const ALIAS_CACHE_MS = 5 * 60_000;

/** `timeoutMs` is for tests of the timeout path; production uses LINE_TIMEOUT_MS. */
export function createLineApi(env: Env, options: { timeoutMs?: number } = {}): LineApi {
	const client = createLineClients(env.LINE_CHANNEL_ACCESS_TOKEN, settingsOf(env)).api;
	const timeoutMs = options.timeoutMs ?? LINE_TIMEOUT_MS;
	const call = (operation: string, request: () => Promise<{ httpResponse: Response }>) =>
		callLine(operation, request, timeoutMs);
	return {
		reply: (replyToken, messages) =>
			call("reply", () => client.replyMessageWithHttpInfo({ replyToken, messages })),
		push: async (to, messages, retryKey) => {
			const result = await call("push", () => client.pushMessageWithHttpInfo({ to, messages }, retryKey));
			// 409 with a retry key means LINE already accepted this very message.
			if (!result.ok && result.status === 409) return { ok: true, status: 409, requestId: result.requestId };
			return result;
		},
		linkRichMenu: (userId, richMenuId) =>
			call("link_rich_menu", () => client.linkRichMenuIdToUserWithHttpInfo(userId, richMenuId)),
		richMenuIdOfAlias: async (aliasId) => {
			const cached = aliasCache.get(aliasId);
			if (cached && cached.until > Date.now()) return cached.richMenuId;
			const alias = await withTimeout(client.getRichMenuAlias(aliasId), timeoutMs);
			aliasCache.set(aliasId, { richMenuId: alias.richMenuId, until: Date.now() + ALIAS_CACHE_MS });
			return alias.richMenuId;
		},
		issueLinkToken: async (userId) => (await withTimeout(client.issueLinkToken(userId), timeoutMs)).linkToken,
	};
}
