// /api/liff/teacher — 教師專區: my sessions, a session's rotating QR for the display, scanning a
// trainee's personal QR, the session's attendance list, and a ticket for the live counter.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db/client";
import { PUNCH_ACTIONS } from "../domain/attendance-status";
import { addDays, taipeiDate } from "../domain/taipei-time";
import type { AppEnv } from "../env";
import { settingsOf } from "../env";
import { AppError } from "../errors";
import { liffUrl } from "../line/liff-urls";
import { jsonBody } from "../middleware/validate";
import { qrSvg } from "../qr/render";
import { mintSessionQrToken, sessionShortCode } from "../qr/rotating-token";
import { mintLiveTicket } from "../qr/tickets";
import { punchWithPersonalToken, roomOf } from "../services/punch";
import { sessionAttendance, taughtSession, teacherSessions } from "../services/teacher-sessions";
import { punchResponse } from "./punch-outcome";

const sessionParam = "/sessions/:id{[0-9]{1,12}}";

function teacherOf(c: Context<AppEnv>): number {
	const personId = c.get("liffUser").personIds.teacher;
	if (!personId) throw new AppError("NOT_BOUND", "請先在 Training LINE 綁定教師身分");
	return personId;
}

/** The session if the signed-in teacher teaches it; another's session is answered as not found. */
async function mySession(c: Context<AppEnv>) {
	const session = await taughtSession(createDb(c.env.DB), teacherOf(c), Number(c.req.param("id")));
	if (!session) throw new AppError("NOT_FOUND", "找不到這堂課，或您不是這堂課的教師");
	return session;
}

export const liffTeacherApiRoutes = new Hono<AppEnv>()
	.get("/sessions", async (c) => {
		const today = taipeiDate(Date.now());
		const list = await teacherSessions(createDb(c.env.DB), teacherOf(c), today, addDays(today, 14));
		return c.json({ today, sessions: list });
	})
	.get(`${sessionParam}/qr`, async (c) => {
		const session = await mySession(c);
		const now = Date.now();
		const seconds = session.qrRotationSeconds;
		const { token, window } = await mintSessionQrToken(c.env.QR_SIGNING_KEY, session.id, now, seconds);
		const url = `${liffUrl(settingsOf(c.env), "trainee", "/scan")}?t=${encodeURIComponent(token)}`;
		c.header("Cache-Control", "no-store");
		return c.json({
			session,
			svg: qrSvg(url),
			url,
			shortCode: await sessionShortCode(c.env.QR_SIGNING_KEY, session.id, now, seconds),
			serverNow: now,
			windowEndsAt: window.endsAt,
			rotationSeconds: seconds,
			live: await roomOf(c.env.SESSION_ROOM, session.id).live(session.id),
		});
	})
	.post(`${sessionParam}/live-ticket`, async (c) => {
		const session = await mySession(c);
		return c.json({
			path: `/live/sessions/${session.id}?ticket=${await mintLiveTicket(c.env.QR_SIGNING_KEY, session.id, Date.now())}`,
		});
	})
	.post(
		`${sessionParam}/scan`,
		jsonBody(
			z.object({
				action: z.enum(PUNCH_ACTIONS, { error: "請選擇簽到或簽退" }),
				token: z.string().trim().min(1).max(200),
			}),
		),
		async (c) => {
			const session = await mySession(c);
			const { action, token } = c.req.valid("json");
			const outcome = await punchWithPersonalToken(
				{ db: createDb(c.env.DB), rooms: c.env.SESSION_ROOM, qrKey: c.env.QR_SIGNING_KEY, now: Date.now() },
				session.id,
				action,
				token,
			);
			return punchResponse(c, outcome);
		},
	)
	.get(`${sessionParam}/attendance`, async (c) => {
		const session = await mySession(c);
		return c.json({ session, people: await sessionAttendance(createDb(c.env.DB), session.id, Date.now()) });
	});
