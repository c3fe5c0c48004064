// Every state-changing dashboard request must come from a page of this site, whatever its content
// type: hono's csrf() checks only form posts, and a JSON post must not slip through on the session
// cookie. Browsers say where a request comes from in Sec-Fetch-Site (which no page can set); their
// Origin is "null" on our pages, whose Referrer-Policy is no-referrer. Other clients send Origin.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const requireSameOrigin = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		if (!SAFE_METHODS.has(c.req.method)) {
			const site = c.req.header("sec-fetch-site");
			const sameOrigin = site ? site === "same-origin" : c.req.header("origin") === new URL(c.req.url).origin;
			if (!sameOrigin) throw new AppError("FORBIDDEN", "請從管理後台的頁面操作");
		}
		await next();
	});
