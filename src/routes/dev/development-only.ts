// Gate for the development tools: outside ENVIRONMENT=development they do not exist (404).
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { settingsOf } from "../../env";
import { AppError } from "../../errors";

export const developmentOnly = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		if (!settingsOf(c.env).isDevelopment) throw new AppError("NOT_FOUND");
		await next();
	});
