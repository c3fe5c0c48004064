// /api/liff — the LIFF pages' API: the user's identities here, 學員專區 in liff-trainee-api.ts.
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db/client";
import { lineEventDeps } from "../deps";
import { LINE_ROLES } from "../domain/roles";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { liffAuth } from "../middleware/liff-auth";
import { jsonBody } from "../middleware/validate";
import { activateRole, myIdentities, unbindRole } from "../services/identity";
import { lineUserState } from "../services/line-users";
import { deliverOutbox } from "../services/outbox";
import { liffPunchApiRoutes } from "./liff-punch-api";
import { liffTeacherApiRoutes } from "./liff-teacher-api";
import { liffTraineeApiRoutes } from "./liff-trainee-api";

const role = z.enum(LINE_ROLES, { error: "身分只能是 trainee（學員）或 teacher（教師）" });

const identityRoutes = new Hono<AppEnv>()
	.get("/me", async (c) => {
		const user = c.get("liffUser");
		return c.json({
			activeRole: user.activeRole,
			identities: await myIdentities(createDb(c.env.DB), user.userId),
		});
	})
	.put("/me/active-role", jsonBody(z.object({ role })), async (c) => {
		const user = c.get("liffUser");
		const now = Date.now();
		const deps = lineEventDeps(c.env, now);
		const queued = await activateRole(deps.db, user.userId, c.req.valid("json").role, now);
		if (queued === null)
			throw new AppError("NOT_BOUND", "您尚未綁定這個身分，請先在 Training LINE 聊天室綁定。");
		c.executionCtx.waitUntil(deliverOutbox(deps, { ids: [queued] }));
		return c.json({ activeRole: (await lineUserState(deps.db, user.userId)).activeRole });
	})
	.delete("/me/bindings/:role", async (c) => {
		const parsed = role.safeParse(c.req.param("role"));
		if (!parsed.success) throw new AppError("NOT_FOUND");
		const user = c.get("liffUser");
		const now = Date.now();
		const deps = lineEventDeps(c.env, now);
		const queued = await unbindRole(deps.db, user.userId, parsed.data, now);
		if (queued === null) throw new AppError("NOT_FOUND", "這個身分沒有綁定，不需要解除。");
		c.executionCtx.waitUntil(deliverOutbox(deps, { ids: [queued] }));
		const state = await lineUserState(deps.db, user.userId);
		return c.json({ activeRole: state.activeRole, roles: state.roles });
	});

/** /api/liff: every route behind the LIFF ID token. */
export const liffApiRoutes = new Hono<AppEnv>()
	.use("*", liffAuth())
	.route("/", identityRoutes)
	.route("/", liffPunchApiRoutes)
	.route("/trainee", liffTraineeApiRoutes)
	.route("/teacher", liffTeacherApiRoutes);
