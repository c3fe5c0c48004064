// The composition root: builds the explicit dependencies services take, from the Worker's env.
import { createDb } from "./db/client";
import { settingsOf } from "./env";
import { createLineApi } from "./line/line-api";
import { lineDeliverers } from "./services/line-delivery";
import type { LineEventDeps } from "./services/line-events";

/**
 * Everything the LINE conversation needs. `origin` (of the current request) stands in for
 * PUBLIC_BASE_URL when it is not configured, so links point back at the host LINE called.
 */
export function lineEventDeps(env: Env, now: number, origin?: string): LineEventDeps {
	const db = createDb(env.DB);
	const line = createLineApi(env);
	const base = settingsOf(env);
	const publicBaseUrl = base.publicBaseUrl || origin || "";
	return {
		db,
		line,
		now,
		settings: { ...base, publicBaseUrl },
		publicBaseUrl,
		bindingTokenKey: env.BINDING_TOKEN_KEY,
		deliverers: lineDeliverers(db, line),
	};
}
