// Corpus entries of the routes anyone can reach: the LINE webhook (signed correctly, so only the body
// is at fault), the binding pages, the QR routes, the LIFF page shells, /healthz, the dashboard's
// sign-in and the public password-link pages.
import { env } from "cloudflare:test";
import { desc, eq } from "drizzle-orm";
import { outbox, webhookEvents } from "../../src/db/schema";
import { signLineBody } from "../../src/line/signature";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { mintLiveTicket } from "../../src/qr/tickets";
import { requestPasswordReset } from "../../src/services/staff-password-link";
import { accepted, type Case, type Entry, jsonCases, refused } from "./bad-input-cases";
import {
	bare,
	bindAtCode,
	bindAtContact,
	bindAtIdentity,
	bytes,
	corpus,
	db,
	MARK,
	openBindLink,
	type World,
} from "./bad-input-world";
import { browserTab, ORIGIN } from "./dev-server";
import { lineEvent, postWebhook } from "./webhook-helpers";

// ---- webhook -------------------------------------------------------------------------------------

const signed = async (body: BodyInit) => {
	const raw = typeof body === "string" ? body : new Uint8Array(await new Response(body).arrayBuffer());
	const bytesOf = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
	return postWebhook(bytesOf, await signLineBody(env.LINE_CHANNEL_SECRET, bytesOf));
};
const events = (...list: unknown[]) => signed(JSON.stringify({ destination: "Ubot", events: list }));
const someUser = () => `U${crypto.randomUUID().replace(/-/g, "")}`;

/** What handling wrote for a delivered event (never a crash: no 'failed' with an error). */
async function handled(id: string) {
	const row = await db.select().from(webhookEvents).where(eq(webhookEvents.webhookEventId, id)).get();
	if (row?.status === "failed") throw new Error(`event ${id} failed: ${row.lastError}`);
}

/** Events LINE could send that are odd but signed: stored or logged, answered 200, never a crash. */
function webhookEventCases(): Case[] {
	const WRITES = ["webhook_events", "line_users", "outbox", "emulator_log", "binding_requests"];
	const one = (name: string, make: () => Record<string, unknown>): Case => {
		let id = "";
		return {
			name,
			send: () => {
				const event = make();
				id = String(event.webhookEventId ?? "");
				return events(event);
			},
			outcome: accepted,
			mayWrite: WRITES,
			check: async () => {
				if (id) await handled(id);
			},
		};
	};
	const text = (value: string) => () => lineEvent.text(someUser(), value);
	return [
		...corpus.storable.map((t) => one(`text message: ${t.name}`, text(t.value))),
		...corpus.unshowable.map((t) => one(`text message: ${t.name}`, text(t.value))),
		one("text message of 5,001 characters", text("字".repeat(5001))),
		one("full-width digits as a code", text("１２３４５６")),
		one("SQL in a postback", () => lineEvent.postback(someUser(), "a=bind&role=' OR 1=1 --")),
		one("huge postback data", () => lineEvent.postback(someUser(), "a=".padEnd(10_000, "x"))),
		one("postback to an unknown action", () => lineEvent.postback(someUser(), "a=<script>&role=admin")),
		one("postback binding an unknown role", () => lineEvent.postback(someUser(), "a=bind&role=agency_admin")),
		one("unknown event type", () => ({ ...lineEvent.follow(someUser()), type: "membership" })),
		one("timestamp as a string", () => ({ ...lineEvent.text(someUser(), "請假"), timestamp: "yesterday" })),
		one("negative timestamp", () => ({ ...lineEvent.text(someUser(), "請假"), timestamp: -1 })),
		one("huge timestamp", () => ({ ...lineEvent.text(someUser(), "請假"), timestamp: 1e300 })),
		one("user id as a number", () => ({
			...lineEvent.text(someUser(), "請假"),
			source: { type: "user", userId: 42 },
		})),
		one("user id with HTML", () => lineEvent.text(`U<script>${MARK}</script>`, "請假")),
		one("no source", () => {
			const { source: _, ...rest } = lineEvent.text(someUser(), "請假");
			return rest;
		}),
		one("message without text", () => ({ ...lineEvent.text(someUser(), "x"), message: { type: "text" } })),
		one("account link with a forged nonce", () => ({
			...lineEvent.follow(someUser()),
			type: "accountLink",
			link: { result: "ok", nonce: `forged-${MARK}` },
		})),
		one("account link with a huge nonce", () => ({
			...lineEvent.follow(someUser()),
			type: "accountLink",
			link: { result: "ok", nonce: "n".repeat(10_000) },
		})),
		one("unknown mode", () => ({ ...lineEvent.text(someUser(), "請假"), mode: "<b>x</b>" })),
		{
			name: "events that are not objects, and one without an id",
			send: () => events(null, 42, "x", [], { type: "message" }),
			outcome: accepted,
			mayWrite: WRITES,
		},
		{
			name: "the same event id twice in one body, with different content",
			send: () => {
				const a = lineEvent.text(someUser(), "請假");
				return events(a, { ...a, message: { type: "text", id: "2", quoteToken: "q", text: "簽到" } });
			},
			outcome: accepted,
			mayWrite: WRITES,
		},
	];
}

