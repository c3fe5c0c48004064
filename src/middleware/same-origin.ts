// Every state-changing dashboard request must come from a page of this site, whatever its content
// type: hono's csrf() checks only form posts, and a JSON post must not slip through on the session
// cookie. Browsers send Origin on every POST; without one, Sec-Fetch-Site must say same-origin.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const requireSameOrigin = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		if (!SAFE_METHODS.has(c.req.method)) {
			const origin = c.req.header("origin");
			const sameOrigin = origin
				? origin === new URL(c.req.url).origin
				: c.req.header("sec-fetch-site") === "same-origin";
			if (!sameOrigin) throw new AppError("FORBIDDEN", "請從管理後台的頁面操作");
		}
		await next();
	});
