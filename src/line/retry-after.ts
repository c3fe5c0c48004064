// LINE's Retry-After (RFC 9110 §10.2.3): how long to wait before the next try, as delay-seconds or
// an HTTP date. Capped, so a hostile or mistaken header cannot park a message for days.

/** The longest wait we accept from a Retry-After; the outbox's own backoff tops out here too. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

const DELAY_SECONDS = /^\d+$/;
/** IMF-fixdate, the HTTP date servers send: "Fri, 04 Dec 2026 00:35:00 GMT". */
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The wait in ms, from 0 to MAX_RETRY_AFTER_MS, or null when there is no usable value (absent,
 * negative, fractional or unreadable: then the caller's own backoff decides). An HTTP date is read
 * against `serverNow` (the response's Date, so clock skew between LINE and us does not count).
 */
export function parseRetryAfter(value: string | null | undefined, serverNow: number): number | null {
	const v = value?.trim();
	if (!v) return null;
	let ms: number;
	if (DELAY_SECONDS.test(v)) {
		ms = Number(v) * 1000;
	} else if (IMF_FIXDATE.test(v)) {
		const at = Date.parse(v);
		if (Number.isNaN(at)) return null;
		ms = at - serverNow;
	} else {
		return null;
	}
	// A date already past means "now"; a huge number (even beyond 2^53) is just "as long as we allow".
	return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** The wait a LINE response asks for: its Retry-After read against its own Date header. */
export function retryAfterOf(headers: Headers, now: number): number | null {
	const date = Date.parse(headers.get("date") ?? "");
	return parseRetryAfter(headers.get("retry-after"), Number.isNaN(date) ? now : date);
}
