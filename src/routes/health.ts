// GET /healthz — for load balancers and uptime checks.
import { Hono } from "hono";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { describeError, log } from "../log";
import { databaseIsReady } from "../services/health";

export const healthRoutes = new Hono<AppEnv>().get("/healthz", async (c) => {
	let ready = false;
	try {
		ready = await databaseIsReady(createDb(c.env.DB));
	} catch (err) {
		log.error("health_db_error", { requestId: c.get("requestId"), error: describeError(err) });
	}
	if (!ready) throw new AppError("SERVICE_UNAVAILABLE", "資料庫暫時無法使用，請稍後再試");
	c.header("Cache-Control", "no-store");
	return c.json({ ok: true });
});
