// Dashboard sessions: the signed cookie is checked on every /admin request; the member is loaded
// (one query) and the cookie's idle clock is renewed at most every few minutes.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type AppEnv, settingsOf } from "../env";
import { AppError } from "../errors";
import {
	activeStaff,
	mintStaffSession,
	readStaffSession,
	type StaffSessionClaims,
} from "../services/staff-auth";

export const STAFF_COOKIE = "tl_admin";
const RENEW_AFTER_MS = 5 * 60_000;

export async function setStaffCookie(c: Context<AppEnv>, claims: StaffSessionClaims): Promise<void> {
	setCookie(c, STAFF_COOKIE, await mintStaffSession(c.env.SESSION_COOKIE_KEY, claims), {
		path: "/admin",
		httpOnly: true,
		secure: !settingsOf(c.env).isDevelopment,
		sameSite: "Lax",
	});
}

export const clearStaffCookie = (c: Context<AppEnv>) => deleteCookie(c, STAFF_COOKIE, { path: "/admin" });

/** Signed-in staff only; anyone else is sent to the sign-in page (pages) or gets 401 (other requests). */
export const requireStaff = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		const now = Date.now();
		const token = getCookie(c, STAFF_COOKIE);
		const claims = token ? await readStaffSession(c.env.SESSION_COOKIE_KEY, token, now) : null;
		const member = claims ? await activeStaff(createDb(c.env.DB), claims) : null;
		if (!claims || !member) {
			if (token) clearStaffCookie(c);
			// The pages' API calls get the error envelope; a page goes to the sign-in form.
			if (c.req.path.startsWith("/admin/api/"))
				throw new AppError("UNAUTHORIZED", "登入已逾時，請重新登入管理後台");
			const back = encodeURIComponent(new URL(c.req.url).pathname);
			return c.redirect(`/admin/login?next=${back}`, 303);
		}
		c.set("staff", member);
		if (now - claims.activeAt > RENEW_AFTER_MS) await setStaffCookie(c, { ...claims, activeAt: now });
		await next();
	});
