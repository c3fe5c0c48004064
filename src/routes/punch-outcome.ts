// Maps a punch outcome to the response the pages show: what was recorded, or the refusal's error.
import type { Context } from "hono";
import { PUNCH_TIMING_LABELS } from "../domain/punch-rules";
import type { PunchOutcome } from "../durable/session-room";
import type { AppEnv } from "../env";
import { AppError } from "../errors";

export function punchResponse(c: Context<AppEnv>, outcome: PunchOutcome) {
	if (!outcome.ok)
		throw new AppError(outcome.code === "SESSION_NOT_FOUND" ? "NOT_FOUND" : outcome.code, outcome.message);
	return c.json({
		action: outcome.action,
		at: outcome.at,
		timing: outcome.timing,
		timingLabel: PUNCH_TIMING_LABELS[outcome.timing],
		repeated: outcome.repeated,
		name: outcome.name,
		subject: outcome.subject,
		className: outcome.className,
	});
}
