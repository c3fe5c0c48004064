// LINE's servers faked at the HTTP boundary (globalThis.fetch): records every call the product
// makes and answers like LINE, with scripted failures for pushes.
import { vi } from "vitest";

export type LineCall = {
	method: string;
	path: string;
	headers: Headers;
	body: unknown;
	/** How the fake answered (absent while, or if never, answered). */
	response?: { status: number; requestId: string | null };
};
/** A scripted answer for the next push: an HTTP status, a network failure, or no answer at all. */
export type PushOutcome = number | "network-error" | "accepted-then-lost" | "never-answers";

export function installFakeLine() {
	const calls: LineCall[] = [];
	const pushPlan: PushOutcome[] = [];
	/** Paths that answer with an error status (and headers, e.g. Retry-After) until removed (LINE having a bad minute). */
	const failing: { path: RegExp; status: number; headers?: Record<string, string> }[] = [];
	const acceptedRetryKeys = new Set<string>();
	const richMenus = new Map<string, { name: string; hasImage: boolean }>();
	const aliases = new Map<string, string>();
	let defaultRichMenu: string | null = null;
	let nextId = 1;

	const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
		new Response(JSON.stringify(body), {
			status,
			headers: { "content-type": "application/json", "x-line-request-id": `req-${nextId++}`, ...headers },
		});

	const answer = async (request: Request, body: unknown): Promise<Response> => {
		const path = new URL(request.url).pathname;
		const failure = failing.find((f) => f.path.test(path));
		if (failure) return json({ message: `fake failure ${failure.status}` }, failure.status, failure.headers);

		if (path === "/v2/bot/message/reply") return json({ sentMessages: [] });
		if (path === "/v2/bot/message/push") {
			const outcome = pushPlan.shift() ?? 200;
			if (outcome === "network-error") throw new TypeError("Network connection lost.");
			// LINE hangs: only the caller's timeout ends the call.
			if (outcome === "never-answers") return new Promise<Response>(() => {});
			const key = request.headers.get("x-line-retry-key") ?? "";
			if (outcome === "accepted-then-lost") {
				// LINE took the message, but its answer never reached us.
				acceptedRetryKeys.add(key);
				throw new TypeError("Network connection lost.");
			}
			if (outcome === 200 && acceptedRetryKeys.has(key))
				return json({ message: "The retry key is already accepted" }, 409);
			if (outcome === 200) acceptedRetryKeys.add(key);
			return json(outcome === 200 ? { sentMessages: [] } : { message: `fake failure ${outcome}` }, outcome);
		}
		let m = /^\/v2\/bot\/user\/([^/]+)\/linkToken$/.exec(path);
		if (m) return json({ linkToken: `link-token-${nextId++}` });
		m = /^\/v2\/bot\/richmenu\/alias\/([^/]+)$/.exec(path);
		if (m && request.method === "GET") {
			const id = aliases.get(m[1] as string);
			return id ? json({ richMenuAliasId: m[1], richMenuId: id }) : json({ message: "Not found" }, 404);
		}
		if (m && request.method === "POST") {
			aliases.set(m[1] as string, (body as { richMenuId: string }).richMenuId);
			return json({});
		}
		if (path === "/v2/bot/richmenu/alias" && request.method === "POST") {
			const b = body as { richMenuAliasId: string; richMenuId: string };
			aliases.set(b.richMenuAliasId, b.richMenuId);
			return json({});
		}
		m = /^\/v2\/bot\/user\/all\/richmenu\/([^/]+)$/.exec(path);
		if (m) {
			defaultRichMenu = m[1] as string;
			return json({});
		}
		m = /^\/v2\/bot\/user\/([^/]+)\/richmenu\/([^/]+)$/.exec(path);
		if (m) return json({});
		if (path === "/v2/bot/richmenu/validate") return json({});
		if (path === "/v2/bot/richmenu/list") {
			return json({
				richmenus: [...richMenus].map(([richMenuId, menu]) => ({ richMenuId, name: menu.name })),
			});
		}
		if (path === "/v2/bot/richmenu" && request.method === "POST") {
			const richMenuId = `richmenu-${nextId++}`;
			richMenus.set(richMenuId, { name: (body as { name: string }).name, hasImage: false });
			return json({ richMenuId });
		}
		m = /^\/v2\/bot\/richmenu\/([^/]+)\/content$/.exec(path);
		if (m) {
			const menu = richMenus.get(m[1] as string);
			if (!menu) return json({ message: "Not found" }, 404);
			if (request.method === "POST") {
				menu.hasImage = true;
				return json({});
			}
			return menu.hasImage
				? new Response(new Uint8Array([137, 80, 78, 71]))
				: json({ message: "Not found" }, 404);
		}
		return json({ message: `fake LINE does not know ${request.method} ${path}` }, 404);
	};

	const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input as RequestInfo, init as RequestInit);
		// Images are not text: only their arrival matters here.
		const binary = request.headers.get("content-type")?.startsWith("image/");
		const text = request.method === "GET" || binary ? "" : await request.clone().text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : null;
		} catch {}
		const call: LineCall = {
			method: request.method,
			path: new URL(request.url).pathname,
			headers: request.headers,
			body,
		};
		calls.push(call);
		const response = await answer(request, body);
		call.response = { status: response.status, requestId: response.headers.get("x-line-request-id") };
		return response;
	});

	/** The three menus as if `npm run line:richmenus` had run: alias training-line-X → richmenu-X. */
	const provisionMenus = () => {
		for (const name of ["unbound", "trainee", "teacher"])
			aliases.set(`training-line-${name}`, `richmenu-${name}`);
	};
	const of = (path: string) => calls.filter((c) => c.path === path);
	return {
		calls,
		pushPlan,
		failing,
		acceptedRetryKeys,
		richMenus,
		aliases,
		provisionMenus,
		defaultRichMenu: () => defaultRichMenu,
		replies: () =>
			of("/v2/bot/message/reply").map((c) => c.body as { replyToken: string; messages: Message[] }),
		pushes: () =>
			of("/v2/bot/message/push").map((c) => ({
				...(c.body as { to: string; messages: Message[] }),
				retryKey: c.headers.get("x-line-retry-key"),
			})),
		menuLinks: () =>
			calls
				.map((c) => /^\/v2\/bot\/user\/([^/]+)\/richmenu\/([^/]+)$/.exec(c.path))
				.filter((m): m is RegExpExecArray => m !== null && m[1] !== "all")
				.map((m) => ({ userId: m[1], richMenuId: m[2] })),
		reset: () => {
			calls.length = 0;
			pushPlan.length = 0;
		},
		restore: () => spy.mockRestore(),
	};
}

export type FakeLine = ReturnType<typeof installFakeLine>;
export type Message = {
	type: string;
	text?: string;
	altText?: string;
	template?: {
		type: string;
		title?: string;
		text: string;
		actions: { type: string; label: string; data?: string; uri?: string }[];
	};
	contents?: unknown;
	quickReply?: { items: { action: { label: string; data?: string } }[] };
};

/** Everything a person reads in these messages, for assertions. */
export const textOf = (messages: Message[]) => JSON.stringify(messages);
