// Senders of one-time codes: an HTTP SMS gateway, an HTTP e-mail API, and in development a sender
// that writes to the emulator's inbox (/__dev). Requests and failures are logged without the code.
import type { Db } from "../db/client";
import { emulatorLog } from "../db/schema";
import { maskEmail } from "../domain/email";
import { maskTaiwanMobile } from "../domain/phone";
import { describeError, log } from "../log";
import type { Deliverer } from "./outbox";

export type CodeChannel = "sms" | "email";
export type CodeMessage = { channel: CodeChannel; to: string; code: string; validMinutes: number };
export type SendResult = { ok: true } | { ok: false; error: string };
export type CodeSender = (message: CodeMessage) => Promise<SendResult>;

const SEND_TIMEOUT_MS = 10_000;

export function codeText(code: string, validMinutes: number): string {
	return `【Training LINE】您的綁定驗證碼為 ${code}，${validMinutes} 分鐘內有效。請勿將驗證碼告訴他人。`;
}

const masked = (m: CodeMessage) => (m.channel === "sms" ? maskTaiwanMobile(m.to) : maskEmail(m.to));

async function post(
	kind: CodeChannel,
	url: string,
	apiKey: string,
	body: object,
	m: CodeMessage,
): Promise<SendResult> {
	if (!url) {
		// A deployment without the provider's URL cannot send any code: say so where operators look.
		log.warn("code_send_failed", { channel: kind, to: masked(m), reason: "not_configured" });
		return { ok: false, error: `${kind} provider is not configured` };
	}
	try {
		const res = await fetch(url, {
			method: "POST",
			headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
		});
		if (!res.ok) {
			log.warn("code_send_failed", {
				channel: kind,
				to: masked(m),
				reason: "provider_error",
				status: res.status,
			});
			return { ok: false, error: `${kind} provider answered ${res.status}` };
		}
		log.info("code_sent", { channel: kind, to: masked(m), status: res.status });
		return { ok: true };
	} catch (err) {
		log.warn("code_send_failed", {
			channel: kind,
			to: masked(m),
			reason: "network",
			error: describeError(err).split("\n")[0],
		});
		return { ok: false, error: String(err) };
	}
}

/** Production senders, configured by SMS_* and EMAIL_* settings. */
export function httpCodeSender(env: Env): CodeSender {
	return (m) =>
		m.channel === "sms"
			? post(
					"sms",
					env.SMS_API_URL,
					env.SMS_API_KEY,
					{ from: env.SMS_SENDER, to: m.to, text: codeText(m.code, m.validMinutes) },
					m,
				)
			: post(
					"email",
					env.EMAIL_API_URL,
					env.EMAIL_API_KEY,
					{
						from: env.EMAIL_FROM,
						to: m.to,
						subject: "Training LINE 綁定驗證碼",
						text: codeText(m.code, m.validMinutes),
					},
					m,
				);
}

/** Development: the message lands in the emulator's SMS/e-mail inbox instead of a provider. */
export function emulatorCodeSender(db: Db): CodeSender {
	return async (m) => {
		await db.insert(emulatorLog).values({
			at: Date.now(),
			userId: null,
			kind: m.channel,
			body: JSON.stringify({ to: m.to, text: codeText(m.code, m.validMinutes) }),
		});
		log.info("code_sent", { channel: m.channel, to: masked(m), via: "emulator" });
		return { ok: true };
	};
}

/** Outbox deliverer for e-mail to units (digests, expiry notices): the provider, or the emulator's inbox. */
export function emailOutboxDeliverer(env: Env, db: Db, development: boolean): Deliverer {
	return async (row) => {
		const { subject, text } = JSON.parse(row.payload) as { subject: string; text: string };
		if (development) {
			await db.insert(emulatorLog).values({
				at: Date.now(),
				userId: null,
				kind: "email",
				body: JSON.stringify({ to: row.recipient, text: `${subject}\n${text}` }),
			});
			return { ok: true };
		}
		if (!env.EMAIL_API_URL) return { ok: false, retryable: false, error: "email provider is not configured" };
		try {
			const res = await fetch(env.EMAIL_API_URL, {
				method: "POST",
				headers: { "content-type": "application/json", authorization: `Bearer ${env.EMAIL_API_KEY}` },
				body: JSON.stringify({ from: env.EMAIL_FROM, to: row.recipient, subject, text }),
				signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
			});
			if (res.ok) return { ok: true };
			return {
				ok: false,
				retryable: res.status === 429 || res.status >= 500,
				error: `email provider answered ${res.status}`,
			};
		} catch (err) {
			return { ok: false, retryable: true, error: String(err) };
		}
	};
}
