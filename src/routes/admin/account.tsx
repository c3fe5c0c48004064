// /admin/account — 我的帳號 and password change (other browsers are signed out).
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { setStaffCookie } from "../../middleware/staff-session";
import { changePassword, MIN_PASSWORD_LENGTH, type PasswordChange } from "../../services/staff-auth";
import { unitName } from "../../services/unit-today";
import { AccountPage } from "../../views/admin/account";
import { htmlDocument } from "../../views/document";

const passwordForm = z.object({ current: z.string().min(1).max(200), next: z.string().max(200) });

const REFUSALS: Record<Exclude<PasswordChange, { ok: true }>["reason"], string> = {
	wrong_current: "目前的密碼不正確。",
	too_short: `新密碼至少要 ${MIN_PASSWORD_LENGTH} 個字元。`,
	same_as_email: "新密碼不能與電子郵件相同。",
	unchanged: "新密碼與目前的密碼相同。",
};

export const adminAccountRoutes = new Hono<AppEnv>()
	.get("/account", async (c) => {
		const staff = c.get("staff");
		const name = await unitName(createDb(c.env.DB), staff.unitId);
		const message =
			c.req.query("changed") === "1" ? { kind: "ok" as const, text: "密碼已變更。" } : undefined;
		return c.html(htmlDocument(<AccountPage staff={staff} unitName={name} message={message} />));
	})
	.post("/account/password", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const form = passwordForm.safeParse(await c.req.parseBody());
		const now = Date.now();
		const result = form.success
			? await changePassword(db, staff, form.data, now)
			: ({ ok: false, reason: "wrong_current" } as const);
		if (!result.ok) {
			const name = await unitName(db, staff.unitId);
			const page = (
				<AccountPage
					staff={staff}
					unitName={name}
					message={{ kind: "error", text: REFUSALS[result.reason] }}
				/>
			);
			return c.html(htmlDocument(page), 400);
		}
		// This browser stays signed in with the new session version; the others are not.
		await setStaffCookie(c, {
			staffId: staff.id,
			version: result.sessionVersion,
			startedAt: now,
			activeAt: now,
		});
		return c.redirect("/admin/account?changed=1", 303);
	});
