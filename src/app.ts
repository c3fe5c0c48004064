// Builds the Hono app: middleware, one router per surface, one error handler.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env";
import { limitAppBody } from "./middleware/body-limit";
import { contentSecurity } from "./middleware/content-security";
import { handleError, handleNotFound } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { adminRoutes } from "./routes/admin";
import { bindRoutes } from "./routes/bind";
import { accountLinkDialogRoutes } from "./routes/dev/account-link-dialog";
import { type Dispatch, devChatRoutes } from "./routes/dev/chat";
import { idTokenEmulator } from "./routes/dev/id-token-emulator";
import { lineApiEmulator } from "./routes/dev/line-api-emulator";
import { healthRoutes } from "./routes/health";
import { liffApiRoutes } from "./routes/liff-api";
import { liffPageRoutes } from "./routes/liff-pages";
import { qrPublicRoutes } from "./routes/qr-public";
import { webhookRoutes } from "./routes/webhook";

export function createApp() {
	const app = new Hono<AppEnv>();
	app.use("*", requestId());
	app.use(
		"*",
		secureHeaders({
			referrerPolicy: "no-referrer",
			xFrameOptions: "DENY",
			crossOriginResourcePolicy: "same-origin",
		}),
	);
	app.use("*", contentSecurity());
	app.use("*", limitAppBody());
	app.route("/", healthRoutes);
	app.route("/", webhookRoutes);
	app.route("/", bindRoutes);
	app.route("/", qrPublicRoutes);
	app.get("/admin/", (c) => c.redirect("/admin", 301));
	app.route("/admin", adminRoutes);
	app.route("/api/liff", liffApiRoutes);
	app.route("/", liffPageRoutes);
	// Development only (404 elsewhere): the LINE emulator at LINE's own paths, and its chat page.
	const dispatch: Dispatch = (request, env, ctx) => app.fetch(request, env, ctx);
	app.route("/", lineApiEmulator);
	app.route("/", accountLinkDialogRoutes(dispatch));
	app.route("/", idTokenEmulator);
	app.route("/__dev", devChatRoutes(dispatch));
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}

export type App = ReturnType<typeof createApp>;
