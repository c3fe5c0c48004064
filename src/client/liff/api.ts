// Calls to /api/liff with the LIFF ID token. Errors arrive as {"error":{"code","message"}} with a
// zh-TW message; an expired token signs in again (the draft waits in sessionStorage).
import { saveDraft } from "./dom";
import { liff } from "./sdk";

export class ApiError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly status: number,
	) {
		super(message);
	}
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
	const headers = new Headers(init.headers);
	const idToken = liff.getIDToken();
	if (idToken) headers.set("authorization", `Bearer ${idToken}`);
	if (typeof init.body === "string") headers.set("content-type", "application/json");
	let res: Response;
	try {
		res = await fetch(path, { ...init, headers });
	} catch {
		throw new ApiError("OFFLINE", "無法連線，請確認網路後再試一次。", 0);
	}
	const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
	if (res.ok) return body as T;
	const error = body?.error ?? {
		code: "HTTP_ERROR",
		message: `系統暫時無法使用（${res.status}），請稍後再試。`,
	};
	if (error.code === "ID_TOKEN_EXPIRED") {
		saveDraft();
		// liff.login() is not available in LINE's in-app browser; there a reload lets liff.init()
		// fetch a fresh token. The draft waits in sessionStorage either way.
		if (liff.isInClient()) location.reload();
		else liff.login({ redirectUri: location.href });
		throw new ApiError(error.code, "登入已逾時，正在重新登入…", res.status);
	}
	throw new ApiError(error.code, error.message, res.status);
}

/** Runs an action of a button; its error is shown in a dialog (a sign-in round trip says nothing). */
export async function run(action: () => Promise<unknown>): Promise<void> {
	try {
		await action();
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		alert(err instanceof Error ? err.message : "操作失敗，請稍後再試。");
	}
}

/** The message to show for an error of an API call. */
export const messageOf = (err: unknown, fallback = "操作失敗，請稍後再試。") =>
	err instanceof Error && err.message ? err.message : fallback;
