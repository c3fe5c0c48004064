// How a bad-input case is sent and judged. A case is refused (a 4xx: the JSON envelope with a zh-TW
// message for JSON APIs, an HTML page with a zh-TW message for pages), refused through a redirect
// to a page that says why (the forms that answer with PRG), answered with a CSV preview listing the
// rows' errors, or accepted (legitimate input, e.g. emoji in a name). Never a 5xx, and a refusal
// leaves every table's row count as it was.
import { expect } from "vitest";
import { bytes, changedCounts, corpus, rowCounts, type World } from "./bad-input-world";
import { ORIGIN } from "./dev-server";

export type Outcome =
	| { kind: "refused"; status?: number; code?: string }
	/** 303 to the page that says what was wrong (the redirect's query names it, never echoes text). */
	| { kind: "redirect-error" }
	/** A signed-out or forged session: 303 to the sign-in page (pages) or 401 (JSON). */
	| { kind: "to-login" }
	/** 學員名冊匯入 / 課表匯入: the preview lists the rows' errors and offers nothing to confirm. */
	| { kind: "preview-errors" }
	| { kind: "accepted" };

export type Case = {
	name: string;
	/** The request; or `arrange`: what the case needs first (not counted), returning the request. */
	send?: (w: World) => Promise<Response>;
	arrange?: (w: World) => Promise<() => Promise<Response>>;
	outcome?: Outcome;
	/** Tables the case may add rows to (say why where a refusal writes, e.g. a login's audit). */
	mayWrite?: readonly string[];
	/** A refusal answered as the JSON envelope though the route is a page (body limit, router 404). */
	envelope?: boolean;
	/** Further checks on what was answered. */
	check?: (w: World, res: Response, body: string) => Promise<void> | void;
};

export type Entry = {
	/** "METHOD /path" as hono lists it in app.routes. */
	route: string;
	/** JSON API (every answer JSON) or page (HTML). */
	api: boolean;
	cases: Case[];
};

export const refused = (status?: number, code?: string): Outcome => ({ kind: "refused", status, code });
export const accepted: Outcome = { kind: "accepted" };

const CJK = /[\u4e00-\u9fff]/;
const strip = (html: string) =>
	html
		.replace(/<[^>]+>/g, " ")
		.replace(/\s+/g, " ")
		.trim();

/** The message a refused page shows: its alert, a field's error, a binding problem or not-found. */
export function pageMessage(html: string): string {
	const patterns = [
		/role="alert"[^>]*>([\s\S]*?)<\/(?:p|div)>/,
		/class="field-error"[^>]*>([\s\S]*?)<\/p>/,
		/class="problem"[^>]*>([\s\S]*?)<\/div>/,
		/<p>(找不到[^<]*)<\/p>/,
		/<h1[^>]*>沒有權限<\/h1>[\s\S]*?<p>([^<]+)<\/p>/,
		/aria-label="錯誤"[^>]*>([\s\S]*?)<\/table>/,
	];
	for (const p of patterns) {
		const m = p.exec(html);
		if (m?.[1] && CJK.test(strip(m[1]))) return strip(m[1]);
	}
	return "";
}

type Envelope = { error: { code: string; message: string; requestId: string } };

export async function expectEnvelope(res: Response, body: string, outcome?: Outcome) {
	expect(res.headers.get("content-type") ?? "", body.slice(0, 200)).toMatch(/^application\/json/);
	const { error } = JSON.parse(body) as Envelope;
	expect(error.message).toMatch(CJK);
	expect(error.requestId).toBe(res.headers.get("x-request-id"));
	if (outcome?.kind === "refused" && outcome.code) expect(error.code).toBe(outcome.code);
	return error;
}

