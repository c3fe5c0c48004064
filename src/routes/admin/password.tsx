// /admin/password/* — the public pages of password links (no sign-in): set a password through a
// one-time link, and 忘記密碼. Cross-site posts are refused by the dashboard's Origin check.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { lineEventDeps } from "../../deps";
import { MIN_PASSWORD_LENGTH } from "../../domain/staff-password";
import { type AppEnv, settingsOf } from "../../env";
import { describeError, log } from "../../log";
import {
	deliverLinkEmail,
	readPasswordLink,
	requestPasswordReset,
	type SetPasswordResult,
	setPasswordWithLink,
} from "../../services/staff-password-link";
import {
	ForgotPasswordPage,
	ResetRequestedPage,
	SetPasswordPage,
	UnusableLinkPage,
} from "../../views/admin/password-link";
import { htmlDocument } from "../../views/document";

const token = z.string().max(100).catch("");
const setForm = z.object({
	token,
	password: z.string().max(200).catch(""),
	confirm: z.string().max(200).catch(""),
});
const forgotForm = z.object({ email: z.string().trim().min(1).max(254) });

const PROBLEMS: Record<Extract<SetPasswordResult, { ok: false }>["reason"], string> = {
	invalid: "",
	used: "",
	expired: "",
	mismatch: "兩次輸入的密碼不一樣，請重新輸入。",
	too_short: `密碼至少要 ${MIN_PASSWORD_LENGTH} 個字元。`,
	same_as_email: "密碼不能與電子郵件相同。",
};

// The pages carry the link's secret: never cached, never sent on as a referrer (set app-wide).
const noStore = { "cache-control": "no-store" };

const unusable = (c: Context<AppEnv>, reason: "invalid" | "used" | "expired") =>
	c.html(htmlDocument(<UnusableLinkPage reason={reason} />), reason === "invalid" ? 400 : 410, noStore);

const linkBase = (c: Context<AppEnv>) => settingsOf(c.env).publicBaseUrl || new URL(c.req.url).origin;

export const adminPasswordRoutes = new Hono<AppEnv>()
	.get("/password/set", async (c) => {
		const given = token.parse(c.req.query("token") ?? "");
		const link = await readPasswordLink(createDb(c.env.DB), given, Date.now());
		if (!link.ok) return unusable(c, link.reason);
		return c.html(
			htmlDocument(<SetPasswordPage token={given} email={link.email} purpose={link.purpose} />),
			200,
			noStore,
		);
	})
	.post("/password/set", async (c) => {
		const form = setForm.parse(await c.req.parseBody());
		const now = Date.now();
		const db = createDb(c.env.DB);
		const result = await setPasswordWithLink({ db, now, requestId: c.get("requestId") }, form.token, form);
		if (result.ok) return c.redirect("/admin/login?password=set", 303);
		if (result.reason === "invalid" || result.reason === "used" || result.reason === "expired")
			return unusable(c, result.reason);
		const link = await readPasswordLink(db, form.token, now);
		if (!link.ok) return unusable(c, link.reason);
		return c.html(
			htmlDocument(
				<SetPasswordPage
					token={form.token}
					email={link.email}
					purpose={link.purpose}
					error={PROBLEMS[result.reason]}
				/>,
			),
			400,
			noStore,
		);
	})
	.get("/password/forgot", (c) => c.html(htmlDocument(<ForgotPasswordPage />)))
	.post("/password/forgot", async (c) => {
		const form = forgotForm.safeParse(await c.req.parseBody());
		if (!form.success) return c.html(htmlDocument(<ForgotPasswordPage error="請輸入您的電子郵件。" />), 400);
		const now = Date.now();
		const { db, deliverers } = lineEventDeps(c.env, now);
		const requestId = c.get("requestId");
		// After the answer: how long the lookup and the link take must not tell which e-mails have accounts.
		c.executionCtx.waitUntil(
			requestPasswordReset({ db, now, publicBaseUrl: linkBase(c), requestId }, form.data.email)
				.then((queued) => (queued === null ? undefined : deliverLinkEmail({ db, deliverers, now }, queued)))
				.catch((err) => log.error("password_reset_failed", { requestId, error: describeError(err) })),
		);
		// The same page whether or not anything was sent.
		return c.html(htmlDocument(<ResetRequestedPage development={settingsOf(c.env).isDevelopment} />));
	});
