// 設定 (agency only): the plans, one plan's settings and leave types, a new plan. Unit members get
// the same not-found page as for a record that does not exist: these pages are not theirs.
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import {
	createPlan,
	listPlans,
	mayEditPlans,
	planDetail,
	updatePlanSettings,
} from "../../services/plan-settings";
import { unitName } from "../../services/unit-today";
import { AdminNotFound } from "../../views/admin/layout";
import {
	type NewPlanErrors,
	type NewPlanValues,
	type PlanFormErrors,
	type PlanFormValues,
	PlanListPage,
	PlanSettingsPage,
	planFormValues,
} from "../../views/admin/settings";
import { htmlDocument } from "../../views/document";
import { newPlanForm, readPlanForm } from "./plan-settings-form";

const agencyOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
	const staff = c.get("staff");
	if (!mayEditPlans(staff)) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這個頁面" />), 404);
	await next();
};

const SAVED_MESSAGES: Record<string, { kind: "ok"; text: string }> = {
	"1": {
		kind: "ok",
		text: "設定已儲存。新的請假申請、審核與簽到退即起套用；正在顯示簽到QR的課程約 1 分鐘內套用。",
	},
	"0": { kind: "ok", text: "設定沒有變更。" },
	created: { kind: "ok", text: "已新增計畫，目前套用手冊的預設規定；請確認下列設定。" },
};

const planNotFound = (c: Context<AppEnv>) =>
	c.html(htmlDocument(<AdminNotFound staff={c.get("staff")} what="這個計畫" />), 404);

async function renderList(c: Context<AppEnv>, newPlan?: { values: NewPlanValues; errors: NewPlanErrors }) {
	const db = createDb(c.env.DB);
	const staff = c.get("staff");
	const [plans, name] = await Promise.all([listPlans(db), unitName(db, staff.unitId)]);
	const page = <PlanListPage staff={staff} unitName={name} plans={plans} newPlan={newPlan} />;
	return c.html(htmlDocument(page), newPlan ? 400 : 200);
}

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 200) : "");

export const adminSettingsRoutes = new Hono<AppEnv>()
	.get("/settings", agencyOnly, (c) => renderList(c))
	.post("/settings/plans", agencyOnly, async (c) => {
		const body = await c.req.parseBody();
		const values = { code: text(body.code), name: text(body.name) };
		const parsed = newPlanForm.safeParse(body);
		if (!parsed.success) {
			const errors: NewPlanErrors = {};
			for (const issue of parsed.error.issues) {
				const field = issue.path[0] as keyof NewPlanValues;
				errors[field] ??= issue.message;
			}
			return renderList(c, { values, errors });
		}
		const db = createDb(c.env.DB);
		const created = await createPlan(
			{ db, now: Date.now() },
			c.get("staff"),
			parsed.data,
			c.get("requestId"),
		);
		if (!created.ok) {
			if (created.code === "NOT_FOUND") return planNotFound(c);
			return renderList(c, { values, errors: { code: created.message } });
		}
		return c.redirect(`/admin/settings/plans/${created.value.id}?saved=created`, 303);
	})
	.get("/settings/plans/:id{[0-9]{1,12}}", agencyOnly, async (c) => {
		const db = createDb(c.env.DB);
		const staff = c.get("staff");
		const [plan, name] = await Promise.all([
			planDetail(db, Number(c.req.param("id"))),
			unitName(db, staff.unitId),
		]);
		if (!plan) return planNotFound(c);
		const message = SAVED_MESSAGES[c.req.query("saved") ?? ""];
		return c.html(
			htmlDocument(
				<PlanSettingsPage
					staff={staff}
					unitName={name}
					plan={plan}
					values={planFormValues(plan)}
					message={message}
				/>,
			),
		);
	})
	.post("/settings/plans/:id{[0-9]{1,12}}", agencyOnly, async (c) => {
		const db = createDb(c.env.DB);
		const staff = c.get("staff");
		const planId = Number(c.req.param("id"));
		const form = readPlanForm(await c.req.parseBody({ all: true }));
		const refuse = async (values: PlanFormValues, errors: PlanFormErrors) => {
			const [plan, name] = await Promise.all([planDetail(db, planId), unitName(db, staff.unitId)]);
			if (!plan) return planNotFound(c);
			const page = (
				<PlanSettingsPage staff={staff} unitName={name} plan={plan} values={values} errors={errors} />
			);
			return c.html(htmlDocument(page), 400);
		};
		if (!form.ok) return refuse(form.values, form.errors);
		const saved = await updatePlanSettings(
			{ db, now: Date.now() },
			staff,
			planId,
			form.change,
			c.get("requestId"),
		);
		if (!saved.ok) {
			if (saved.code === "NOT_FOUND") return planNotFound(c);
			return refuse(form.values, { leaveTypes: saved.message });
		}
		return c.redirect(`/admin/settings/plans/${planId}?saved=${saved.value.changed ? "1" : "0"}`, 303);
	});
