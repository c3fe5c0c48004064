// Scenario (a), the morning rush: 200 sessions open now × 30 bound trainees, each checking in once
// through the session's rotating QR (POST /api/liff/punch), shuffled so sessions interleave as in a
// real morning; then a count of what reached D1 (attendance rows and accepted punches).
import { mintSessionQrToken } from "../../src/qr/rotating-token.ts";
import { signDevIdToken } from "../../src/routes/dev/id-token-emulator.tsx";
import {
	boundTraineeInserts,
	COLUMNS,
	devVars,
	inserts,
	lineUserId,
	MINUTE,
	shuffled,
	sleep,
} from "../lib/bench.mjs";

export const SESSIONS = 200;
export const PER_SESSION = 30;
const TOTAL = SESSIONS * PER_SESSION;
/** People 1…6,000 and sessions/classes 1…200 are this data set's; other data sets start above. */
export const PUNCH_PEOPLE = TOTAL;

/** Seed SQL: 200 one-day classes of unit 1 / plan 1 (see unitAndPlan), each with one session open now. */
export function punchData(now) {
	const today = new Date(now + 8 * 60 * MINUTE).toISOString().slice(0, 10); // Taipei date
	// Started 5 minutes ago, ends in 3 hours: check-in is open (from 30 min before start until the end).
	const startsAt = now - 5 * MINUTE;
	const endsAt = now + 180 * MINUTE;
	const sessionIds = Array.from({ length: SESSIONS }, (_, i) => i + 1);
	const personIds = Array.from({ length: TOTAL }, (_, i) => i + 1);
	const classOf = (personId) => Math.ceil(personId / PER_SESSION);
	const sql = [
		...inserts(
			"classes",
			COLUMNS.classes,
			sessionIds.map((id) => [id, 1, 1, `BENCH-${id}`, `壓測班 ${id}`, today, today, 3, now, now]),
		),
		...inserts(
			"sessions",
			["id", "class_id", "date", "starts_at", "ends_at", "hours", "subject", "created_at", "updated_at"],
			sessionIds.map((id) => [id, id, today, startsAt, endsAt, 3, "壓測課程", now, now]),
		),
		...boundTraineeInserts(
			personIds.map((id) => ({
				id,
				name: `壓測學員${id}`,
				hmac: `bench-${id}`,
				classId: classOf(id),
				seat: ((id - 1) % PER_SESSION) + 1,
			})),
			now,
		),
	].join("\n");
	return { sql, summary: `${SESSIONS} sessions open now × ${PER_SESSION} trainees` };
}

/** Runs the rush; returns its load figures and the D1 counts. */
export async function punchScenario(bench) {
	// ID tokens as LINE (here the emulator's key) would issue them, signed before timing starts.
	const signOptions = { issuer: bench.baseUrl, channelId: devVars.LINE_LOGIN_CHANNEL_ID, now: Date.now() };
	const idTokens = new Map();
	for (let personId = 1; personId <= TOTAL; personId++)
		idTokens.set(personId, await signDevIdToken(lineUserId(personId), signOptions));

	// The session QR shown on the classroom display: re-minted every 15-second window.
	const qrCache = new Map();
	const qrToken = async (sessionId) => {
		const window = Math.floor(Date.now() / 15_000);
		const cached = qrCache.get(sessionId);
		if (cached?.window === window) return cached.token;
		const { token } = await mintSessionQrToken(devVars.QR_SIGNING_KEY, sessionId, Date.now(), 15);
		qrCache.set(sessionId, { window, token });
		return token;
	};

	const punches = shuffled(
		Array.from({ length: TOTAL }, (_, i) => ({
			personId: i + 1,
			sessionId: Math.ceil((i + 1) / PER_SESSION),
		})),
	);
	let repeated = 0;
	const punchOf = async ({ personId, sessionId }) => ({
		method: "POST",
		path: "/api/liff/punch",
		options: {
			headers: { authorization: `Bearer ${idTokens.get(personId)}` },
			body: { role: "trainee", action: "check_in", token: await qrToken(sessionId) },
		},
	});
	const check = (res) => {
		if (res.text.includes('"repeated":true')) repeated++;
	};
	const failed = [];
	const figures = await bench.load("POST /api/liff/punch", TOTAL, (i) => punchOf(punches[i]), {
		check,
		onFailure: (i) => failed.push(punches[i]),
	});
	// A trainee whose punch got no answer scans again (the punch may have been kept: it must not count twice).
	if (failed.length)
		await bench.load(`  second scan of ${failed.length}`, failed.length, (i) => punchOf(failed[i]), {
			check,
		});

	// What reached D1. Write-through finishes before a punch answers; a failed one retries by alarm
	// in 5 s, so wait until the counts stop moving (at most 20 s).
	const count = () => {
		const [a] = bench.query(
			`SELECT COUNT(*) AS n FROM attendance WHERE session_id BETWEEN 1 AND ${SESSIONS} AND role = 'trainee' AND check_in_at IS NOT NULL`,
		);
		const [p] = bench.query(
			`SELECT SUM(accepted = 1) AS accepted, COUNT(DISTINCT CASE WHEN accepted = 1 THEN session_id || ':' || person_id END) AS pairs,
			        SUM(accepted = 0) AS refused
			 FROM punches WHERE session_id BETWEEN 1 AND ${SESSIONS} AND action = 'check_in'`,
		);
		return { attendance: a.n, accepted: p.accepted ?? 0, pairs: p.pairs, refused: p.refused ?? 0 };
	};
	let stored = count();
	for (let i = 0; i < 4 && (stored.attendance < TOTAL || stored.accepted < TOTAL); i++) {
		await sleep(5_000);
		stored = count();
	}
	// Lost: a trainee whose check-in is missing from attendance or from the accepted punches.
	// Duplicated: an accepted punch beyond the first of its trainee × session, or an attendance row
	// beyond one per trainee × session (the unique index makes the latter impossible; counted anyway).
	const lost = Math.max(0, TOTAL - Math.min(stored.attendance, stored.pairs));
	const duplicated = stored.accepted - stored.pairs + Math.max(0, stored.attendance - TOTAL);
	console.log(
		`D1: attendance with check_in_at ${stored.attendance}/${TOTAL}, accepted check-in punches ` +
			`${stored.accepted} (${stored.pairs} distinct trainee×session), refused punches ${stored.refused}, ` +
			`"repeated" answers ${repeated}`,
	);
	console.log(`punches lost ${lost}, duplicated ${duplicated}`);
	return {
		figures,
		counts: {
			punches: TOTAL,
			rescanned: failed.length,
			attendance: stored.attendance,
			accepted: stored.accepted,
			repeated,
			lost,
			duplicated,
		},
	};
}
