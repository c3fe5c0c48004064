// Content-Security-Policy for every page the Worker renders. Pages carry no inline script or style
// (scripts are files under /app, styles under /css), so the policy can stay strict: only our own
// origin, plus the LIFF SDK and the LINE endpoints it calls, and LINE's account-link dialog that
// the binding form redirects to.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { settingsOf } from "../env";

const LIFF_SDK_ORIGIN = "https://static.line-scdn.net";
const LIFF_API_ORIGINS = ["https://api.line.me", "https://liffsdk.line-scdn.net"];

export function contentSecurityPolicy(lineAccessBase: string): string {
	const access = new URL(lineAccessBase).origin;
	return [
		"default-src 'self'",
		`script-src 'self' ${LIFF_SDK_ORIGIN}`,
		"style-src 'self'",
		// data: for the favicon placeholder, blob: for the preview of a photo before it is uploaded.
		"img-src 'self' data: blob:",
		`connect-src 'self' ${[...LIFF_API_ORIGINS, access].join(" ")}`,
		`form-action 'self' ${access}`,
		"frame-ancestors 'none'",
		"base-uri 'none'",
		"object-src 'none'",
	].join("; ");
}

/** Adds the policy to HTML answers only: JSON, images and files need none. */
export function contentSecurity(): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		await next();
		if (c.res.headers.get("content-type")?.startsWith("text/html")) {
			c.res.headers.set("content-security-policy", contentSecurityPolicy(settingsOf(c.env).lineAccessBase));
		}
	};
}
