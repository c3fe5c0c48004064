// Builds the Hono app: middleware, one router per surface, one error handler.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env";
import { limitBody } from "./middleware/body-limit";
import { handleError, handleNotFound } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { devChatRoutes } from "./routes/dev/chat";
import { lineApiEmulator } from "./routes/dev/line-api-emulator";
import { healthRoutes } from "./routes/health";
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
	app.use("*", limitBody());
	app.route("/", healthRoutes);
	app.route("/", webhookRoutes);
	// Development only (404 elsewhere): the LINE emulator at LINE's own paths, and its chat page.
	app.route("/", lineApiEmulator);
	app.route(
		"/__dev",
		devChatRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
	);
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}

export type App = ReturnType<typeof createApp>;
