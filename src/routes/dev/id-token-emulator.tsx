// LINE Login for development: the JWKS at LINE's path, and ID tokens for demo users that the
// mock LIFF (static/app/liff-mock.js) asks for. The key below exists only for this emulator;
// production verifies tokens against LINE's own JWKS.

import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { exportJWK, importJWK, SignJWT } from "jose";
import { z } from "zod";
import { type AppEnv, settingsOf } from "../../env";
import { queryParams } from "../../middleware/validate";
import { LiffLoginPage } from "../../views/dev-liff-login";
import { htmlDocument } from "../../views/document";
import { DEMO_USER_LABELS } from "./chat";
import { developmentOnly } from "./development-only";

const DEV_SIGNING_KEY = {
	kty: "EC",
	crv: "P-256",
	x: "7ikn8n2OgDcUwHZ8gNVrsClzRz4cNfuVTiGZh0vN6qM",
	y: "nJZd3S6nOKm5U8RENLI1R4V6jjpMtgS_gwXPu_VhZ4g",
	d: "p37A1yL5w7fcWrgWhnL-HP7X8YCOMZuJqM7_p3W0PAo",
};
export const DEV_KEY_ID = "training-line-dev-1";
/** LINE's ID tokens live about an hour; the emulator's too. */
export const DEV_ID_TOKEN_TTL_SECONDS = 3600;

const { d: _private, ...DEV_PUBLIC_KEY } = DEV_SIGNING_KEY;

/** The emulator's private key, for tests that need a token LINE would never issue (e.g. without exp). */
export const devSigningKey = () => importJWK(DEV_SIGNING_KEY, "ES256");

/** An ID token as LINE would issue it for this user (also used by tests). */
export async function signDevIdToken(
	userId: string,
	options: { issuer: string; channelId: string; now: number; ttlSeconds?: number },
): Promise<string> {
	const key = await devSigningKey();
	const iat = Math.floor(options.now / 1000);
	return new SignJWT({ name: "LINE 使用者", amr: ["linesso"] })
		.setProtectedHeader({ alg: "ES256", kid: DEV_KEY_ID, typ: "JWT" })
		.setIssuer(options.issuer)
		.setSubject(userId)
		.setAudience(options.channelId)
		.setIssuedAt(iat)
		.setExpirationTime(iat + (options.ttlSeconds ?? DEV_ID_TOKEN_TTL_SECONDS))
		.sign(key);
}

export const idTokenEmulator = new Hono<AppEnv>()
	.use("/oauth2/*", developmentOnly())
	.use("/__dev/liff/*", developmentOnly())
	.get("/oauth2/v2.1/certs", async (c) => {
		const jwk = await exportJWK(await importJWK(DEV_PUBLIC_KEY, "ES256"));
		return c.json({ keys: [{ ...jwk, kid: DEV_KEY_ID, alg: "ES256", use: "sig" }] });
	})
	.get(
		"/__dev/liff/login",
		queryParams(
			z.object({
				redirect: z
					.string()
					.regex(/^\/liff\//, "只能回到 /liff/ 頁面")
					.max(500),
			}),
		),
		(c) =>
			c.html(
				htmlDocument(
					<LiffLoginPage
						redirect={c.req.valid("query").redirect}
						users={DEMO_USER_LABELS}
						current={getCookie(c, "tl_dev_user") ?? null}
					/>,
				),
			),
	)
	.get(
		"/__dev/liff/id-token",
		queryParams(z.object({ userId: z.string().regex(/^U[0-9a-f]{32}$/) })),
		async (c) => {
			const settings = settingsOf(c.env);
			const idToken = await signDevIdToken(c.req.valid("query").userId, {
				issuer: settings.lineAccessBase,
				channelId: settings.lineLoginChannelId,
				now: Date.now(),
			});
			return c.json({ idToken });
		},
	);
