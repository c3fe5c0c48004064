// Corpus entries of the LIFF APIs (/api/liff/*): every route gets the sign-in cases (no, forged,
// expired or altered ID token), JSON bodies get the JSON corpus, and ids of other trainees, other
// classes, other units and sessions the teacher does not teach are refused as not found.
import { env } from "cloudflare:test";
import { DEMO_LINE_USERS } from "../../src/demo/seed";
import { mintPersonalToken } from "../../src/qr/tickets";
import { signDevIdToken } from "../../src/routes/dev/id-token-emulator";
import { type Case, type Entry, jsonCases, refused } from "./bad-input-cases";
import { bytes, corpus, MARK, type World } from "./bad-input-world";
import { devFetch, liffCall, ORIGIN } from "./dev-server";

const TRAINEE = DEMO_LINE_USERS.trainee;
const TEACHER = DEMO_LINE_USERS.teacher;
const UNBOUND = DEMO_LINE_USERS.unbound;

type Method = "GET" | "POST" | "PUT" | "DELETE";

const withToken = (token: string, method: Method, path: string) =>
	devFetch(
		new Request(`${ORIGIN}${path}`, {
			method,
			headers: { authorization: token, "content-type": "application/json" },
			body: method === "GET" ? undefined : "{}",
		}),
	);

/** The ID-token cases every LIFF route gets. */
function signInCases(method: Method, path: (w: World) => string): Case[] {
	const token = (ttlSeconds: number, now = Date.now()) =>
		signDevIdToken(TRAINEE, { issuer: ORIGIN, channelId: env.LINE_LOGIN_CHANNEL_ID, now, ttlSeconds });
	return [
		{
			name: "no ID token",
			send: (w) => withToken("", method, path(w)),
			outcome: refused(401, "ID_TOKEN_MISSING"),
		},
		{
			name: "a forged ID token",
			send: (w) => withToken(`Bearer eyJhbGciOiJub25lIn0.${btoa(`{"sub":"${TRAINEE}"}`)}.`, method, path(w)),
			outcome: refused(401, "ID_TOKEN_INVALID"),
		},
		{
			name: "an ID token with one character altered",
			send: async (w) => {
				const t = await token(600);
				return withToken(
					`Bearer ${t.slice(0, 40)}${t[40] === "A" ? "B" : "A"}${t.slice(41)}`,
					method,
					path(w),
				);
			},
			outcome: refused(401, "ID_TOKEN_INVALID"),
		},
		{
			name: "an expired ID token",
			send: async (w) => withToken(`Bearer ${await token(60, Date.now() - 3_600_000)}`, method, path(w)),
			outcome: refused(401, "ID_TOKEN_EXPIRED"),
		},
		{
			name: "a huge bearer",
			send: (w) => withToken(`Bearer ${"x".repeat(20_000)}`, method, path(w)),
			outcome: refused(401),
		},
		{
			name: "rare CJK as the bearer",
			send: (w) => withToken(`Bearer 𠀀𪚥${MARK}`, method, path(w)),
			outcome: refused(401),
		},
	];
}

const call = (user: string, method: Method, path: string, json?: unknown) =>
	liffCall(user, path, { method, ...(json === undefined ? {} : { json }) });

const jsonTo =
	(user: string, method: Method, path: (w: World) => string) =>
	(w: World, body: BodyInit, type: string | null) =>
		liffCall(user, path(w), { method, body, headers: type ? { "content-type": type } : {} });

/** A route's entry: its sign-in cases and its own. */
const entry = (route: string, path: (w: World) => string, cases: Case[]): Entry => {
	const method = route.split(" ")[0] as Method;
	return { route, api: true, cases: [...signInCases(method, path), ...cases] };
};

const leave = (w: World, overrides: Record<string, unknown> = {}) => ({
	sessionIds: [w.north.futureSessionIds.at(-1)],
	typeCode: "sick",
	remark: "",
	clientKey: crypto.randomUUID(),
	...overrides,
});