export const webhookEntries: Entry[] = [
	{
		route: "POST /webhook/line",
		api: true,
		cases: [
			...jsonCases(
				(_w, body) => signed(body),
				() => ({ destination: "Ubot", events: [] }),
				"events",
				{
					mediaType: false,
					// [] is LINE's connection check, and any list is read event by event.
					wrongTypes: [123, true, null, {}, "events"],
				},
			),
			{
				name: "events: more than 500",
				send: () => events(...Array.from({ length: 501 }, () => lineEvent.text(someUser(), "x"))),
				outcome: refused(400, "VALIDATION_FAILED"),
			},
			{
				// LINE sends none; one is read past, as the decoder does by default.
				name: "a UTF-8 BOM before the JSON",
				send: () => signed(bytes(new Uint8Array([0xef, 0xbb, 0xbf]), '{"events":[]}')),
				outcome: accepted,
			},
			{
				name: "UTF-16 body",
				send: () => {
					const text = '{"events":[]}';
					const out = new Uint8Array(text.length * 2);
					for (let i = 0; i < text.length; i++) out[i * 2] = text.charCodeAt(i);
					return signed(out);
				},
				outcome: refused(400, "MALFORMED_JSON"),
			},
			{
				name: "a signature of another body",
				send: async () => postWebhook('{"events":[]}', await signLineBody(env.LINE_CHANNEL_SECRET, "{}")),
				outcome: refused(401, "INVALID_SIGNATURE"),
			},
			{
				name: "a signature that is not base64",
				send: () => postWebhook('{"events":[]}', "!!! not base64 𠀀"),
				outcome: refused(401, "INVALID_SIGNATURE"),
			},
			{
				name: "a huge signature header",
				send: () => postWebhook('{"events":[]}', "A".repeat(8000)),
				outcome: refused(401, "INVALID_SIGNATURE"),
			},
			...webhookEventCases(),
		],
	},
];

// ---- binding pages -------------------------------------------------------------------------------

type BindTab = Awaited<ReturnType<typeof openBindLink>>;

/** The ways a binding POST can carry a bad link: none, short, forged, altered, foreign, or cookie-less. */
function linkCases(path: string, extra: Record<string, string> = {}): Case[] {
	const post =
		(t: (link: BindTab) => string, withCookie = true) =>
		async () => {
			const link = await bindAtIdentity();
			const tab = withCookie ? link.tab : browserTab();
			return () => tab.post(path, { ...extra, t: t(link) });
		};
	const flip = (t: string) => `${t.slice(0, -3)}${t.at(-3) === "A" ? "B" : "A"}${t.slice(-2)}`;
	return [
		{ name: "no link token", arrange: post(() => "") },
		{ name: "a short token", arrange: post(() => "abc") },
		{ name: "a forged token", arrange: post(() => `eyJhbGciOiJIUzI1NiJ9.${"x".repeat(60)}.sig`) },
		{ name: "the token altered in one character", arrange: post((l) => flip(l.t)) },
		{ name: "a token of 3,000 characters", arrange: post(() => "t".repeat(3000)) },
		{ name: "SQL as the token", arrange: post(() => "' OR '1'='1' --; DROP TABLE binding_requests") },
		{ name: "the right token from a browser that never opened it", arrange: post((l) => l.t, false) },
		{ name: "a lone surrogate after the token", arrange: post((l) => `${l.t}\ud800`) },
	];
}