/** Sends one case and checks it against its outcome and the row counts. */
export async function runCase(entry: Entry, c: Case, w: World) {
	const outcome = c.outcome ?? refused();
	const act = c.arrange ? await c.arrange(w) : () => (c.send as (w: World) => Promise<Response>)(w);
	const before = await rowCounts();
	const res = await act();
	const body = await res.text();
	const what = `${entry.route} — ${c.name}: ${res.status} ${body.slice(0, 300)}`;
	expect(res.status, what).toBeLessThan(500);
	const json = (res.headers.get("content-type") ?? "").startsWith("application/json");
	if (entry.api && res.status >= 400) expect(json, what).toBe(true);
	switch (outcome.kind) {
		case "refused":
			expect(res.status, what).toBeGreaterThanOrEqual(400);
			if (outcome.status) expect(res.status, what).toBe(outcome.status);
			if (json) {
				if (!entry.api) expect(c.envelope, `${what} (a page answered JSON)`).toBe(true);
				await expectEnvelope(res, body, outcome);
			} else {
				expect(res.headers.get("content-type") ?? "", what).toMatch(/^text\/html/);
				expect(pageMessage(body), `${what} (the page says why)`).not.toBe("");
			}
			break;
		case "redirect-error": {
			expect(res.status, what).toBe(303);
			const q = new URL(res.headers.get("location") ?? "", ORIGIN).searchParams;
			expect(q.get("error") ?? (Number(q.get("failed") ?? 0) > 0 ? "failed" : null), what).not.toBeNull();
			break;
		}
		case "to-login":
			if (json) {
				expect(res.status, what).toBe(401);
				await expectEnvelope(res, body);
			} else {
				expect(res.status, what).toBe(303);
				expect(res.headers.get("location") ?? "", what).toMatch(/^\/admin\/login/);
			}
			break;
		case "preview-errors":
			expect(res.status, what).toBe(200);
			expect(body, what).toContain('aria-label="錯誤"');
			expect(body, what).not.toContain('name="token"');
			break;
		case "accepted":
			expect(res.status, what).toBeLessThan(400);
			break;
	}
	await c.check?.(w, res, body);
	const mayWrite = c.mayWrite ?? [];
	expect(changedCounts(before, await rowCounts(), mayWrite), `${what} (nothing stored)`).toEqual([]);
}

/** Sends a body with a content type to a JSON endpoint (the webhook signs it, LIFF adds its token…). */
export type JsonTarget = (w: World, body: BodyInit, contentType: string | null) => Promise<Response>;

/**
 * The JSON corpus for one endpoint: malformed and truncated JSON, wrong shapes, wrong media types,
 * invalid UTF-8, a body over the limit, and a huge or wrongly typed value in `field` of `valid`.
 */
export function jsonCases(
	target: JsonTarget,
	valid: (w: World) => Record<string, unknown> | Promise<Record<string, unknown>>,
	field: string,
	options: { mediaType?: boolean; shapeCode?: string; wrongTypes?: unknown[] } = {},
): Case[] {
	const send =
		(body: BodyInit, type: string | null = "application/json") =>
		(w: World) =>
			target(w, body, type);
	const withField = (value: unknown) => async (w: World) =>
		target(w, JSON.stringify({ ...(await valid(w)), [field]: value }), "application/json");
	const cases: Case[] = [
		...corpus.malformedJson.map((b) => ({
			name: `malformed JSON: ${b.name}`,
			send: send(b.body),
			outcome: refused(400, "MALFORMED_JSON"),
		})),
		...corpus.wrongShapeJson.map((b) => ({
			name: `wrong shape: ${b.name}`,
			send: send(b.body),
			outcome: refused(400, options.shapeCode ?? "VALIDATION_FAILED"),
		})),
		...(options.wrongTypes ?? [123, true, null, [], {}, ["a"]]).map((value) => ({
			name: `${field} of the wrong type: ${JSON.stringify(value)}`,
			send: withField(value),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		{ name: `${field} missing`, send: withField(undefined), outcome: refused(400, "VALIDATION_FAILED") },
		{ name: `huge ${field} (100,000 characters)`, send: withField(corpus.huge), outcome: refused(400) },
		{ name: "body over 1 MiB", send: send(corpus.overLimit), outcome: refused(413, "PAYLOAD_TOO_LARGE") },
		...corpus.invalidUtf8.map((s) => ({
			name: `invalid UTF-8 in ${field}: ${s.name}`,
			send: async (w: World) => {
				const [head, tail] = JSON.stringify({ ...(await valid(w)), [field]: "@@" }).split("@@");
				return target(w, bytes(head ?? "", s.bytes, tail ?? ""), "application/json");
			},
			outcome: refused(400, "MALFORMED_JSON"),
		})),
	];
	if (options.mediaType !== false)
		cases.push(
			{
				name: "valid JSON sent as text/plain",
				send: async (w) => target(w, JSON.stringify(await valid(w)), "text/plain"),
				outcome: refused(415, "UNSUPPORTED_MEDIA_TYPE"),
			},
			{
				name: "valid JSON sent as a form",
				send: async (w) => target(w, JSON.stringify(await valid(w)), "application/x-www-form-urlencoded"),
				outcome: refused(415, "UNSUPPORTED_MEDIA_TYPE"),
			},
		);
	return cases;
}
