// /admin — the training units' and the agency's dashboard. Every state-changing request must come
// from a page of this site (Origin check, on top of the SameSite=Lax session cookie).
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { requireStaff } from "../../middleware/staff-session";
import { unitSession } from "../../services/teacher-sessions";
import { sessionConsoleRoutes } from "../session-console";
import { adminAccountRoutes } from "./account";
import { adminAuthRoutes } from "./auth";
import { adminClassRoutes } from "./classes";
import { adminPageRoutes } from "./pages";
import { adminRosterImportRoutes } from "./roster-import";
import { adminSessionPunchRoutes } from "./session-punches";

export const adminRoutes = new Hono<AppEnv>()
	.use("*", csrf())
	.route("/", adminAuthRoutes)
	.use("*", requireStaff())
	.route("/", adminPageRoutes)
	.route("/", adminAccountRoutes)
	.route("/", adminRosterImportRoutes)
	.route("/", adminClassRoutes)
	.route("/", adminSessionPunchRoutes)
	// The session console's JSON API for the dashboard's session pages, scoped to the unit.
	.route(
		"/api",
		sessionConsoleRoutes((c, sessionId) => unitSession(createDb(c.env.DB), c.get("staff").unitId, sessionId)),
	);
