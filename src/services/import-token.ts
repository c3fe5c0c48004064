// The signed hand-over from a CSV import's preview to its 確認匯入: the checked rows travel in an
// HS256 token for this member only, with its own audience and key per import, valid for a while.
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/**
 * Sign and read tokens of one import (`purpose`, e.g. "roster-import"). `row` is the schema a row
 * must pass again when it comes back; the token holds 1 to `maxRows` of them.
 */
export function importTokens<R>(purpose: string, row: z.ZodType<R>, maxRows: number, ttlSeconds: number) {
	const audience = `training-line-${purpose}`;
	const keyOf = (secret: string) => new TextEncoder().encode(`${purpose}\u0000${secret}`);
	const payload = z.object({ rows: z.array(row).min(1).max(maxRows) });
	return {
		/** The rows to confirm, signed for this member. */
		sign(secret: string, staffId: number, rows: R[], now: number): Promise<string> {
			return new SignJWT({ rows })
				.setProtectedHeader({ alg: "HS256" })
				.setSubject(String(staffId))
				.setAudience(audience)
				.setIssuedAt(Math.floor(now / 1000))
				.setExpirationTime(Math.floor(now / 1000) + ttlSeconds)
				.sign(keyOf(secret));
		},
		/** The rows of a token signed for this member and not expired; null otherwise. */
		async read(secret: string, staffId: number, token: string, now: number): Promise<R[] | null> {
			try {
				const verified = await jwtVerify(token, keyOf(secret), {
					algorithms: ["HS256"],
					audience,
					subject: String(staffId),
					currentDate: new Date(now),
				});
				const parsed = payload.safeParse(verified.payload);
				return parsed.success ? parsed.data.rows : null;
			} catch {
				return null;
			}
		},
	};
}
