// /admin — the training units' and the agency's dashboard. Every state-changing request must come
// from a page of this site (Origin check, on top of the SameSite=Lax session cookie).
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import type { AppEnv } from "../../env";
import { requireStaff } from "../../middleware/staff-session";
import { adminAuthRoutes } from "./auth";
import { adminPageRoutes } from "./pages";

export const adminRoutes = new Hono<AppEnv>()
	.use("*", csrf())
	.route("/", adminAuthRoutes)
	.use("*", requireStaff())
	.route("/", adminPageRoutes);
