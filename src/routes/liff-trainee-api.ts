// /api/liff/trainee — 學員專區: 我的課程, 我的課表, 我要請假, 請假節次 and 銷假.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db/client";
import { MAX_ATTACHMENT_BYTES } from "../domain/leave-attachment-files";
import { inMaintenance, maintenanceWindow } from "../domain/maintenance";
import { hasUnshowableCharacters, UNSHOWABLE_MESSAGE } from "../domain/plain-text";
import { addDays, daysBetween, isIsoDate, taipeiDate } from "../domain/taipei-time";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { HOTLINE } from "../line/messages";
import { limitBody } from "../middleware/body-limit";
import { jsonBody, queryParams } from "../middleware/validate";
import { addAttachment, readAttachment } from "../services/leave-attachments";
import { myLeaveRequests, submitLeave, withdrawLeave } from "../services/leave-requests";
import { enabledLeaveTypes, type TraineeClass, traineeClass } from "../services/trainee-class";
import { hoursSoFar, timetable } from "../services/trainee-timetable";
import { attachmentResponse } from "./attachment-response";

/** A class runs at most about a year: longer ranges are refused rather than read. */
const MAX_TIMETABLE_DAYS = 400;

const date = z.string().refine(isIsoDate, "日期格式應為 YYYY-MM-DD，且必須是存在的日期");

/** The signed-in trainee and their class; 403 unless bound as a trainee, 404 without a class. */
async function trainee(c: Context<AppEnv>): Promise<{ personId: number; klass: TraineeClass; now: number }> {
	const personId = c.get("liffUser").personIds.trainee;
	if (!personId) throw new AppError("NOT_BOUND", "請先在 Training LINE 綁定學員身分");
	const now = Date.now();
	const klass = await traineeClass(createDb(c.env.DB), personId, taipeiDate(now));
	if (!klass) throw new AppError("NO_CLASS");
	return { personId, klass, now };
}

const sessionId = z
	.number({ error: "課程編號應為數字" })
	.int("課程編號有誤")
	.positive("課程編號有誤")
	.max(1e12, "課程編號有誤");
const leaveInput = z.object({
	sessionIds: z
		.array(sessionId, { error: "請勾選課程" })
		.min(1, "請至少勾選一堂課程")
		.max(20, "一次最多 20 堂課"),
	typeCode: z.string({ error: "請選擇假別" }).min(1, "請選擇假別").max(32, "假別有誤"),
	remark: z
		.string({ error: "備註應為文字" })
		.max(500, "備註最多 500 字")
		.refine((text) => !hasUnshowableCharacters(text), UNSHOWABLE_MESSAGE)
		.default(""),
	clientKey: z.string().min(8).max(64),
});

