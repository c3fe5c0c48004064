// /admin/staff — 帳號管理 for unit admins (their unit's accounts) and the agency (every account):
// list, new account (e-mailed a first-password link), password links, disable/enable. Unit staff are
// refused (403); an account outside the admin's scope is answered as not found.
import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { createDb } from "../../db/client";
import { lineEventDeps } from "../../deps";
import { normalizeEmail } from "../../domain/email";
import { normalizePersonName } from "../../domain/person-name";
import { STAFF_ROLES } from "../../domain/roles";
import { canManageStaff, creatableRoles } from "../../domain/staff-permissions";
import { type AppEnv, settingsOf } from "../../env";
import {
	type CreateResult,
	createStaff,
	listStaff,
	setStaffDisabled,
	staffAccount,
	unitChoices,
} from "../../services/staff-accounts";
import { deliverLinkEmail, issuePasswordLink } from "../../services/staff-password-link";
import { unitName } from "../../services/unit-today";
import { AdminNotFound } from "../../views/admin/layout";
import { NewStaffPage, type NewStaffValues, StaffForbidden, StaffListPage } from "../../views/admin/staff";
import { StaffDetailPage } from "../../views/admin/staff-detail";
import { htmlDocument } from "../../views/document";

const listQuery = z.object({
	q: z.string().trim().max(100, "搜尋字詞最多 100 個字").optional(),
	unit: z
		.string()
		.optional()
		.transform((v) =>
			v === "agency" ? ("agency" as const) : v && /^\d{1,12}$/.test(v) ? Number(v) : undefined,
		),
	page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const newForm = z.object({
	name: z.string().max(200).catch(""),
	email: z.string().max(300).catch(""),
	role: z.enum(STAFF_ROLES).optional().catch(undefined),
	// Cut, not blanked: a 13-digit id must be refused below, not read as "no unit" (one's own).
	unitId: z
		.string()
		.catch("")
		.transform((value) => value.slice(0, 20)),
});

const detailQuery = z.object({
	created: z.literal("1").optional().catch(undefined),
	sent: z.literal("1").optional().catch(undefined),
	done: z.enum(["disabled", "enabled", "unchanged"]).optional().catch(undefined),
	error: z.enum(["self", "disabled"]).optional().catch(undefined),
});

const REFUSALS: Record<
	Extract<CreateResult, { ok: false }>["reason"],
	{ status: 400 | 403 | 409; text: string }
> = {
	role_not_allowed: { status: 403, text: "您不能建立這種角色的帳號。" },
	unit_not_allowed: { status: 403, text: "您只能建立本單位的帳號。" },
	unit_required: { status: 400, text: "請選擇帳號所屬的訓練單位。" },
	unit_forbidden: { status: 400, text: "勞發署管理者不屬於任何訓練單位，請將單位留空。" },
	unknown_unit: { status: 400, text: "找不到這個訓練單位，請重新選擇。" },
	email_taken: { status: 409, text: "這個電子郵件已有帳號，請到帳號管理搜尋。" },
};

/** Unit staff have no 帳號管理 (an answer that says so, not a not-found). */
const managersOnly = createMiddleware<AppEnv>(async (c, next) => {
	const staff = c.get("staff");
	if (canManageStaff(staff)) return next();
	const name = await unitName(createDb(c.env.DB), staff.unitId);
	return c.html(htmlDocument(<StaffForbidden staff={staff} unitName={name} />), 403);
});

const linkDeps = (c: Context<AppEnv>, now: number) => ({
	db: createDb(c.env.DB),
	now,
	publicBaseUrl: settingsOf(c.env).publicBaseUrl || new URL(c.req.url).origin,
	requestId: c.get("requestId"),
});

/** Sends a queued link e-mail after the answer (the cron retries it if this fails). */
function deliverAfterAnswer(c: Context<AppEnv>, outboxId: number | null, now: number) {
	if (outboxId === null) return;
	const { db, deliverers } = lineEventDeps(c.env, now);
	c.executionCtx.waitUntil(deliverLinkEmail({ db, deliverers, now }, outboxId));
}

const notFound = (c: Context<AppEnv>) =>
	c.html(htmlDocument(<AdminNotFound staff={c.get("staff")} what="這個帳號" />), 404);

async function renderNewForm(
	c: Context<AppEnv>,
	options: { values?: NewStaffValues; error?: string; status?: 200 | 400 | 403 | 409 } = {},
) {
	const staff = c.get("staff");
	const db = createDb(c.env.DB);
	const [name, units] = await Promise.all([unitName(db, staff.unitId), unitChoices(db, staff)]);
	const page = (
		<NewStaffPage
			staff={staff}
			unitName={name}
			roles={creatableRoles(staff)}
			units={units}
			values={options.values}
			error={options.error}
		/>
	);
	return c.html(htmlDocument(page), options.status ?? 200);
}

function detailMessage(query: z.infer<typeof detailQuery>, email: string) {
	if (query.error === "self") return { kind: "error" as const, text: "不能停用或啟用自己的帳號。" };
	if (query.error === "disabled")
		return { kind: "error" as const, text: "這個帳號已停用，請先重新啟用，再寄送設定密碼連結。" };
	if (query.created)
		return { kind: "ok" as const, text: `已建立帳號，並寄出設定密碼連結至 ${email}。`, mailed: true };
	if (query.sent) return { kind: "ok" as const, text: `已寄出設定密碼連結至 ${email}。`, mailed: true };
	if (query.done === "disabled") return { kind: "ok" as const, text: "已停用這個帳號，對方已被登出。" };
	if (query.done === "enabled") return { kind: "ok" as const, text: "已重新啟用這個帳號。" };
	if (query.done === "unchanged") return { kind: "ok" as const, text: "帳號狀態已是如此，沒有變更。" };
	return undefined;
}

export const adminStaffRoutes = new Hono<AppEnv>()
	.use("/staff", managersOnly)
	.use("/staff/*", managersOnly)
	.get("/staff", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const parsed = listQuery.safeParse(c.req.query());
		const { q, unit, page } = parsed.success ? parsed.data : { q: undefined, unit: undefined, page: 1 };
		const [list, name, units] = await Promise.all([
			listStaff(db, staff, { q, unit, page }),
			unitName(db, staff.unitId),
			unitChoices(db, staff),
		]);
		return c.html(
			htmlDocument(
				<StaffListPage
					staff={staff}
					unitName={name}
					q={q ?? ""}
					unit={staff.role === "agency_admin" ? unit : undefined}
					units={units}
					page={page}
					items={list.items}
					total={list.total}
					error={parsed.success ? undefined : (parsed.error.issues[0]?.message ?? "搜尋條件有誤")}
				/>,
			),
			parsed.success ? 200 : 400,
		);
	})
	.get("/staff/new", (c) => renderNewForm(c))
	.post("/staff", async (c) => {
		const staff = c.get("staff");
		const form = newForm.parse(await c.req.parseBody());
		const values = { name: form.name, email: form.email, role: form.role ?? "", unitId: form.unitId };
		const name = normalizePersonName(form.name);
		if (!name.ok) return renderNewForm(c, { values, error: name.message, status: 400 });
		const email = normalizeEmail(form.email);
		if (!email.ok) return renderNewForm(c, { values, error: email.message, status: 400 });
		if (!form.role) return renderNewForm(c, { values, error: "請選擇角色。", status: 400 });
		if (form.unitId !== "" && !/^\d{1,12}$/.test(form.unitId))
			return renderNewForm(c, { values, error: "請重新選擇訓練單位。", status: 400 });
		// A unit admin's form has no unit field: their own unit.
		const unitId =
			form.unitId !== "" ? Number(form.unitId) : staff.role === "unit_admin" ? staff.unitId : null;
		const now = Date.now();
		const result = await createStaff(linkDeps(c, now), staff, {
			name: name.value,
			email: email.value,
			role: form.role,
			unitId,
		});
		if (!result.ok) {
			const refusal = REFUSALS[result.reason];
			return renderNewForm(c, { values, error: refusal.text, status: refusal.status });
		}
		deliverAfterAnswer(c, result.outboxId, now);
		return c.redirect(`/admin/staff/${result.id}?created=1`, 303);
	})
	.get("/staff/:id{[0-9]{1,12}}", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const [account, name] = await Promise.all([
			staffAccount(db, staff, Number(c.req.param("id"))),
			unitName(db, staff.unitId),
		]);
		if (!account) return notFound(c);
		const query = detailQuery.parse(c.req.query());
		return c.html(
			htmlDocument(
				<StaffDetailPage
					staff={staff}
					unitName={name}
					account={account}
					now={Date.now()}
					message={detailMessage(query, account.email)}
					development={settingsOf(c.env).isDevelopment}
				/>,
			),
		);
	})
	.post("/staff/:id{[0-9]{1,12}}/password-link", async (c) => {
		const staff = c.get("staff");
		const now = Date.now();
		const deps = linkDeps(c, now);
		const account = await staffAccount(deps.db, staff, Number(c.req.param("id")));
		if (!account) return notFound(c);
		const result = await issuePasswordLink(deps, staff, account);
		if (!result.ok) return c.redirect(`/admin/staff/${account.id}?error=disabled`, 303);
		deliverAfterAnswer(c, result.outboxId, now);
		return c.redirect(`/admin/staff/${account.id}?sent=1`, 303);
	})
	.post("/staff/:id{[0-9]{1,12}}/:action{disable|enable}", async (c) => {
		const id = Number(c.req.param("id"));
		const disable = c.req.param("action") === "disable";
		const result = await setStaffDisabled(
			{ db: createDb(c.env.DB), now: Date.now(), requestId: c.get("requestId") },
			c.get("staff"),
			id,
			disable,
		);
		if (!result.ok) {
			if (result.reason === "not_found") return notFound(c);
			return c.redirect(`/admin/staff/${id}?error=self`, 303);
		}
		const done = !result.changed ? "unchanged" : disable ? "disabled" : "enabled";
		return c.redirect(`/admin/staff/${id}?done=${done}`, 303);
	});
