// A session's console, the same for a teacher (教師專區) and a unit's staff (dashboard): the rotating
// QR for the display, a ticket for the live counter, scanning personal QRs, and the attendance list.
// Only `find` differs: it returns the session if the caller may run it.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db/client";
import { PUNCH_ACTIONS } from "../domain/attendance-status";
import { type AppEnv, settingsOf } from "../env";
import { AppError } from "../errors";
import { liffUrl } from "../line/liff-urls";
import { jsonBody } from "../middleware/validate";
import { qrSvg } from "../qr/render";
import { mintSessionQrToken, sessionShortCode } from "../qr/rotating-token";
import { mintLiveTicket } from "../qr/tickets";
import { punchWithPersonalToken, roomOf } from "../services/punch";
import { sessionAttendance, type TeacherSession } from "../services/teacher-sessions";
import { punchResponse } from "./punch-outcome";

export type FindSession = (c: Context<AppEnv>, sessionId: number) => Promise<TeacherSession | null>;

const scanInput = z.object({
	action: z.enum(PUNCH_ACTIONS, { error: "請選擇簽到或簽退" }),
	token: z
		.string({ error: "請掃描學員的 QR Code" })
		.trim()
		.min(1, "請掃描學員的 QR Code")
		.max(200, "這不是 Training LINE 的個人 QR Code"),
});

export function sessionConsoleRoutes(find: FindSession) {
	/** The session if the caller may run it; anyone else's is answered as not found. */
	async function session(c: Context<AppEnv>) {
		const found = await find(c, Number(c.req.param("id")));
		if (!found) throw new AppError("NOT_FOUND", "找不到這堂課，或您沒有這堂課的權限");
		return found;
	}
	return new Hono<AppEnv>()
		.get("/sessions/:id{[0-9]{1,12}}/qr", async (c) => {
			const s = await session(c);
			const now = Date.now();
			const seconds = s.qrRotationSeconds;
			const { token, window } = await mintSessionQrToken(c.env.QR_SIGNING_KEY, s.id, now, seconds);
			const url = `${liffUrl(settingsOf(c.env), "trainee", "/scan")}?t=${encodeURIComponent(token)}`;
			c.header("Cache-Control", "no-store");
			return c.json({
				session: s,
				svg: qrSvg(url),
				url,
				shortCode: await sessionShortCode(c.env.QR_SIGNING_KEY, s.id, now, seconds),
				serverNow: now,
				windowEndsAt: window.endsAt,
				rotationSeconds: seconds,
				live: await roomOf(c.env.SESSION_ROOM, s.id).live(s.id),
			});
		})
		.post("/sessions/:id{[0-9]{1,12}}/live-ticket", async (c) => {
			const s = await session(c);
			const ticket = await mintLiveTicket(c.env.QR_SIGNING_KEY, s.id, Date.now());
			return c.json({ path: `/live/sessions/${s.id}?ticket=${ticket}` });
		})
		.post("/sessions/:id{[0-9]{1,12}}/scan", jsonBody(scanInput), async (c) => {
			const s = await session(c);
			const { action, token } = c.req.valid("json");
			const outcome = await punchWithPersonalToken(
				{ db: createDb(c.env.DB), rooms: c.env.SESSION_ROOM, qrKey: c.env.QR_SIGNING_KEY, now: Date.now() },
				s.id,
				action,
				token,
			);
			return punchResponse(c, outcome);
		})
		.get("/sessions/:id{[0-9]{1,12}}/attendance", async (c) => {
			const s = await session(c);
			return c.json({ session: s, people: await sessionAttendance(createDb(c.env.DB), s.id, Date.now()) });
		});
}