/** Mounted under /api/liff/trainee, behind liffAuth (see liff-api.ts). */
export const liffTraineeApiRoutes = new Hono<AppEnv>()
	.get("/overview", async (c) => {
		const { personId, klass, now } = await trainee(c);
		const window = maintenanceWindow(now);
		return c.json({
			class: {
				code: klass.code,
				name: klass.name,
				startDate: klass.startDate,
				endDate: klass.endDate,
				location: klass.location,
				totalHours: klass.totalHours,
			},
			unit: klass.unit,
			hours: await hoursSoFar(createDb(c.env.DB), personId, klass, now),
			today: taipeiDate(now),
			support: { hotline: HOTLINE },
			maintenance: { active: inMaintenance(now), start: window.start, end: window.end },
		});
	})
	.get("/timetable", queryParams(z.object({ from: date.optional(), to: date.optional() })), async (c) => {
		const { personId, klass, now } = await trainee(c);
		const today = taipeiDate(now);
		const query = c.req.valid("query");
		const from = query.from ?? addDays(today, -7);
		const to = query.to ?? addDays(from, 41);
		if (to < from) throw new AppError("VALIDATION_FAILED", "結束日期不能早於開始日期");
		if (daysBetween(from, to) > MAX_TIMETABLE_DAYS)
			throw new AppError("VALIDATION_FAILED", `一次最多查詢 ${MAX_TIMETABLE_DAYS} 天的課表`);
		return c.json({
			from,
			to,
			today,
			sessions: await timetable(createDb(c.env.DB), personId, klass, from, to, now),
		});
	})
	.get("/leave-options", queryParams(z.object({ date: date.optional() })), async (c) => {
		const { personId, klass, now } = await trainee(c);
		const db = createDb(c.env.DB);
		const today = taipeiDate(now);
		const earliest = [addDays(today, -klass.plan.backdateLimitDays), klass.startDate].sort()[1] as string;
		const day = c.req.valid("query").date ?? today;
		const [all, types] = await Promise.all([
			timetable(db, personId, klass, earliest, klass.endDate, now),
			enabledLeaveTypes(db, klass.plan.id),
		]);
		return c.json({
			date: day,
			today,
			classDays: [...new Set(all.filter((s) => !s.cancelled).map((s) => s.date))],
			sessions: all.filter((s) => s.date === day),
			types,
			advanceNoticeDays: klass.plan.advanceNoticeDays,
		});
	})
	.post("/leave", jsonBody(leaveInput), async (c) => {
		const { personId, klass, now } = await trainee(c);
		const result = await submitLeave({ db: createDb(c.env.DB), now }, personId, klass, c.req.valid("json"));
		if (result.ok)
			return c.json(
				{ requestId: result.requestId, created: result.created, suggestion: result.suggestion },
				result.created ? 201 : 200,
			);
		if (result.code === "LEAVE_OVERLAP") throw new AppError("LEAVE_OVERLAP", result.message);
		throw new AppError(
			"LEAVE_NOT_ALLOWED",
			result.problems.map((p) => p.message).join("\n"),
			result.problems.map((p) => ({
				field: p.sessionId
					? `sessionIds:${p.sessionId}`
					: p.code === "TYPE_NOT_ENABLED"
						? "typeCode"
						: "sessionIds",
				message: p.message,
			})),
		);
	})
	.get("/leave", async (c) => {
		const { personId, klass, now } = await trainee(c);
		return c.json({ requests: await myLeaveRequests({ db: createDb(c.env.DB), now }, personId, klass) });
	})
	.get("/leave/:id{[0-9]{1,12}}", async (c) => {
		const { personId, klass, now } = await trainee(c);
		const [request] = await myLeaveRequests(
			{ db: createDb(c.env.DB), now },
			personId,
			klass,
			Number(c.req.param("id")),
		);
		if (!request) throw new AppError("NOT_FOUND", "找不到這張假單");
		return c.json({ request });
	})
	.post("/leave/:id{[0-9]{1,12}}/withdraw", async (c) => {
		const { personId, klass, now } = await trainee(c);
		const result = await withdrawLeave(
			{ db: createDb(c.env.DB), now },
			personId,
			klass,
			Number(c.req.param("id")),
		);
		if (!result.ok) throw new AppError(result.code, result.message);
		return c.json({ status: "cancelled" });
	})
	// A proof file as the raw body; its name in x-file-name (URI-encoded: names are often Chinese).
	.post("/leave/:id{[0-9]{1,12}}/attachments", limitBody(MAX_ATTACHMENT_BYTES), async (c) => {
		const { personId, now } = await trainee(c);
		const bytes = new Uint8Array(await c.req.arrayBuffer());
		const result = await addAttachment(
			{ db: createDb(c.env.DB), bucket: c.env.ATTACHMENTS, now },
			personId,
			Number(c.req.param("id")),
			{ bytes, fileName: decodedFileName(c.req.header("x-file-name")) },
		);
		if (!result.ok) throw new AppError(result.code, result.message);
		return c.json({ attachment: result.attachment }, 201);
	})
	.get("/leave/:id{[0-9]{1,12}}/attachments/:file{[0-9]{1,12}}", async (c) => {
		const { personId } = await trainee(c);
		const file = await readAttachment(
			{ db: createDb(c.env.DB), bucket: c.env.ATTACHMENTS },
			{ personId },
			Number(c.req.param("id")),
			Number(c.req.param("file")),
		);
		if (!file) throw new AppError("NOT_FOUND", "找不到這個檔案");
		return attachmentResponse(file);
	});

function decodedFileName(header: string | undefined): string | null {
	if (!header) return null;
	try {
		return decodeURIComponent(header);
	} catch {
		return null;
	}
}
