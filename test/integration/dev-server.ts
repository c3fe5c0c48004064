// The Worker as `npm start` runs it: development mode, LINE's base URLs pointing back at the Worker,
// so the emulator answers the product's LINE calls. A tiny cookie-keeping "browser" drives pages.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { vi } from "vitest";
import worker from "../../src/index";

export const ORIGIN = "https://training-line.test";
export const devEnv = {
	...env,
	ENVIRONMENT: "development",
	PUBLIC_BASE_URL: ORIGIN,
	LINE_API_BASE: ORIGIN,
	LINE_API_DATA_BASE: ORIGIN,
	LINE_ACCESS_BASE: ORIGIN,
} as Env;

export async function devFetch(request: Request, environment: Env = devEnv): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await worker.fetch(request, environment, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

/** Routes the Worker's own outbound calls to ORIGIN back into it (as wrangler dev does). */
export function routeLineToEmulator() {
	const original = globalThis.fetch;
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input as RequestInfo, init as RequestInit);
		return request.url.startsWith(ORIGIN) ? devFetch(request) : original(request);
	});
}

/** A browser tab: keeps cookies, does not follow redirects (tests look at them). */
export function browserTab() {
	const cookies = new Map<string, string>();
	async function go(path: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
		const res = await devFetch(new Request(new URL(path, ORIGIN), { ...init, headers, redirect: "manual" }));
		// One Set-Cookie per response is all these pages send.
		for (const line of [res.headers.get("set-cookie")].filter((l): l is string => !!l)) {
			const [pair] = line.split(";");
			const [name, value] = (pair ?? "").split("=");
			if (name) cookies.set(name.trim(), value ?? "");
		}
		return res;
	}
	return {
		cookies,
		get: (path: string) => go(path),
		post: (path: string, form: Record<string, string>) =>
			go(path, {
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams(form).toString(),
			}),
	};
}

type ChatEntry = { id: number; kind: string; body: unknown };

/** The emulator chat of a LINE user: what they did and what the bot sent. */
export async function chatOf(userId: string): Promise<{ menu: { name: string }; entries: ChatEntry[] }> {
	return (await (await devFetch(new Request(`${ORIGIN}/__dev/api/chat?userId=${userId}`))).json()) as {
		menu: { name: string };
		entries: ChatEntry[];
	};
}

export async function sendAsUser(userId: string, event: object): Promise<Response> {
	return devFetch(
		new Request(`${ORIGIN}/__dev/api/send`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ userId, event }),
		}),
	);
}

/** The newest code the development sender "sent" to this address. */
export async function latestCodeFor(address: string): Promise<string> {
	const { messages } = (await (await devFetch(new Request(`${ORIGIN}/__dev/api/inbox`))).json()) as {
		messages: { to: string; text: string }[];
	};
	const text = messages.find((m) => m.to === address)?.text ?? "";
	return /(\d{6})/.exec(text)?.[1] ?? "";
}

export const freshLineUser = () => `U${crypto.randomUUID().replace(/-/g, "")}`;

/** A LIFF API call as the page makes it: signed in as `userId` with an ID token the emulator signs. */
export async function liffCall(userId: string, path: string, init: RequestInit & { json?: unknown } = {}) {
	const { signDevIdToken } = await import("../../src/routes/dev/id-token-emulator");
	const token = await signDevIdToken(userId, {
		issuer: ORIGIN,
		channelId: env.LINE_LOGIN_CHANNEL_ID,
		now: Date.now(),
	});
	const headers = new Headers(init.headers);
	headers.set("authorization", `Bearer ${token}`);
	if (init.json !== undefined) headers.set("content-type", "application/json");
	const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
	return devFetch(new Request(`${ORIGIN}${path}`, { ...init, headers, body }));
}
