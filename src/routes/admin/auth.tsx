// /admin/login and /admin/logout. Cross-site form posts are refused (Origin check); the sign-in
// itself rate-limits through the account lockout.
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { log } from "../../log";
import { clearStaffCookie, STAFF_COOKIE, setStaffCookie } from "../../middleware/staff-session";
import { endStaffSessions, readStaffSession, signIn } from "../../services/staff-auth";
import { LoginPage } from "../../views/admin/login";
import { htmlDocument } from "../../views/document";

/** Only a path of the dashboard itself: never an open redirect. */
const safeNext = (next: unknown) =>
	typeof next === "string" && /^\/admin(\/[\w\-/?=&%.]*)?$/.test(next) && !next.startsWith("//")
		? next
		: "/admin";

const loginForm = z.object({
	email: z.string().trim().min(1).max(200),
	password: z.string().min(1).max(200),
	next: z.string().max(300).optional(),
});

export const adminAuthRoutes = new Hono<AppEnv>()
	.get("/login", (c) => {
		// After a password was set through a link (see password.tsx).
		const notice = c.req.query("password") === "set" ? "密碼已設定，請用新密碼登入。" : undefined;
		return c.html(htmlDocument(<LoginPage next={safeNext(c.req.query("next"))} notice={notice} />));
	})
	.post("/login", async (c) => {
		const form = loginForm.safeParse(await c.req.parseBody());
		if (!form.success) return c.html(htmlDocument(<LoginPage error="請輸入電子郵件和密碼。" />), 400);
		const { email, password, next } = form.data;
		const now = Date.now();
		const result = await signIn(createDb(c.env.DB), email, password, now);
		if (!result.ok) {
			log.warn("staff_login_refused", { reason: result.reason, requestId: c.get("requestId") });
			const error =
				result.reason === "locked"
					? "登入失敗次數過多，帳號暫停登入 15 分鐘，請稍後再試或洽單位管理者。"
					: "電子郵件或密碼不正確。";
			return c.html(htmlDocument(<LoginPage error={error} email={email} next={safeNext(next)} />), 401);
		}
		await setStaffCookie(c, {
			staffId: result.staff.id,
			version: result.sessionVersion,
			startedAt: now,
			activeAt: now,
		});
		return c.redirect(safeNext(next), 303);
	})
	.post("/logout", async (c) => {
		// The cookie stops working on the server too: a copy replayed later signs nobody in.
		const now = Date.now();
		const token = getCookie(c, STAFF_COOKIE);
		const claims = token ? await readStaffSession(c.env.SESSION_COOKIE_KEY, token, now) : null;
		if (claims) await endStaffSessions(createDb(c.env.DB), claims, now);
		clearStaffCookie(c);
		return c.redirect("/admin/login", 303);
	});
