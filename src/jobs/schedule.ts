// Maps each cron trigger of wrangler.toml (UTC) to its jobs. Business days are Asia/Taipei (UTC+8).
import { createDb } from "../db/client";
import { lineEventDeps } from "../deps";
import { settingsOf } from "../env";
import { describeError, log } from "../log";
import { deliverOutbox } from "../services/outbox";
import { retryFailedEvents } from "../services/webhook-processing";
import { digestPendingLeave, expireUnreviewedLeave } from "./leave-jobs";
import { purgeExpired } from "./purge-expired";
import { closeOutSessions } from "./session-close-out";

export const CRONS = {
	/** Every 5 minutes: outbox and webhook-event retries. */
	everyFiveMinutes: "*/5 * * * *",
	/** Every 15 minutes: close-out of ended sessions. */
	everyQuarterHour: "*/15 * * * *",
	/** 16:00 UTC = 00:00 Taipei, daily: leave expiry and the purge of expired links and codes. */
	taipeiMidnight: "0 16 * * *",
	/** 00:00 UTC = 08:00 Taipei, Monday to Friday: pending-leave digest to units. */
	taipeiWeekdayMorning: "0 0 * * MON-FRI",
} as const;

type Job = (env: Env, now: number) => Promise<unknown>;

const JOBS: Record<string, Record<string, Job>> = {
	[CRONS.everyFiveMinutes]: {
		retryWebhookEvents: (env, now) => retryFailedEvents(lineEventDeps(env, now)),
		deliverOutbox: (env, now) => deliverOutbox(lineEventDeps(env, now)),
	},
	[CRONS.everyQuarterHour]: {
		closeOutSessions: (env, now) => closeOutSessions({ db: createDb(env.DB), now }),
	},
	[CRONS.taipeiMidnight]: {
		expireUnreviewedLeave: (env, now) =>
			expireUnreviewedLeave({ db: createDb(env.DB), now, settings: settingsOf(env) }),
		purgeExpired: (env, now) => purgeExpired(createDb(env.DB), now),
	},
	[CRONS.taipeiWeekdayMorning]: {
		digestPendingLeave: (env, now) => digestPendingLeave({ db: createDb(env.DB), now }),
	},
};

/** Runs every job of a cron; one failing job is logged and does not stop the others. */
export async function runScheduled(cron: string, env: Env, now: number): Promise<void> {
	const jobs = JOBS[cron];
	if (!jobs) {
		log.warn("cron_unknown", { cron });
		return;
	}
	for (const [name, job] of Object.entries(jobs)) {
		try {
			const result = await job(env, now);
			log.info("job_done", { cron, job: name, result });
		} catch (err) {
			log.error("job_failed", { cron, job: name, error: describeError(err) });
		}
	}
}
