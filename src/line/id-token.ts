// LIFF ID tokens (liff.getIDToken()): ES256 JWTs signed by LINE, checked against LINE's JWKS.
// Only ES256 is accepted, so "alg: none" and HS256-with-the-public-key confusion are refused.
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

/** LINE's clocks and ours may differ a little; a minute of tolerance on exp/iat. */
export const CLOCK_TOLERANCE_SECONDS = 60;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The JWKS of an API base, fetched once and cached by jose (refetched on an unknown key id). */
function keySet(lineApiBase: string) {
	const url = new URL("/oauth2/v2.1/certs", lineApiBase).toString();
	let set = keySets.get(url);
	if (!set) {
		set = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 6 * 60 * 60_000 });
		keySets.set(url, set);
	}
	return set;
}

export type IdTokenCheck = { ok: true; userId: string } | { ok: false; reason: "expired" | "invalid" };

export async function verifyLineIdToken(
	token: string,
	options: { lineApiBase: string; issuer: string; channelId: string; now: number },
): Promise<IdTokenCheck> {
	try {
		const { payload } = await jwtVerify(token, keySet(options.lineApiBase), {
			algorithms: ["ES256"],
			issuer: options.issuer,
			audience: options.channelId,
			// jose checks exp and iat only when present; a LINE ID token always has both.
			requiredClaims: ["exp", "iat"],
			clockTolerance: CLOCK_TOLERANCE_SECONDS,
			currentDate: new Date(options.now),
		});
		return typeof payload.sub === "string" && /^U[0-9a-f]{32}$/.test(payload.sub)
			? { ok: true, userId: payload.sub }
			: { ok: false, reason: "invalid" };
	} catch (err) {
		return { ok: false, reason: err instanceof errors.JWTExpired ? "expired" : "invalid" };
	}
}
