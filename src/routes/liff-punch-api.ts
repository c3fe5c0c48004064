// /api/liff — 簽到/簽退 for the signed-in person: punch with a session's QR, ticket or short code
// (掃描), and the personal QR (QR CODE page).
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db/client";
import { PUNCH_ACTIONS } from "../domain/attendance-status";
import { LINE_ROLES, type LineRole } from "../domain/roles";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { jsonBody, queryParams } from "../middleware/validate";
import { qrSvg } from "../qr/render";
import { mintPersonalToken } from "../qr/tickets";
import { punchWithSessionCode, type SessionCode } from "../services/punch";
import { punchResponse } from "./punch-outcome";

const role = z.enum(LINE_ROLES, { error: "身分只能是 trainee（學員）或 teacher（教師）" });
const action = z.enum(PUNCH_ACTIONS, { error: "請選擇簽到或簽退" });
const code = z
	.string({ error: "請掃描 QR Code" })
	.trim()
	.min(1, "請掃描 QR Code")
	.max(200, "這不是 Training LINE 的 QR Code");

const punchInput = z.union([
	z.object({ role, action, token: code }),
	z.object({ role, action, ticket: code }),
	z.object({
		role,
		action,
		code: z
			.string()
			.trim()
			.regex(/^\d{3}\s?\d{3}$/, "請輸入 QR Code 下方的 6 位數字"),
	}),
]);

/** The person of the signed-in LINE user for a role, or 403 when that identity is not bound. */
function personOf(c: { get(key: "liffUser"): AppEnv["Variables"]["liffUser"] }, asRole: LineRole): number {
	const personId = c.get("liffUser").personIds[asRole];
	if (!personId)
		throw new AppError("NOT_BOUND", `請先在 Training LINE 綁定${asRole === "trainee" ? "學員" : "教師"}身分`);
	return personId;
}

export const liffPunchApiRoutes = new Hono<AppEnv>()
	.post("/punch", jsonBody(punchInput), async (c) => {
		const input = c.req.valid("json");
		const personId = personOf(c, input.role);
		const outcome = await punchWithSessionCode(
			{ db: createDb(c.env.DB), rooms: c.env.SESSION_ROOM, qrKey: c.env.QR_SIGNING_KEY, now: Date.now() },
			{ personId, role: input.role },
			input.action,
			input as SessionCode,
		);
		return punchResponse(c, outcome);
	})
	.get("/me/qr", queryParams(z.object({ role })), async (c) => {
		const asRole = c.req.valid("query").role;
		const personId = personOf(c, asRole);
		const now = Date.now();
		const { token, expiresAt } = await mintPersonalToken(c.env.QR_SIGNING_KEY, personId, asRole, now);
		c.header("Cache-Control", "no-store");
		return c.json({ token, svg: qrSvg(token), expiresAt, serverNow: now });
	});
