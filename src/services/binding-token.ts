// The /bind?t=… token: a jose-signed (HS256) reference to a binding request with its expiry.
// It only names the request; whether it is still usable (used, voided) is decided from D1.
import { errors, jwtVerify, SignJWT } from "jose";

const AUDIENCE = "training-line:bind";

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signBindingToken(
	secret: string,
	requestId: string,
	now: number,
	expiresAt: number,
): Promise<string> {
	return new SignJWT({})
		.setProtectedHeader({ alg: "HS256" })
		.setSubject(requestId)
		.setAudience(AUDIENCE)
		.setIssuedAt(Math.floor(now / 1000))
		.setExpirationTime(Math.floor(expiresAt / 1000))
		.sign(keyOf(secret));
}

export type BindingTokenCheck =
	| { ok: true; requestId: string }
	| { ok: false; reason: "expired" | "invalid" };

export async function verifyBindingToken(
	secret: string,
	token: string,
	now: number,
): Promise<BindingTokenCheck> {
	try {
		const { payload } = await jwtVerify(token, keyOf(secret), {
			algorithms: ["HS256"],
			audience: AUDIENCE,
			currentDate: new Date(now),
		});
		return payload.sub ? { ok: true, requestId: payload.sub } : { ok: false, reason: "invalid" };
	} catch (err) {
		return { ok: false, reason: err instanceof errors.JWTExpired ? "expired" : "invalid" };
	}
}
