// The dashboard as a browser tab drives it, shared by the admin integration tests.
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../../src/demo/seed";
import { devFetch, ORIGIN } from "./dev-server";

/** A browser tab on the dashboard: keeps its cookie and sends the Origin a browser sends. */
export function tab() {
	let cookie = "";
	async function go(path: string, init: RequestInit = {}) {
		const headers = new Headers(init.headers);
		if (cookie) headers.set("cookie", cookie);
		const res = await devFetch(new Request(new URL(path, ORIGIN), { ...init, headers, redirect: "manual" }));
		const set = res.headers.get("set-cookie");
		if (set) cookie = set.split(";")[0] ?? "";
		return res;
	}
	return {
		get cookie() {
			return cookie;
		},
		get: (path: string) => go(path),
		/** Any request (JSON, multipart…) with the tab's cookie; set its Origin yourself. */
		send: (path: string, init: RequestInit) => go(path, init),
		/** A form with one file input named "file", as the CSV import pages post it. */
		postFile: (path: string, file: File) => {
			const body = new FormData();
			body.append("file", file);
			return go(path, { method: "POST", headers: { origin: ORIGIN }, body });
		},
		post: (path: string, form: Record<string, string | string[]>, origin = ORIGIN) => {
			const body = new URLSearchParams();
			for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
			return go(path, {
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded", origin },
				body: body.toString(),
			});
		},
	};
}

/** A tab signed in to the dashboard with a demo login. */
export async function signedIn(email: string) {
	const t = tab();
	const res = await t.post("/admin/login", { email, password: DEMO_PASSWORD });
	expect(res.status).toBe(303);
	return t;
}
