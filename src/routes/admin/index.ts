// /admin — the training units' and the agency's dashboard. Every state-changing request must come
// from a page of this site (Origin check on every content type, on top of the SameSite=Lax cookie).
import { Hono } from "hono";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { requireSameOrigin } from "../../middleware/same-origin";
import { requireStaff } from "../../middleware/staff-session";
import { unitSession } from "../../services/teacher-sessions";
import { sessionConsoleRoutes } from "../session-console";
import { adminAccountRoutes } from "./account";
import { adminAuditRoutes } from "./audit";
import { adminAuthRoutes } from "./auth";
import { adminClassRoutes } from "./classes";
import { adminPageRoutes } from "./pages";
import { adminPasswordRoutes } from "./password";
import { adminRosterImportRoutes } from "./roster-import";
import { adminSessionEditRoutes } from "./session-edit";
import { adminSessionPunchRoutes } from "./session-punches";
import { adminSettingsRoutes } from "./settings";
import { adminStaffRoutes } from "./staff";
import { adminTimetableImportRoutes } from "./timetable-import";

export const adminRoutes = new Hono<AppEnv>()
	.use("*", requireSameOrigin())
	.route("/", adminAuthRoutes)
	// Password links are opened by people who cannot sign in yet.
	.route("/", adminPasswordRoutes)
	.use("*", requireStaff())
	.route("/", adminPageRoutes)
	.route("/", adminAccountRoutes)
	.route("/", adminAuditRoutes)
	.route("/", adminRosterImportRoutes)
	.route("/", adminTimetableImportRoutes)
	.route("/", adminClassRoutes)
	.route("/", adminSessionPunchRoutes)
	.route("/", adminSessionEditRoutes)
	.route("/", adminStaffRoutes)
	.route("/", adminSettingsRoutes)
	// The session console's JSON API for the dashboard's session pages, scoped to the unit.
	.route(
		"/api",
		sessionConsoleRoutes((c, sessionId) => unitSession(createDb(c.env.DB), c.get("staff").unitId, sessionId)),
	);
