// The signed-in dashboard: 今日 and 請假審核 (more pages come with the dashboard issue). Every query
// is scoped to the member's unit; another unit's record is answered as not found.

import { asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { classes, leaveTypes } from "../../db/schema";
import { lineEventDeps } from "../../deps";
import { LEAVE_STATUSES } from "../../domain/leave-status";
import { hasUnshowableCharacters, UNSHOWABLE_MESSAGE } from "../../domain/plain-text";
import { isIsoDate, taipeiDate } from "../../domain/taipei-time";
import { type AppEnv, settingsOf } from "../../env";
import { AppError } from "../../errors";
import { readAttachment } from "../../services/leave-attachments";
import { LEAVE_QUEUE_PAGE, unitLeaveDetail, unitLeaveQueue } from "../../services/leave-queue";
import { reviewLeave, revokeLeave } from "../../services/leave-review";
import { deliverOutbox } from "../../services/outbox";
import { unitSession } from "../../services/teacher-sessions";
import { unitAlerts } from "../../services/unit-alerts";
import { unitName, unitToday } from "../../services/unit-today";
import { AdminNotFound } from "../../views/admin/layout";
import { LeaveDetailPage } from "../../views/admin/leave-detail";
import { LeaveReviewPage } from "../../views/admin/leave-review";
import { SessionConsoleShell } from "../../views/admin/session-console";
import { TodayPage } from "../../views/admin/today";
import { htmlDocument } from "../../views/document";
import { attachmentResponse } from "../attachment-response";

const reviewerOf = (c: Context<AppEnv>) => ({ staffId: c.get("staff").id, unitId: c.get("staff").unitId });

const isoDate = z.string().refine(isIsoDate, "日期格式應為 YYYY-MM-DD");
const leaveFilters = z.object({
	status: z.enum(LEAVE_STATUSES).optional().catch(undefined),
	classId: z.coerce.number().int().positive().optional().catch(undefined),
	typeCode: z.string().max(32).optional().catch(undefined),
	from: isoDate.optional().catch(undefined),
	to: isoDate.optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1),
	done: z.coerce.number().int().min(0).optional().catch(undefined),
	error: z.enum(["no-selection", "invalid"]).optional().catch(undefined),
	failed: z.coerce.number().int().min(0).optional().catch(undefined),
});

const revokeForm = z.object({
	reason: z
		.string()
		.trim()
		.min(1)
		.max(200)
		.refine((text) => !hasUnshowableCharacters(text)),
});

/** What the list or the detail page says after a review, from the redirect's query (never echoed text). */
function resultMessage(done?: number, failed?: number, error?: "no-selection" | "invalid") {
	if (error)
		return {
			kind: "error" as const,
			text:
				error === "no-selection"
					? "請先勾選要審核的假單。"
					: "資料有誤（備註或原因最多 200 字，原因必填），請重新操作。",
		};
	if (done === undefined) return undefined;
	return failed
		? {
				kind: "error" as const,
				text: `已處理 ${done} 張；${failed} 張未處理（可能已被撤銷、已由他人審核或已超過期限），請重新整理確認。`,
			}
		: { kind: "ok" as const, text: `已處理 ${done} 張假單，學員會收到 LINE 通知。` };
}

const reviewForm = z.object({
	ids: z.array(z.coerce.number().int().positive()).min(1, "請先勾選假單").max(200, "一次最多審核 200 張"),
	decision: z.enum(["approved", "rejected"]),
	remark: z
		.string()
		.trim()
		.max(200, "審核備註最多 200 字")
		.refine((text) => !hasUnshowableCharacters(text), UNSHOWABLE_MESSAGE)
		.optional(),
	back: z.string().max(500).optional(),
});

