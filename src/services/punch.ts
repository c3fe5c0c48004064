// 簽到/簽退 use cases: a person scanning a session's QR (or typing its short code), and staff or a
// teacher scanning a person's QR. Tokens are checked here; every punch then goes to the session's
// SessionRoom, which applies the rules and records it.
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { classes, classTeachers, enrollments, plans, sessions } from "../db/schema";
import type { PunchAction } from "../domain/attendance-status";
import { MAX_SHORT_CODE_MISSES, PUNCH_REFUSAL_MESSAGES, type PunchRefusal } from "../domain/punch-rules";
import type { LineRole } from "../domain/roles";
import { taipeiDate } from "../domain/taipei-time";
import type { PunchOutcome, PunchRequest, SessionRoom } from "../durable/session-room";
import { matchesShortCode, verifySessionQrToken } from "../qr/rotating-token";
import { verifyPersonalToken, verifyScanTicket } from "../qr/tickets";

export type PunchDeps = { db: Db; rooms: DurableObjectNamespace<SessionRoom>; qrKey: string; now: number };
export type Puncher = { personId: number; role: LineRole };

export const roomOf = (rooms: DurableObjectNamespace<SessionRoom>, sessionId: number) =>
	rooms.get(rooms.idFromName(`session:${sessionId}`));

const refused = (code: PunchRefusal): PunchOutcome => ({
	ok: false,
	code,
	message: PUNCH_REFUSAL_MESSAGES[code],
});

export type SessionCode = { token: string } | { ticket: string } | { code: string };

/** A person punches with what the session's display shows: its QR token, a scan ticket, or the short code. */
export async function punchWithSessionCode(
	deps: PunchDeps,
	who: Puncher,
	action: PunchAction,
	input: SessionCode,
): Promise<PunchOutcome> {
	const { qrKey, now } = deps;
	const base = { personId: who.personId, role: who.role, action, at: now };
	if ("token" in input) {
		const check = await verifySessionQrToken(qrKey, input.token, now);
		if (!check.ok) {
			if (check.reason === "malformed" || check.reason === "forged") return refused("TOKEN_FORGED");
			// The token is genuine but old (a forwarded screenshot) or early: the room logs it.
			const sessionId = sessionIdOf(input.token);
			await roomOf(deps.rooms, sessionId).refuse(
				{ ...base, sessionId, method: "session_qr" },
				"TOKEN_EXPIRED",
			);
			return refused("TOKEN_EXPIRED");
		}
		return send(deps, { ...base, sessionId: check.sessionId, method: "session_qr" });
	}
	if ("ticket" in input) {
		const check = await verifyScanTicket(qrKey, input.ticket, now);
		if (!check.ok) return refused(check.reason === "expired" ? "TOKEN_EXPIRED" : "TOKEN_FORGED");
		return send(deps, {
			...base,
			sessionId: check.value.sessionId,
			method: "session_qr",
			singleUse: { jti: `ticket:${check.value.jti}`, perAction: false },
		});
	}
	return punchWithShortCode(deps, who, action, input.code);
}

/** Staff or a teacher scans a person's QR for a session they run. */
export async function punchWithPersonalToken(
	deps: PunchDeps,
	sessionId: number,
	action: PunchAction,
	token: string,
): Promise<PunchOutcome> {
	const check = await verifyPersonalToken(deps.qrKey, token, deps.now);
	if (!check.ok) return refused(check.reason === "expired" ? "TOKEN_EXPIRED" : "TOKEN_FORGED");
	const { personId, role, jti } = check.value;
	return send(deps, {
		sessionId,
		personId,
		role,
		action,
		method: "personal_qr",
		at: deps.now,
		singleUse: { jti: `personal:${jti}`, perAction: true },
	});
}

function send(deps: PunchDeps, request: PunchRequest): Promise<PunchOutcome> {
	return roomOf(deps.rooms, request.sessionId).punch(request);
}

/** The session id a well-formed token names (only used after its signature was checked). */
function sessionIdOf(token: string): number {
	return Number.parseInt(token.split(".")[1] ?? "0", 36);
}

/**
 * The short code names no session: it is tried against the person's own sessions of the Taipei day
 * (a trainee's class, a teacher's sessions), so a code of another class never matches; the room
 * then applies the punch window as for a scan. Wrong codes are counted (in the room of the day's
 * first session) and typing pauses after MAX_SHORT_CODE_MISSES, so six digits cannot be guessed.
 */
async function punchWithShortCode(
	deps: PunchDeps,
	who: Puncher,
	action: PunchAction,
	code: string,
): Promise<PunchOutcome> {
	const { db, now, qrKey } = deps;
	const mine =
		who.role === "trainee"
			? inArray(
					sessions.classId,
					db
						.select({ id: enrollments.classId })
						.from(enrollments)
						.where(and(eq(enrollments.personId, who.personId), eq(enrollments.status, "active"))),
				)
			: or(
					eq(sessions.teacherPersonId, who.personId),
					inArray(
						sessions.classId,
						db
							.select({ id: classTeachers.classId })
							.from(classTeachers)
							.where(eq(classTeachers.personId, who.personId)),
					),
				);
	const candidates = await db
		.select({ id: sessions.id, seconds: plans.qrRotationSeconds })
		.from(sessions)
		.innerJoin(classes, eq(classes.id, sessions.classId))
		.innerJoin(plans, eq(plans.id, classes.planId))
		.where(and(eq(sessions.date, taipeiDate(now)), mine))
		.orderBy(asc(sessions.id));
	const first = candidates[0];
	if (!first) return refused("SHORT_CODE_WRONG");
	const keeper = roomOf(deps.rooms, first.id);
	if ((await keeper.shortCodeMisses(who.personId, now)) >= MAX_SHORT_CODE_MISSES)
		return refused("TOO_MANY_CODE_TRIES");
	for (const s of candidates)
		if (await matchesShortCode(qrKey, s.id, code, now, s.seconds))
			return send(deps, {
				personId: who.personId,
				role: who.role,
				action,
				at: now,
				sessionId: s.id,
				method: "short_code",
			});
	await keeper.recordShortCodeMiss({
		sessionId: first.id,
		personId: who.personId,
		role: who.role,
		action,
		method: "short_code",
		at: now,
	});
	return refused("SHORT_CODE_WRONG");
}
