// /liff/trainee/… and /liff/teacher/… — the LIFF apps' pages (one shell; the page app routes).
import { Hono } from "hono";
import { type AppEnv, settingsOf } from "../env";
import { htmlDocument } from "../views/document";
import { LiffShell } from "../views/liff-shell";

export const liffPageRoutes = new Hono<AppEnv>().get("/liff/:role{trainee|teacher}/*", (c) => {
	const role = c.req.param("role") as "trainee" | "teacher";
	const settings = settingsOf(c.env);
	c.header("Cache-Control", "no-store");
	return c.html(
		htmlDocument(
			<LiffShell
				role={role}
				liffId={role === "trainee" ? settings.liffIdTrainee : settings.liffIdTeacher}
				base={`/liff/${role}`}
				development={settings.isDevelopment}
			/>,
		),
	);
});
