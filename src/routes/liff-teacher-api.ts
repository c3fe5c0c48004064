// /api/liff/teacher — 教師專區: my sessions, and the console of each session I teach.
import type { Context } from "hono";
import { Hono } from "hono";
import { createDb } from "../db/client";
import { addDays, taipeiDate } from "../domain/taipei-time";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { taughtSession, teacherSessions } from "../services/teacher-sessions";
import { sessionConsoleRoutes } from "./session-console";

function teacherOf(c: Context<AppEnv>): number {
	const personId = c.get("liffUser").personIds.teacher;
	if (!personId) throw new AppError("NOT_BOUND", "請先在 Training LINE 綁定教師身分");
	return personId;
}

export const liffTeacherApiRoutes = new Hono<AppEnv>()
	.get("/sessions", async (c) => {
		const today = taipeiDate(Date.now());
		const list = await teacherSessions(createDb(c.env.DB), teacherOf(c), today, addDays(today, 14));
		return c.json({ today, sessions: list });
	})
	.route(
		"/",
		sessionConsoleRoutes((c, sessionId) => taughtSession(createDb(c.env.DB), teacherOf(c), sessionId)),
	);