const identity = (overrides: Record<string, string>) => async () => {
	const link = await bindAtIdentity();
	return () =>
		link.tab.post("/bind/identity", {
			t: link.t,
			name: "王小明",
			nationalId: "A123456789",
			birthDate: "1990-01-01",
			...overrides,
		});
};

/** A text echoed back on a refused page is escaped there. */
const echoedEscaped =
	(raw: string) =>
	(_w: World, _res: Response, body: string): void => {
		if (raw.includes("<") && body.includes(raw)) throw new Error(`the page echoes ${raw} unescaped`);
	};

export const bindEntries: Entry[] = [
	{
		route: "GET /bind",
		api: false,
		cases: [
			{ name: "no token", send: () => bare("/bind") },
			{ name: "an empty token", send: () => bare("/bind?t=") },
			{ name: "a token of 3,000 characters", send: () => bare(`/bind?t=${"t".repeat(3000)}`) },
			{ name: "a forged token", send: () => bare(`/bind?t=${"x".repeat(40)}`) },
			{ name: "invalid percent-encoding", send: () => bare("/bind?t=%E4%B8%FF%FE0123456789") },
			{
				name: "HTML as the token",
				send: () => bare(`/bind?t=${encodeURIComponent(`<script>${MARK}</script>`)}`),
			},
			{ name: "the token twice", send: () => bare("/bind?t=aaaaaaaaaaaa&t=bbbbbbbbbbbb") },
		],
	},
	{
		route: "POST /bind/consent",
		api: false,
		cases: [
			...linkCases("/bind/consent", { agree: "yes" }),
			...["", "YES", "1", "on", "是"].map((agree) => ({
				name: `agree = ${JSON.stringify(agree)}`,
				arrange: async () => {
					const link = await openBindLink();
					return () => link.tab.post("/bind/consent", { t: link.t, agree });
				},
			})),
		],
	},
	{
		route: "POST /bind/identity",
		api: false,
		cases: [
			...linkCases("/bind/identity", { name: "王小明", nationalId: "A123456789", birthDate: "1990-01-01" }),
			{ name: "every field missing", arrange: identity({ name: "", nationalId: "", birthDate: "" }) },
			...corpus.badDates.map((birthDate) => ({
				name: `birth date ${birthDate}`,
				arrange: identity({ birthDate }),
			})),
			...[
				"Ａ１２３４５６７８９",
				"A12345678",
				"A1234567890",
				"1234567890",
				"' OR 1=1 --",
				"<b>A123456789</b>",
			].map((nationalId) => ({ name: `national ID ${nationalId}`, arrange: identity({ nationalId }) })),
			...[...corpus.storable, ...corpus.unshowable].map((t) => ({
				name: `name: ${t.name} (not on the roster)`,
				arrange: identity({ name: t.value }),
				check: echoedEscaped(t.value),
			})),
			{ name: "a huge name", arrange: identity({ name: corpus.huge }) },
			{
				name: "invalid UTF-8 in the name",
				arrange: async () => {
					const link = await bindAtIdentity();
					const body = bytes(
						`t=${encodeURIComponent(link.t)}&name=`,
						new Uint8Array([0xff, 0xfe]),
						"&nationalId=A123456789&birthDate=1990-01-01",
					);
					return () => fetchRaw(link, "/bind/identity", body);
				},
			},
		],
	},
	{
		route: "POST /bind/contact",
		api: false,
		cases: [
			...linkCases("/bind/contact", { channel: "email", value: "a@example.com" }),
			...[
				["no channel", { value: "a@example.com" }],
				["channel fax", { channel: "fax", value: "a@example.com" }],
				["full-width phone", { channel: "sms", value: "０９１２３４５６７８" }],
				["phone with letters", { channel: "sms", value: "09123ABCDE" }],
				["a negative phone", { channel: "sms", value: "-912345678" }],
				["an e-mail with HTML", { channel: "email", value: `<script>${MARK}</script>@example.com` }],
				["an e-mail with SQL", { channel: "email", value: "x'; DROP TABLE people; --@example.com" }],
				["an e-mail not on the roster", { channel: "email", value: `${MARK}@example.com` }],
				["a huge value", { channel: "email", value: corpus.huge }],
			].map(([name, form]) => ({
				name: name as string,
				arrange: async () => {
					const link = await bindAtContact();
					return () => link.tab.post("/bind/contact", { t: link.t, ...(form as Record<string, string>) });
				},
				check: echoedEscaped(String((form as Record<string, string>).value)),
			})),
		],
	},
	{
		route: "POST /bind/resend",
		api: false,
		cases: linkCases("/bind/resend"),
	},
	{
		route: "POST /bind/change-method",
		api: false,
		cases: linkCases("/bind/change-method"),
	},
	{
		route: "POST /bind/code",
		api: false,
		cases: [
			...linkCases("/bind/code", { code: "123456" }),
			...[
				"",
				"１２３４５６",
				"12345",
				"1234567",
				"abcdef",
				"-12345",
				"12 34 56 78",
				"' OR 1=1",
				corpus.huge,
			].map((code) => ({
				name: `code ${code.length > 20 ? "(huge)" : JSON.stringify(code)}`,
				arrange: async () => {
					const link = await bindAtCode();
					return () => link.tab.post("/bind/code", { t: link.t, code });
				},
			})),
		],
	},
	{
		route: "POST /bind/link",
		api: false,
		cases: linkCases("/bind/link"),
	},
];

