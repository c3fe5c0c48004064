// LIFF sign-in for every LIFF API: the page sends liff.getIDToken() as a bearer token; it is
// verified (ES256, LINE's JWKS, iss, aud, exp ± 60 s) and mapped to the user's bindings. Profile
// data sent by the page is never trusted: who the user is comes from the token's `sub` only.
import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type AppEnv, settingsOf } from "../env";
import { AppError } from "../errors";
import { verifyLineIdToken } from "../line/id-token";
import { log } from "../log";
import { lineUserState } from "../services/line-users";

export const liffAuth = () =>
	createMiddleware<AppEnv>(async (c, next) => {
		const header = c.req.header("authorization") ?? "";
		const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
		if (!token) throw new AppError("ID_TOKEN_MISSING");
		const settings = settingsOf(c.env);
		const check = await verifyLineIdToken(token, {
			lineApiBase: settings.lineApiBase,
			issuer: settings.lineAccessBase,
			channelId: settings.lineLoginChannelId,
			now: Date.now(),
		});
		if (!check.ok) {
			if (check.reason === "invalid") log.warn("liff_token_refused", { requestId: c.get("requestId") });
			throw new AppError(check.reason === "expired" ? "ID_TOKEN_EXPIRED" : "ID_TOKEN_INVALID");
		}
		const state = await lineUserState(createDb(c.env.DB), check.userId);
		c.set("liffUser", {
			userId: check.userId,
			activeRole: state.activeRole,
			roles: state.roles,
			personIds: state.personIds,
		});
		await next();
	});
