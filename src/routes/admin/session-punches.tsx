// 出勤 of one of the unit's sessions: the attendance sheet with the punch log, and a clerk's manual
// correction of one person. Another unit's session is answered as not found.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { hasUnshowableCharacters, UNSHOWABLE_MESSAGE } from "../../domain/plain-text";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { type CorrectionMark, correctAttendance } from "../../services/attendance-correction";
import { sessionPunchSheet } from "../../services/session-punches";
import { unitName } from "../../services/unit-today";
import { type CorrectionFormValues, SessionPunchesPage } from "../../views/admin/session-punches";
import { htmlDocument } from "../../views/document";

/** "HH:MM" (what a time input sends), optionally after the date it is meant for. */
const TIME = /^(?:(\d{4}-\d{2}-\d{2})[T ])?([01]\d|2[0-3]):([0-5]\d)$/;
const timeField = z
	.string()
	.trim()
	.max(20, "時間格式應為 HH:MM（00:00–23:59）")
	.refine((value) => value === "" || TIME.test(value), "時間格式應為 HH:MM（00:00–23:59）")
	.transform((value) => {
		const m = TIME.exec(value);
		return m ? { date: m[1], time: `${m[2]}:${m[3]}` } : null;
	});

const MARK = /^(punches|present|absent|leave:[a-z_]{1,32})$/;

const correctionForm = z.object({
	checkIn: timeField.prefault(""),
	checkOut: timeField.prefault(""),
	mark: z
		.string({ error: "請選擇出勤狀態" })
		.regex(MARK, "請選擇出勤狀態")
		.transform((value): CorrectionMark => {
			if (value.startsWith("leave:")) return { kind: "leave", code: value.slice("leave:".length) };
			return { kind: value as "punches" | "present" | "absent" };
		}),
	reason: z
		.string({ error: "請填寫更正原因" })
		.trim()
		.min(1, "請填寫更正原因")
		.max(200, "更正原因最多 200 字")
		.refine((text) => !hasUnshowableCharacters(text), UNSHOWABLE_MESSAGE),
});

const sheetQuery = z.object({
	page: z.coerce.number().int().min(1).max(10_000).catch(1),
	done: z.coerce.number().int().positive().optional().catch(undefined),
});

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 200) : "");

async function renderSheet(
	c: Context<AppEnv>,
	sessionId: number,
	options: {
		page?: number;
		done?: number | undefined;
		failed?: { personId: number; values: CorrectionFormValues; message: string } | undefined;
	},
	status: 200 | 400 = 200,
) {
	const staff = c.get("staff");
	const db = createDb(c.env.DB);
	const page = options.page ?? 1;
	const [sheet, name] = await Promise.all([
		sessionPunchSheet(db, staff.unitId, sessionId, Date.now(), page),
		unitName(db, staff.unitId),
	]);
	if (!sheet) throw new AppError("NOT_FOUND", "找不到這堂課");
	const personName = (id: number | undefined) => sheet.people.find((p) => p.personId === id)?.name;
	const doneName = personName(options.done);
	const message = options.failed
		? {
				kind: "error" as const,
				text: `${[personName(options.failed.personId), "更正未儲存"].filter(Boolean).join(" 的")}：${options.failed.message}`,
			}
		: doneName
			? { kind: "ok" as const, text: `已更正 ${doneName} 的出勤紀錄。` }
			: undefined;
	return c.html(
		htmlDocument(
			<SessionPunchesPage
				staff={staff}
				unitName={name}
				head={sheet.head}
				people={sheet.people}
				leaveOptions={sheet.leaveOptions}
				log={sheet.log}
				page={page}
				hasMore={sheet.hasMore}
				message={message}
				failed={options.failed}
			/>,
		),
		status,
	);
}

export const adminSessionPunchRoutes = new Hono<AppEnv>()
	.get("/sessions/:id{[0-9]{1,12}}/punches", (c) => {
		const { page, done } = sheetQuery.parse(c.req.query());
		return renderSheet(c, Number(c.req.param("id")), { page, done });
	})
	.post("/sessions/:id{[0-9]{1,12}}/punches/:personId{[0-9]{1,12}}/correct", async (c) => {
		const sessionId = Number(c.req.param("id"));
		const personId = Number(c.req.param("personId"));
		const body = await c.req.parseBody();
		const values: CorrectionFormValues = {
			checkIn: text(body.checkIn),
			checkOut: text(body.checkOut),
			mark: text(body.mark),
			reason: text(body.reason),
		};
		const refuse = (message: string) =>
			renderSheet(c, sessionId, { failed: { personId, values, message } }, 400);
		const parsed = correctionForm.safeParse(body);
		if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "輸入資料有誤，請檢查後再試");
		const outcome = await correctAttendance({ db: createDb(c.env.DB), now: Date.now() }, c.get("staff"), {
			sessionId,
			personId,
			...parsed.data,
			requestId: c.get("requestId"),
		});
		if (!outcome.ok) {
			if (outcome.code === "NOT_FOUND") throw new AppError("NOT_FOUND", outcome.message);
			return refuse(outcome.message);
		}
		return c.redirect(`/admin/sessions/${sessionId}/punches?done=${personId}#p-${personId}`, 303);
	});
