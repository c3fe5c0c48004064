// Public QR routes: exchanging a scanned session QR for a scan ticket before sign-in, and the live
// counter's WebSocket (opened with a ticket from 教師專區 or the dashboard).
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { jsonBody } from "../middleware/validate";
import { verifySessionQrToken } from "../qr/rotating-token";
import { mintScanTicket, verifyLiveTicket } from "../qr/tickets";
import { roomOf } from "../services/punch";

export const qrPublicRoutes = new Hono<AppEnv>()
	// The scan page calls this first, so a QR that was valid on arrival survives a slow LINE login.
	.post("/api/qr/ticket", jsonBody(z.object({ token: z.string().trim().min(1).max(200) })), async (c) => {
		const now = Date.now();
		const check = await verifySessionQrToken(c.env.QR_SIGNING_KEY, c.req.valid("json").token, now);
		if (!check.ok)
			throw new AppError(
				check.reason === "expired" || check.reason === "future" ? "TOKEN_EXPIRED" : "TOKEN_FORGED",
			);
		const { ticket, expiresAt } = await mintScanTicket(c.env.QR_SIGNING_KEY, check.sessionId, now);
		return c.json({ ticket, expiresAt });
	})
	.get("/live/sessions/:id{[0-9]{1,12}}", async (c) => {
		const sessionId = Number(c.req.param("id"));
		if (c.req.header("upgrade") !== "websocket") throw new AppError("BAD_REQUEST", "請以 WebSocket 連線");
		if (!(await verifyLiveTicket(c.env.QR_SIGNING_KEY, c.req.query("ticket") ?? "", sessionId, Date.now())))
			throw new AppError("UNAUTHORIZED", "即時人數的連線已逾時，請重新整理頁面");
		const url = new URL(c.req.url);
		url.search = `?session=${sessionId}`;
		const upgraded = await roomOf(c.env.SESSION_ROOM, sessionId).fetch(new Request(url, c.req.raw));
		// A fresh response: the room's has immutable headers, and the app's middleware adds its own.
		return new Response(upgraded.body, { status: upgraded.status, webSocket: upgraded.webSocket });
	});