const notBound = (user: string, method: Method, path: (w: World) => string, json?: unknown): Case => ({
	name: `as ${user === UNBOUND ? "an unbound" : "another role's"} LINE user`,
	send: (w) => call(user, method, path(w), json),
	outcome: refused(403, "NOT_BOUND"),
});

const dateCases = (param: string, path: string): Case[] =>
	corpus.strictBadDates.map((d) => ({
		name: `${param} = ${d}`,
		send: () => call(TRAINEE, "GET", `${path}?${param}=${encodeURIComponent(d)}`),
		outcome: refused(400, "VALIDATION_FAILED"),
	}));

/** Paths of another trainee's, another unit's and a made-up leave request. */
const JPEG = bytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "JFIF photo");
const foreignRequests = (suffix: string, method: Method): Case[] => {
	// An upload carries a real photo, so only the request's owner can refuse it.
	const send = (id: (w: World) => string) => (w: World) =>
		liffCall(TRAINEE, `/api/liff/trainee/leave/${id(w)}${suffix}`, {
			method,
			...(suffix === "/attachments"
				? {
						body: JPEG,
						headers: { "content-type": "image/jpeg", "x-file-name": encodeURIComponent("證明.jpg") },
					}
				: {}),
		});
	return [
		["another trainee's request", (w: World) => String(w.north.otherRequestId)],
		["another unit's request", (w: World) => String(w.south.requestId)],
		["a 12-digit id", () => "999999999999"],
		["a 13-digit id", () => "1234567890123"],
		["a negative id", () => "-1"],
		["full-width digits", () => encodeURIComponent("１２")],
	].map(([name, id]) => ({
		name: name as string,
		send: send(id as (w: World) => string),
		outcome: refused(404, "NOT_FOUND"),
	}));
};

const consolePath = (_w: World, id: number, tail: string) => `/api/liff/teacher/sessions/${id}/${tail}`;
/** Sessions a teacher may not run: another unit's, one of their unit they do not teach, made up. */
const notTaught = (
	method: Method,
	tail: string,
	json?: (w: World) => Promise<unknown>,
	body?: unknown,
): Case[] => [
	{
		name: "another unit's session",
		send: async (w) => call(TEACHER, method, consolePath(w, w.south.sessionId, tail), await json?.(w)),
		outcome: refused(404, "NOT_FOUND"),
	},
	{
		name: "a 12-digit session id",
		send: async (w) => call(TEACHER, method, consolePath(w, 999_999_999_999, tail), await json?.(w)),
		outcome: refused(404, "NOT_FOUND"),
	},
	notBound(TRAINEE, method, (w) => consolePath(w, w.north.sessionId, tail), body),
];

const personalToken = async (w: World) =>
	(await mintPersonalToken(env.QR_SIGNING_KEY, w.north.personId, "trainee", Date.now())).token;

