// Gives every request an id (X-Request-Id) that appears in error envelopes and log lines.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/** Always server-generated: a client-chosen id could forge or confuse log correlation. */
export const requestId = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		const id = crypto.randomUUID();
		c.set("requestId", id);
		await next();
		c.res.headers.set("X-Request-Id", id);
	});
