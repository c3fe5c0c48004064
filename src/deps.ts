// The composition root: builds the explicit dependencies services take, from the Worker's env.
import { createDb } from "./db/client";
import { settingsOf } from "./env";
import { createLineApi } from "./line/line-api";
import { completeAccountLink } from "./services/account-link";
import type { BindingDeps } from "./services/binding";
import { emailOutboxDeliverer, emulatorCodeSender, httpCodeSender } from "./services/code-senders";
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
		deliverers: { ...lineDeliverers(db, line), email: emailOutboxDeliverer(env, db, base.isDevelopment) },
		onAccountLink: completeAccountLink,
	};
}

/** Everything the /bind pages need. */
export function bindingDeps(env: Env, now: number): BindingDeps {
	const db = createDb(env.DB);
	const settings = settingsOf(env);
	return {
		db,
		now,
		piiKey: env.PII_HMAC_KEY,
		bindingTokenKey: env.BINDING_TOKEN_KEY,
		// In development codes land in the emulator's inbox (/__dev); elsewhere they go to the providers.
		sendCode: settings.isDevelopment ? emulatorCodeSender(db) : httpCodeSender(env),
		line: createLineApi(env),
		lineAccessBase: settings.lineAccessBase,
	};
}