export const adminPageRoutes = new Hono<AppEnv>()
	.get("/", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const now = Date.now();
		const date = taipeiDate(now);
		const [today, name] = await Promise.all([unitToday(db, staff.unitId, date), unitName(db, staff.unitId)]);
		const sessionIds = today.sessions.map((s) => s.id);
		const alerts = await unitAlerts(db, staff.unitId, date, sessionIds, now);
		return c.html(
			htmlDocument(<TodayPage staff={staff} unitName={name} date={date} today={today} alerts={alerts} />),
		);
	})
	.get("/leave", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const { page, done, failed, error, ...filters } = leaveFilters.parse(c.req.query());
		const mine = staff.unitId === null ? undefined : eq(classes.unitId, staff.unitId);
		const [items, name, unitClasses, types] = await Promise.all([
			unitLeaveQueue(db, reviewerOf(c), {
				...filters,
				limit: LEAVE_QUEUE_PAGE + 1,
				offset: (page - 1) * LEAVE_QUEUE_PAGE,
			}),
			unitName(db, staff.unitId),
			db
				.select({ id: classes.id, code: classes.code, name: classes.name, planId: classes.planId })
				.from(classes)
				.where(mine)
				.orderBy(asc(classes.code)),
			db
				.select({ code: leaveTypes.code, name: leaveTypes.name })
				.from(leaveTypes)
				.orderBy(asc(leaveTypes.sortOrder)),
		]);
		const message = resultMessage(done, failed, error);
		return c.html(
			htmlDocument(
				<LeaveReviewPage
					staff={staff}
					unitName={name}
					filters={filters}
					classes={unitClasses}
					types={types}
					items={items.slice(0, LEAVE_QUEUE_PAGE)}
					page={page}
					hasMore={items.length > LEAVE_QUEUE_PAGE}
					message={message}
				/>,
			),
		);
	})
	.post("/leave/review", async (c) => {
		const body = await c.req.parseBody({ all: true });
		const parsed = reviewForm.safeParse({ ...body, ids: [body.ids ?? []].flat() });
		const back =
			typeof body.back === "string" && body.back.startsWith("/admin/leave") ? body.back : "/admin/leave";
		if (!parsed.success) {
			// Back to the list, which says what to do; the form's own text is never echoed.
			const url = new URL(back, "https://x");
			url.searchParams.set("error", parsed.error.issues[0]?.path[0] === "ids" ? "no-selection" : "invalid");
			return c.redirect(`${url.pathname}${url.search}`, 303);
		}
		const now = Date.now();
		const deps = { ...lineEventDeps(c.env, now), settings: settingsOf(c.env) };
		const outcomes = await reviewLeave({ db: deps.db, now, settings: deps.settings }, reviewerOf(c), {
			ids: parsed.data.ids,
			decision: parsed.data.decision,
			remark: parsed.data.remark || null,
		});
		// Every trainee of a bulk approval hears now, not over the next crons' 50 rows each.
		c.executionCtx.waitUntil(deliverOutbox(deps, { limit: parsed.data.ids.length + 50 }));
		const done = outcomes.filter((o) => o.ok).length;
		const url = new URL(back, "https://x");
		url.searchParams.set("done", String(done));
		url.searchParams.set("failed", String(outcomes.length - done));
		return c.redirect(`${url.pathname}${url.search}`, 303);
	})
	// 顯示簽到QR, 掃描學員QR and 出缺勤 of one of the unit's sessions (the page app calls /admin/api).
	.get("/sessions/:id{[0-9]{1,12}}/:page{display|scanner|attendance}", async (c) => {
		const session = await unitSession(createDb(c.env.DB), c.get("staff").unitId, Number(c.req.param("id")));
		if (!session) return c.html(htmlDocument(<AdminNotFound staff={c.get("staff")} what="這堂課" />), 404);
		const title = { display: "顯示簽到QR", scanner: "掃描學員QR", attendance: "出缺勤" }[c.req.param("page")];
		return c.html(htmlDocument(<SessionConsoleShell title={`${title} ${session.class.name}`} />));
	})
	.get("/leave/:id{[0-9]{1,12}}", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const [request, name] = await Promise.all([
			unitLeaveDetail(db, reviewerOf(c), Number(c.req.param("id"))),
			unitName(db, staff.unitId),
		]);
		if (!request) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這張假單" />), 404);
		const { done, failed, error } = leaveFilters.parse(c.req.query());
		return c.html(
			htmlDocument(
				<LeaveDetailPage
					staff={staff}
					unitName={name}
					request={request}
					message={resultMessage(done, failed, error)}
				/>,
			),
		);
	})
	.post("/leave/:id{[0-9]{1,12}}/revoke", async (c) => {
		const id = Number(c.req.param("id"));
		const form = revokeForm.safeParse(await c.req.parseBody());
		if (!form.success) return c.redirect(`/admin/leave/${id}?error=invalid`, 303);
		const now = Date.now();
		const deps = lineEventDeps(c.env, now);
		const outcome = await revokeLeave(
			{ db: deps.db, now, settings: settingsOf(c.env) },
			reviewerOf(c),
			id,
			form.data.reason,
		);
		if (!outcome.ok && outcome.code === "NOT_FOUND")
			return c.html(htmlDocument(<AdminNotFound staff={c.get("staff")} what="這張假單" />), 404);
		c.executionCtx.waitUntil(deliverOutbox(deps));
		return c.redirect(`/admin/leave/${id}?done=${outcome.ok ? 1 : 0}&failed=${outcome.ok ? 0 : 1}`, 303);
	})
	.get("/leave/:id{[0-9]{1,12}}/attachments/:file{[0-9]{1,12}}", async (c) => {
		const file = await readAttachment(
			{ db: createDb(c.env.DB), bucket: c.env.ATTACHMENTS },
			{ unitId: c.get("staff").unitId },
			Number(c.req.param("id")),
			Number(c.req.param("file")),
		);
		if (!file) throw new AppError("NOT_FOUND", "找不到這個檔案");
		return attachmentResponse(file);
	});