async function fetchRaw(link: BindTab, path: string, body: Uint8Array) {
	const cookie = [...link.tab.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
	return bare(path, {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded", cookie },
		body,
	});
}

// ---- QR, LIFF shells, health ---------------------------------------------------------------------

const qrTicket = (body: BodyInit, type: string | null) =>
	bare("/api/qr/ticket", { method: "POST", headers: type ? { "content-type": type } : {}, body });

export const qrEntries: Entry[] = [
	{
		route: "POST /api/qr/ticket",
		api: true,
		cases: [
			...jsonCases(
				(_w, body, type) => qrTicket(body, type),
				async (w) => ({
					token: (await mintSessionQrToken(env.QR_SIGNING_KEY, w.north.sessionId, Date.now(), 15)).token,
				}),
				"token",
			),
			...[
				["a forged token", "x".repeat(60), 400],
				["an empty token", "   ", 400],
				["HTML", `<script>${MARK}</script>`, 400],
				["full-width digits", "１２３４５６", 400],
			].map(([name, token, status]) => ({
				name: name as string,
				send: () => qrTicket(JSON.stringify({ token }), "application/json"),
				outcome: refused(status as number),
			})),
			{
				name: "a real token, altered",
				send: async (w) => {
					const { token } = await mintSessionQrToken(env.QR_SIGNING_KEY, w.north.sessionId, Date.now(), 15);
					return qrTicket(JSON.stringify({ token: `${token.slice(0, -2)}AA` }), "application/json");
				},
				outcome: refused(400, "TOKEN_FORGED"),
			},
			{
				name: "a real token of an hour ago",
				send: async (w) => {
					const { token } = await mintSessionQrToken(
						env.QR_SIGNING_KEY,
						w.north.sessionId,
						Date.now() - 3_600_000,
						15,
					);
					return qrTicket(JSON.stringify({ token }), "application/json");
				},
				outcome: refused(422, "TOKEN_EXPIRED"),
			},
		],
	},
	{
		route: "GET /live/sessions/:id{[0-9]{1,12}}",
		api: true,
		cases: [
			{
				name: "not a WebSocket",
				send: (w) => bare(`/live/sessions/${w.north.sessionId}`),
				outcome: refused(400),
			},
			...[
				["no ticket", () => ""],
				["a forged ticket", () => "x".repeat(80)],
				["a huge ticket", () => "t".repeat(5000)],
			].map(([name, ticket]) => ({
				name: name as string,
				send: (w: World) =>
					bare(`/live/sessions/${w.north.sessionId}?ticket=${(ticket as () => string)()}`, {
						headers: { upgrade: "websocket" },
					}),
				outcome: refused(401, "UNAUTHORIZED"),
			})),
			{
				name: "another session's ticket",
				send: async (w) => {
					const ticket = await mintLiveTicket(env.QR_SIGNING_KEY, w.south.sessionId, Date.now());
					return bare(`/live/sessions/${w.north.sessionId}?ticket=${ticket}`, {
						headers: { upgrade: "websocket" },
					});
				},
				outcome: refused(401, "UNAUTHORIZED"),
			},
			{
				name: "a 13-digit session id",
				send: () => bare("/live/sessions/1234567890123", { headers: { upgrade: "websocket" } }),
				outcome: refused(404, "NOT_FOUND"),
			},
		],
	},
	{
		route: "GET /healthz",
		api: true,
		cases: [
			{
				name: "junk in the query",
				send: () => bare(`/healthz?<script>=${MARK}&%FF=%E4%B8`),
				outcome: accepted,
			},
			{
				name: "POST is not a route",
				send: () => bare("/healthz", { method: "POST", body: "x" }),
				outcome: refused(404),
			},
		],
	},
	{
		route: "GET /liff/:role{trainee|teacher}/*",
		api: false,
		cases: [
			{
				name: "HTML in the path is not echoed",
				send: () => bare(`/liff/trainee/${encodeURIComponent(`<script>${MARK}</script>`)}`),
				outcome: accepted,
				check: (_w, _res, body) => {
					if (body.includes(`<script>${MARK}`)) throw new Error("the shell echoes its path");
				},
			},
			{
				name: "invalid percent-encoding and a huge query",
				send: () => bare(`/liff/teacher/%E4%B8%FF?q=${"長".repeat(2000)}`),
				outcome: accepted,
			},
			{ name: "an unknown role", send: () => bare("/liff/admin/"), outcome: refused(404), envelope: true },
		],
	},
];

// ---- dashboard sign-in and password links --------------------------------------------------------

const login = (form: Record<string, string>) => formPost("/admin/login", form);
function formPost(path: string, form: Record<string, string>) {
	return bare(path, {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
		body: new URLSearchParams(form).toString(),
	});
}
/** A real reset link of the north clerk (its token read from the queued e-mail). */
async function resetToken(): Promise<string> {
	await requestPasswordReset({ db, now: Date.now(), publicBaseUrl: ORIGIN }, "north.clerk@unit.example");
	const mail = await db
		.select()
		.from(outbox)
		.where(eq(outbox.channel, "email"))
		.orderBy(desc(outbox.id))
		.get();
	const token = /token=([\w-]+)/.exec(mail?.payload ?? "")?.[1];
	if (!token) throw new Error("no reset link was queued");
	return token;
}
let token: Promise<string> | null = null;
const aResetToken = () => {
	token ??= resetToken();
	return token;
};

export const authEntries: Entry[] = [
	{
		route: "GET /admin/",
		api: false,
		cases: [
			{ name: "junk in the query", send: () => bare(`/admin/?%FF=<script>${MARK}`), outcome: accepted },
		],
	},
	{
		route: "GET /admin/login",
		api: false,
		cases: [
			...[
				"//evil.example/admin",
				"javascript:alert(1)",
				"/admin/../../etc",
				`/admin"><script>${MARK}</script>`,
			].map((next) => ({
				name: `next = ${next}`,
				send: () => bare(`/admin/login?next=${encodeURIComponent(next)}`),
				outcome: accepted,
				check: (_w: World, _res: Response, body: string) => {
					if (
						body.includes("evil.example") ||
						body.includes(`<script>${MARK}`) ||
						body.includes("javascript:")
					)
						throw new Error("the login page keeps a foreign or unescaped next");
				},
			})),
		],
	},
	{
		route: "POST /admin/login",
		api: false,
		cases: [
			{ name: "nothing filled in", send: () => login({}), outcome: refused(400) },
			{
				name: "a huge e-mail",
				send: () => login({ email: corpus.huge, password: "x" }),
				outcome: refused(400),
			},
			{
				name: "a huge password",
				send: () => login({ email: "nobody@unit.example", password: corpus.huge }),
				outcome: refused(400),
			},
			...[
				"' OR '1'='1' --",
				`<script>${MARK}</script>@unit.example`,
				"ｎｏｒｔｈ．ａｄｍｉｎ＠ｕｎｉｔ．ｅｘａｍｐｌｅ",
				"𠀀@unit.example",
			].map((email) => ({
				name: `e-mail ${email}`,
				send: () => login({ email, password: "wrong-password" }),
				outcome: refused(401),
				check: echoedEscaped(email),
			})),
			{
				name: "invalid UTF-8 in the e-mail",
				send: () =>
					bare("/admin/login", {
						method: "POST",
						headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
						body: bytes("email=", new Uint8Array([0xff, 0xc0, 0xaf]), "&password=x"),
					}),
				outcome: refused(401),
			},
			{
				name: "a post from another site",
				send: () =>
					bare("/admin/login", {
						method: "POST",
						headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
						body: "email=a&password=b",
					}),
				outcome: refused(403),
				envelope: true,
			},
			{
				name: "a body over 1 MiB",
				send: () => login({ email: corpus.overLimit, password: "x" }),
				outcome: refused(413),
				envelope: true,
			},
		],
	},
	{
		route: "POST /admin/logout",
		api: false,
		cases: [
			{
				name: "junk in the body",
				send: () => formPost("/admin/logout", { x: corpus.huge }),
				outcome: accepted,
			},
		],
	},
	{
		route: "GET /admin/password/set",
		api: false,
		cases: [
			{ name: "no token", send: () => bare("/admin/password/set"), outcome: refused(400) },
			{
				name: "a forged token",
				send: () => bare(`/admin/password/set?token=${"x".repeat(43)}`),
				outcome: refused(400),
			},
			{
				name: "a huge token",
				send: () => bare(`/admin/password/set?token=${"x".repeat(5000)}`),
				outcome: refused(400),
			},
			{
				name: "HTML as the token",
				send: () => bare(`/admin/password/set?token=${encodeURIComponent(`"><script>${MARK}</script>`)}`),
				outcome: refused(400),
				check: echoedEscaped(`"><script>${MARK}</script>`),
			},
			{
				name: "invalid percent-encoding",
				send: () => bare("/admin/password/set?token=%E4%B8%FF"),
				outcome: refused(400),
			},
			{
				name: "the token twice",
				send: () => bare("/admin/password/set?token=a&token=b"),
				outcome: refused(400),
			},
		],
	},
	{
		route: "POST /admin/password/set",
		api: false,
		cases: [
			{
				name: "no token",
				send: () => formPost("/admin/password/set", { password: "Abcdefgh-1234", confirm: "Abcdefgh-1234" }),
				outcome: refused(400),
			},
			{
				name: "a forged token",
				send: () =>
					formPost("/admin/password/set", {
						token: "x".repeat(43),
						password: "Abcdefgh-1234",
						confirm: "Abcdefgh-1234",
					}),
				outcome: refused(400),
			},
			...[
				["passwords that differ", "Abcdefgh-1234", "Abcdefgh-12345"],
				["a password too short", "short", "short"],
				["a huge password", corpus.huge, corpus.huge],
				["an empty password", "", ""],
				["the e-mail as the password", "north.clerk@unit.example", "north.clerk@unit.example"],
			].map(([name, password, confirm]) => ({
				name: `a real link with ${name}`,
				arrange: async () => {
					const token = await aResetToken();
					return () =>
						formPost("/admin/password/set", {
							token,
							password: password as string,
							confirm: confirm as string,
						});
				},
				outcome: refused(400),
			})),
		],
	},
	{
		route: "GET /admin/password/forgot",
		api: false,
		cases: [
			{
				name: "junk in the query",
				send: () => bare(`/admin/password/forgot?email=<script>${MARK}</script>`),
				outcome: accepted,
				check: echoedEscaped(`<script>${MARK}</script>`),
			},
		],
	},
	{
		route: "POST /admin/password/forgot",
		api: false,
		cases: [
			{ name: "no e-mail", send: () => formPost("/admin/password/forgot", {}), outcome: refused(400) },
			{
				name: "a huge e-mail",
				send: () => formPost("/admin/password/forgot", { email: corpus.huge }),
				outcome: refused(400),
			},
			// Whether or not an account exists, the same page: nothing to refuse, nothing sent.
			...[`<script>${MARK}</script>@x`, "' OR 1=1 --", "𪚥@unit.example"].map((email) => ({
				name: `e-mail ${email}`,
				send: () => formPost("/admin/password/forgot", { email }),
				outcome: accepted,
				check: echoedEscaped(email),
			})),
		],
	},
];

export const publicEntries = [...webhookEntries, ...bindEntries, ...qrEntries, ...authEntries];
