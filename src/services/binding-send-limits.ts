// Send limits for binding codes, checked and recorded in one statement: the challenge row is
// inserted only while the destination's cool-down is over and the day's counts are below their
// limits, so parallel sends (two tabs, a new link, a script) cannot slip past a check-then-insert gap.
import { and, desc, eq, gt, gte, notExists, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import type { Db } from "../db/client";
import { bindingRequests, otpChallenges } from "../db/schema";
import { taipeiDate, taipeiInstant } from "../domain/taipei-time";
import {
	CODE_RESEND_AFTER_MS,
	CODE_SENDS_PER_DESTINATION_PER_DAY,
	CODE_SENDS_PER_LINE_USER_PER_DAY,
} from "./one-time-code";

export type ChallengeRow = typeof otpChallenges.$inferInsert & {
	id: string;
	bindingRequestId: string;
	destinationHmac: string;
	createdAt: number;
};

export type Reservation =
	| { ok: true }
	| { ok: false; reason: "cool_down"; retryInSeconds: number }
	| { ok: false; reason: "daily_limit" };

const startOfTaipeiDay = (now: number) => taipeiInstant(taipeiDate(now));

/**
 * Inserts the challenge if the destination (by its HMAC, whichever link asked) got no code in the
 * last CODE_RESEND_AFTER_MS, got fewer than CODE_SENDS_PER_DESTINATION_PER_DAY codes this Taipei
 * day, and the LINE user fewer than CODE_SENDS_PER_LINE_USER_PER_DAY. Otherwise says which rule held.
 */
export async function reserveCodeSend(
	db: Db,
	lineUserId: string,
	row: ChallengeRow,
	now: number,
): Promise<Reservation> {
	const dayStart = startOfTaipeiDay(now);
	const recent = db
		.select({ one: sql`1` })
		.from(otpChallenges)
		.where(
			and(
				eq(otpChallenges.destinationHmac, row.destinationHmac),
				gt(otpChallenges.createdAt, now - CODE_RESEND_AFTER_MS),
			),
		);
	const perDestination = db
		.select({ n: sql`count(*)` })
		.from(otpChallenges)
		.where(
			and(eq(otpChallenges.destinationHmac, row.destinationHmac), gte(otpChallenges.createdAt, dayStart)),
		);
	const perUser = db
		.select({ n: sql`count(*)` })
		.from(otpChallenges)
		.innerJoin(bindingRequests, eq(bindingRequests.id, otpChallenges.bindingRequestId))
		.where(and(eq(bindingRequests.lineUserId, lineUserId), gte(otpChallenges.createdAt, dayStart)));
	const inserted = await insertIf(db, otpChallenges, row, {
		from: bindingRequests,
		where: and(
			eq(bindingRequests.id, row.bindingRequestId),
			notExists(recent),
			sql`${perDestination} < ${CODE_SENDS_PER_DESTINATION_PER_DAY}`,
			sql`${perUser} < ${CODE_SENDS_PER_LINE_USER_PER_DAY}`,
		),
	});
	if (inserted.meta.changes === 1) return { ok: true };

	const last = await db
		.select({ createdAt: otpChallenges.createdAt })
		.from(otpChallenges)
		.where(eq(otpChallenges.destinationHmac, row.destinationHmac))
		.orderBy(desc(otpChallenges.createdAt))
		.get();
	if (last && now < last.createdAt + CODE_RESEND_AFTER_MS) {
		return {
			ok: false,
			reason: "cool_down",
			retryInSeconds: Math.ceil((last.createdAt + CODE_RESEND_AFTER_MS - now) / 1000),
		};
	}
	return { ok: false, reason: "daily_limit" };
}

/** Gives a reservation back when the provider did not take the message: it costs no send of the day. */
export async function releaseCodeSend(db: Db, challengeId: string): Promise<void> {
	await db.delete(otpChallenges).where(eq(otpChallenges.id, challengeId));
}