export const liffEntries: Entry[] = [
	entry("GET /api/liff/me", () => "/api/liff/me", [
		{
			name: "junk in the query",
			send: () => call(TRAINEE, "GET", `/api/liff/me?role=<script>&%FF=1`),
			outcome: { kind: "accepted" },
		},
	]),
	entry("PUT /api/liff/me/active-role", () => "/api/liff/me/active-role", [
		...jsonCases(
			jsonTo(TRAINEE, "PUT", () => "/api/liff/me/active-role"),
			() => ({ role: "trainee" }),
			"role",
		),
		...["admin", "TRAINEE", "學員", "trainee ", `<script>${MARK}</script>`, "' OR 1=1 --"].map((role) => ({
			name: `role ${JSON.stringify(role)}`,
			send: () => call(TRAINEE, "PUT", "/api/liff/me/active-role", { role }),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		notBound(TRAINEE, "PUT", () => "/api/liff/me/active-role", { role: "teacher" }),
	]),
	entry("DELETE /api/liff/me/bindings/:role", () => "/api/liff/me/bindings/teacher", [
		...["admin", "%FF", encodeURIComponent("學員"), encodeURIComponent(`<b>${MARK}</b>`)].map((role) => ({
			name: `role ${role}`,
			send: () => call(TRAINEE, "DELETE", `/api/liff/me/bindings/${role}`),
			outcome: refused(404, "NOT_FOUND"),
		})),
		{
			name: "a role this user has not bound",
			send: () => call(TRAINEE, "DELETE", "/api/liff/me/bindings/teacher"),
			outcome: refused(404, "NOT_FOUND"),
		},
	]),
	entry("POST /api/liff/punch", () => "/api/liff/punch", [
		...jsonCases(
			jsonTo(TRAINEE, "POST", () => "/api/liff/punch"),
			() => ({ role: "trainee", action: "check_in", code: "123456" }),
			"code",
		),
		...["１２３４５６", "12345", "1234567", "12a456", "-12345", "' OR 1=1", "123 4567"].map((code) => ({
			name: `short code ${code}`,
			send: () => call(TRAINEE, "POST", "/api/liff/punch", { role: "trainee", action: "check_in", code }),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		...["check_inn", "CHECK_IN", "簽到", ""].map((action) => ({
			name: `action ${JSON.stringify(action)}`,
			send: () => call(TRAINEE, "POST", "/api/liff/punch", { role: "trainee", action, code: "123456" }),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		{
			name: "a forged session token",
			send: () =>
				call(TRAINEE, "POST", "/api/liff/punch", {
					role: "trainee",
					action: "check_in",
					token: "x".repeat(60),
				}),
			outcome: refused(400, "TOKEN_FORGED"),
		},
		{
			name: "a personal QR as the session token",
			send: async (w) =>
				call(TRAINEE, "POST", "/api/liff/punch", {
					role: "trainee",
					action: "check_in",
					token: await personalToken(w),
				}),
			outcome: refused(400, "TOKEN_FORGED"),
		},
		{
			name: "a token of 201 characters",
			send: () =>
				call(TRAINEE, "POST", "/api/liff/punch", {
					role: "trainee",
					action: "check_in",
					token: "t".repeat(201),
				}),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		notBound(TRAINEE, "POST", () => "/api/liff/punch", {
			role: "teacher",
			action: "check_in",
			code: "123456",
		}),
	]),
	entry("GET /api/liff/me/qr", () => "/api/liff/me/qr?role=trainee", [
		...["", "admin", "trainee&role=teacher", encodeURIComponent("學員")].map((role) => ({
			name: `role ${role || "(empty)"}`,
			send: () => call(TRAINEE, "GET", `/api/liff/me/qr?role=${role}`),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		{
			name: "no role",
			send: () => call(TRAINEE, "GET", "/api/liff/me/qr"),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		notBound(TRAINEE, "GET", () => "/api/liff/me/qr?role=teacher"),
	]),
	entry("GET /api/liff/trainee/overview", () => "/api/liff/trainee/overview", [
		notBound(UNBOUND, "GET", () => "/api/liff/trainee/overview"),
		notBound(TEACHER, "GET", () => "/api/liff/trainee/overview"),
	]),
	entry("GET /api/liff/trainee/timetable", () => "/api/liff/trainee/timetable", [
		...dateCases("from", "/api/liff/trainee/timetable"),
		...dateCases("to", "/api/liff/trainee/timetable"),
		{
			name: "to before from",
			send: () => call(TRAINEE, "GET", "/api/liff/trainee/timetable?from=2026-03-10&to=2026-03-01"),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		{
			name: "ten thousand years",
			send: () => call(TRAINEE, "GET", "/api/liff/trainee/timetable?from=0001-01-01&to=9999-12-31"),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		{
			name: "from twice",
			send: () => call(TRAINEE, "GET", "/api/liff/trainee/timetable?from=2026-03-01&from=2026-03-02"),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		notBound(UNBOUND, "GET", () => "/api/liff/trainee/timetable"),
	]),
	entry("GET /api/liff/trainee/leave-options", () => "/api/liff/trainee/leave-options", [
		...dateCases("date", "/api/liff/trainee/leave-options"),
		notBound(TEACHER, "GET", () => "/api/liff/trainee/leave-options"),
	]),
	entry("POST /api/liff/trainee/leave", () => "/api/liff/trainee/leave", [
		...jsonCases(
			jsonTo(TRAINEE, "POST", () => "/api/liff/trainee/leave"),
			(w) => leave(w),
			"typeCode",
		),
		...corpus.invalidUtf8.map((s) => ({
			name: `invalid UTF-8 in the remark: ${s.name}`,
			send: (w: World) => {
				const [head, tail] = JSON.stringify(leave(w, { remark: "頭痛@@" })).split("@@");
				return liffCall(TRAINEE, "/api/liff/trainee/leave", {
					method: "POST",
					headers: { "content-type": "application/json" },
					body: bytes(head ?? "", s.bytes, tail ?? ""),
				});
			},
			outcome: refused(400, "MALFORMED_JSON"),
		})),
		...corpus.jsonNumbers.map((n) => ({
			name: `a session id of ${n}`,
			send: (w: World) =>
				liffCall(TRAINEE, "/api/liff/trainee/leave", {
					method: "POST",
					headers: { "content-type": "application/json" },
					body: JSON.stringify(leave(w)).replace(/"sessionIds":\[\d+\]/, `"sessionIds":[${n}]`),
				}),
			// A number that exists nowhere passes the shape and is refused by the rules.
			outcome: n === "1e12" ? refused(422, "LEAVE_NOT_ALLOWED") : refused(400, "VALIDATION_FAILED"),
		})),
		{
			name: "another unit's session",
			send: (w) =>
				call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { sessionIds: [w.south.sessionId] })),
			outcome: refused(422, "LEAVE_NOT_ALLOWED"),
		},
		{
			name: "a session of another class of the unit",
			send: (w) =>
				call(
					TRAINEE,
					"POST",
					"/api/liff/trainee/leave",
					leave(w, { sessionIds: [w.north.otherClassSessionId] }),
				),
			outcome: refused(422, "LEAVE_NOT_ALLOWED"),
		},
		{
			name: "one good session and one of another unit (nothing half-stored)",
			send: (w) =>
				call(
					TRAINEE,
					"POST",
					"/api/liff/trainee/leave",
					leave(w, { sessionIds: [w.north.futureSessionIds.at(-2), w.south.sessionId] }),
				),
			outcome: refused(422, "LEAVE_NOT_ALLOWED"),
		},
		{
			name: "21 sessions",
			send: (w) =>
				call(
					TRAINEE,
					"POST",
					"/api/liff/trainee/leave",
					leave(w, { sessionIds: Array.from({ length: 21 }, (_, i) => i + 1) }),
				),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		{
			name: "no sessions",
			send: (w) => call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { sessionIds: [] })),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		...["<script>sick</script>", "sick' OR '1'='1", "ＳＩＣＫ", "病假", "x".repeat(33)].map((typeCode) => ({
			name: `leave type ${typeCode.slice(0, 20)}`,
			send: (w: World) => call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { typeCode })),
			outcome: refused(),
		})),
		...corpus.unshowable.map((t) => ({
			name: `remark: ${t.name}`,
			send: (w: World) => call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { remark: t.value })),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		{
			name: "a remark of 501 characters",
			send: (w) => call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { remark: "字".repeat(501) })),
			outcome: refused(400, "VALIDATION_FAILED"),
		},
		...["", "short", "k".repeat(65)].map((clientKey) => ({
			name: `client key of ${clientKey.length} characters`,
			send: (w: World) => call(TRAINEE, "POST", "/api/liff/trainee/leave", leave(w, { clientKey })),
			outcome: refused(400, "VALIDATION_FAILED"),
		})),
		notBound(TEACHER, "POST", () => "/api/liff/trainee/leave", {
			sessionIds: [1],
			typeCode: "sick",
			clientKey: crypto.randomUUID(),
		}),
	]),
	entry("GET /api/liff/trainee/leave", () => "/api/liff/trainee/leave", [
		notBound(UNBOUND, "GET", () => "/api/liff/trainee/leave"),
	]),
	entry(
		"GET /api/liff/trainee/leave/:id{[0-9]{1,12}}",
		(w) => `/api/liff/trainee/leave/${w.north.otherRequestId}`,
		[...foreignRequests("", "GET")],
	),
	entry(
		"POST /api/liff/trainee/leave/:id{[0-9]{1,12}}/withdraw",
		(w) => `/api/liff/trainee/leave/${w.north.otherRequestId}/withdraw`,
		foreignRequests("/withdraw", "POST"),
	),
	entry(
		"POST /api/liff/trainee/leave/:id{[0-9]{1,12}}/attachments",
		(w) => `/api/liff/trainee/leave/${w.north.otherRequestId}/attachments`,
		[
			...foreignRequests("/attachments", "POST"),
			{
				name: "the trainee's own request, a text file named .jpg",
				arrange: async (w) => {
					const res = await call(
						TRAINEE,
						"POST",
						"/api/liff/trainee/leave",
						leave(w, { sessionIds: [w.north.futureSessionIds.at(-3)] }),
					);
					const { requestId } = (await res.json()) as { requestId: number };
					return () =>
						liffCall(TRAINEE, `/api/liff/trainee/leave/${requestId}/attachments`, {
							method: "POST",
							headers: { "content-type": "image/jpeg", "x-file-name": "%E4%B8%<script>.jpg" },
							body: `<script>${MARK}</script>`,
						});
				},
				outcome: refused(415, "ATTACHMENT_TYPE"),
			},
		],
	),
	entry(
		"GET /api/liff/trainee/leave/:id{[0-9]{1,12}}/attachments/:file{[0-9]{1,12}}",
		(w) => `/api/liff/trainee/leave/${w.north.otherRequestId}/attachments/${w.north.otherAttachmentId}`,
		[
			{
				name: "another trainee's file",
				send: (w) =>
					call(
						TRAINEE,
						"GET",
						`/api/liff/trainee/leave/${w.north.otherRequestId}/attachments/${w.north.otherAttachmentId}`,
					),
				outcome: refused(404, "NOT_FOUND"),
			},
			{
				name: "another unit's file",
				send: (w) =>
					call(
						TRAINEE,
						"GET",
						`/api/liff/trainee/leave/${w.south.requestId}/attachments/${w.south.attachmentId}`,
					),
				outcome: refused(404, "NOT_FOUND"),
			},
			{
				name: "a file of another request under this one",
				send: (w) =>
					call(
						TRAINEE,
						"GET",
						`/api/liff/trainee/leave/${w.north.otherRequestId}/attachments/${w.south.attachmentId}`,
					),
				outcome: refused(404, "NOT_FOUND"),
			},
		],
	),
	entry("GET /api/liff/teacher/sessions", () => "/api/liff/teacher/sessions", [
		notBound(TRAINEE, "GET", () => "/api/liff/teacher/sessions"),
		notBound(UNBOUND, "GET", () => "/api/liff/teacher/sessions"),
	]),
	entry(
		"GET /api/liff/teacher/sessions/:id{[0-9]{1,12}}/qr",
		(w) => consolePath(w, w.south.sessionId, "qr"),
		notTaught("GET", "qr"),
	),
	entry(
		"POST /api/liff/teacher/sessions/:id{[0-9]{1,12}}/live-ticket",
		(w) => consolePath(w, w.south.sessionId, "live-ticket"),
		notTaught("POST", "live-ticket"),
	),
	entry(
		"POST /api/liff/teacher/sessions/:id{[0-9]{1,12}}/scan",
		(w) => consolePath(w, w.south.sessionId, "scan"),
		[
			...notTaught("POST", "scan", async (w) => ({ action: "check_in", token: await personalToken(w) }), {
				action: "check_in",
				token: "x",
			}),
			...jsonCases(
				jsonTo(TEACHER, "POST", (w) => consolePath(w, w.south.sessionId, "scan")),
				async (w) => ({ action: "check_in", token: await personalToken(w) }),
				"token",
			),
		],
	),
	entry(
		"GET /api/liff/teacher/sessions/:id{[0-9]{1,12}}/attendance",
		(w) => consolePath(w, w.south.sessionId, "attendance"),
		notTaught("GET", "attendance"),
	),
];
