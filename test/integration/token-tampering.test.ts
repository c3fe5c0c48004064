// Every token the product hands out, each tried forged (signed with another key or never issued),
// expired, replayed and altered (a real token with a changed part). One table: a cell either runs
// here or names the test that already covers it, and the table must stay complete.
//
// Also covered elsewhere, not repeated here:
// - OTP brute force: binding-rules.test.ts › "counts at most five of ten parallel wrong codes, then
//   refuses the right one"; binding-flow.test.ts › "counts wrong codes and then asks for a new one".
// - Login lockout: admin.test.ts › "locks an account for 15 minutes after five wrong passwords, even
//   with the right one".
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { base64url } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { taipeiInstant } from "../../src/domain/taipei-time";
import { mintSessionQrToken } from "../../src/qr/rotating-token";
import { mintPersonalToken, mintScanTicket } from "../../src/qr/tickets";
import { signDevIdToken } from "../../src/routes/dev/id-token-emulator";
import { signBindingToken } from "../../src/services/binding-token";
import { punchWithPersonalToken, punchWithSessionCode } from "../../src/services/punch";
import { randomToken } from "../../src/services/random";
import { ABSOLUTE_MS, mintStaffSession } from "../../src/services/staff-auth";
import { hashLinkToken, PASSWORD_SET_PATH } from "../../src/services/staff-password-link";
import { signedIn } from "./admin-helpers";
import { devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";
import { enrollNewTrainee, insertFixtureSession, uniqueSuffix } from "./fixtures";

const db = createDb(env.DB);
const KEY = env.QR_SIGNING_KEY;
const MIN = 60_000;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

// ── helpers ─────────────────────────────────────────────────────────────────────────────────

/** A token with one dot-separated part replaced; the signature (last part) is kept. */
const withPart = (token: string, index: number, value: string) =>
	token
		.split(".")
		.map((part, i) => (i === index ? value : part))
		.join(".");

/** A JWT whose payload is changed; header and signature are kept. */
function withClaims(jwt: string, change: (claims: Record<string, unknown>) => void): string {
	const [header, payload, signature] = jwt.split(".");
	const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
	change(claims);
	return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}

/** A session 09:00–12:00 Taipei with two trainees, the deps of a punch at `now`, and a trainee. */
async function punchSetup() {
	const date = "2026-12-03";
	const f = await insertFixtureSession(db, date);
	const other = await insertFixtureSession(db, date);
	const second = await enrollNewTrainee(db, f.classId);
	const now = taipeiInstant(date, "09:05");
	const deps = (at = now) => ({ db, rooms: env.SESSION_ROOM, qrKey: KEY, now: at });
	const who = { personId: f.personId, role: "trainee" as const };
	const records = () =>
		db
			.select()
			.from(schema.attendance)
			.where(eq(schema.attendance.sessionId, f.sessionId))
			.then((rows) => rows.length);
	return { f, other, second, now, deps, who, records };
}

/** A binding request of a new LINE user, as createBindingLink stores it. */
async function bindingRequest(now = Date.now()) {
	const userId = `U${uniqueSuffix().padStart(32, "0").slice(-32)}`;
	const id = randomToken();
	await db.insert(schema.lineUsers).values({ userId, createdAt: now, updatedAt: now });
	await db.insert(schema.bindingRequests).values({
		id,
		lineUserId: userId,
		role: "trainee",
		linkToken: "link-token",
		expiresAt: now + 10 * MIN,
		createdAt: now,
	});
	return { id, token: await signBindingToken(env.BINDING_TOKEN_KEY, id, now, now + 10 * MIN) };
}

const openBindLink = (token: string) =>
	devFetch(new Request(`${ORIGIN}/bind?t=${encodeURIComponent(token)}`));

const dashboardWith = (cookie: string) =>
	devFetch(new Request(`${ORIGIN}/admin`, { headers: { cookie: `tl_admin=${cookie}` }, redirect: "manual" }));

const cookieOf = (tab: { cookie: string }) => tab.cookie.replace(/^tl_admin=/, "");

async function expectSignedOut(res: Response) {
	expect(res.status).toBe(303);
	expect(res.headers.get("location")).toMatch(/^\/admin\/login/);
}

const liff = (idToken: string, path: string, init: RequestInit = {}) =>
	devFetch(new Request(`${ORIGIN}${path}`, { ...init, headers: { authorization: `Bearer ${idToken}` } }));

// ── the table ───────────────────────────────────────────────────────────────────────────────

const KINDS = [
	"session QR token",
	"scan ticket",
	"personal QR",
	"binding link",
	"staff session cookie",
	"LIFF ID token",
	"staff password link",
] as const;
const ATTACKS = ["forged", "expired", "replayed", "altered"] as const;

type Cell = {
	kind: (typeof KINDS)[number];
	attack: (typeof ATTACKS)[number];
	what: string;
} & ({ coveredBy: string } | { run: () => Promise<void> });

const CELLS: Cell[] = [
	// Session QR (q1.<session>.<window>.<seconds>.<mac>), shown on the unit's display.
	{
		kind: "session QR token",
		attack: "forged",
		what: "signed with another key",
		coveredBy: "punch.test.ts › refuses … forged; punch-api.test.ts › refuses a forged token",
	},
	{
		kind: "session QR token",
		attack: "expired",
		what: "a screenshot of an older window",
		coveredBy: "punch.test.ts › refuses … old (a forwarded screenshot)",
	},
	{
		kind: "session QR token",
		attack: "replayed",
		what: "the same token again: the first time stands, nothing is recorded twice; after its window it is refused",
		run: async () => {
			const s = await punchSetup();
			const { token } = await mintSessionQrToken(KEY, s.f.sessionId, s.now);
			expect(await punchWithSessionCode(s.deps(), s.who, "check_in", { token })).toMatchObject({
				ok: true,
				at: s.now,
			});
			expect(await punchWithSessionCode(s.deps(s.now + 5_000), s.who, "check_in", { token })).toMatchObject({
				ok: true,
				at: s.now,
				repeated: true,
			});
			expect(await s.records()).toBe(1);
			const later = s.deps(s.now + 31_000);
			expect(
				await punchWithSessionCode(later, { personId: s.second.id, role: "trainee" }, "check_in", { token }),
			).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });
			expect(await s.records()).toBe(1);
		},
	},
	{
		kind: "session QR token",
		attack: "altered",
		what: "another session, a later window or another rotation put into a real token",
		run: async () => {
			const s = await punchSetup();
			const { token } = await mintSessionQrToken(KEY, s.f.sessionId, s.now);
			const window = Number.parseInt(token.split(".")[2] ?? "0", 36);
			for (const altered of [
				withPart(token, 1, s.other.sessionId.toString(36)),
				withPart(token, 2, (window + 4).toString(36)),
				withPart(token, 3, "300"),
			])
				expect(await punchWithSessionCode(s.deps(), s.who, "check_in", { token: altered })).toMatchObject({
					ok: false,
					code: "TOKEN_FORGED",
				});
			expect(await s.records()).toBe(0);
		},
	},
	// Scan ticket (k1.<session>.<expiry>.<jti>.<mac>): a session QR seen before sign-in.
	{
		kind: "scan ticket",
		attack: "forged",
		what: "signed with another key",
		run: async () => {
			const s = await punchSetup();
			const { ticket } = await mintScanTicket("not-our-key", s.f.sessionId, s.now);
			expect(await punchWithSessionCode(s.deps(), s.who, "check_in", { ticket })).toMatchObject({
				ok: false,
				code: "TOKEN_FORGED",
			});
			expect(await s.records()).toBe(0);
		},
	},
	{
		kind: "scan ticket",
		attack: "expired",
		what: "used two minutes after the QR was seen",
		coveredBy: "punch.test.ts › lets a scan ticket through once, two minutes after the QR was seen",
	},
	{
		kind: "scan ticket",
		attack: "replayed",
		what: "used a second time",
		coveredBy: "punch.test.ts › lets a scan ticket through once (TOKEN_REUSED)",
	},
	{
		kind: "scan ticket",
		attack: "altered",
		what: "another session or a later expiry put into a real ticket",
		run: async () => {
			const s = await punchSetup();
			const { ticket } = await mintScanTicket(KEY, s.f.sessionId, s.now);
			const expiry = Number.parseInt(ticket.split(".")[2] ?? "0", 36);
			for (const altered of [
				withPart(ticket, 1, s.other.sessionId.toString(36)),
				withPart(ticket, 2, (expiry + 3_600_000).toString(36)),
			])
				expect(await punchWithSessionCode(s.deps(), s.who, "check_in", { ticket: altered })).toMatchObject({
					ok: false,
					code: "TOKEN_FORGED",
				});
			expect(await s.records()).toBe(0);
		},
	},
	// Personal QR (p1.<person>.<role>.<expiry>.<jti>.<mac>), scanned by staff or a teacher.
	{
		kind: "personal QR",
		attack: "forged",
		what: "signed with another key",
		run: async () => {
			const s = await punchSetup();
			const { token } = await mintPersonalToken("not-our-key", s.f.personId, "trainee", s.now);
			expect(await punchWithPersonalToken(s.deps(), s.f.sessionId, "check_in", token)).toMatchObject({
				ok: false,
				code: "TOKEN_FORGED",
			});
			expect(await s.records()).toBe(0);
		},
	},
	{
		kind: "personal QR",
		attack: "expired",
		what: "scanned after its 60 seconds",
		coveredBy: "punch.test.ts › personal QR scanned by staff › is taken once per action (TOKEN_EXPIRED)",
	},
	{
		kind: "personal QR",
		attack: "replayed",
		what: "scanned again for the same action",
		coveredBy:
			"punch.test.ts › is taken once per action; punch-api.test.ts › records once per action and tells the second scan it was used",
	},
	{
		kind: "personal QR",
		attack: "altered",
		what: "another person, another role or a later expiry put into a real token",
		run: async () => {
			const s = await punchSetup();
			const { token } = await mintPersonalToken(KEY, s.f.personId, "trainee", s.now);
			const expiry = Number.parseInt(token.split(".")[3] ?? "0", 36);
			for (const altered of [
				withPart(token, 1, s.second.id.toString(36)),
				withPart(token, 2, "s"),
				withPart(token, 3, (expiry + 3_600_000).toString(36)),
			])
				expect(await punchWithPersonalToken(s.deps(), s.f.sessionId, "check_in", altered)).toMatchObject({
					ok: false,
					code: "TOKEN_FORGED",
				});
			expect(await s.records()).toBe(0);
		},
	},
	// Binding link (/bind?t=<JWT naming a binding request>).
	{
		kind: "binding link",
		attack: "forged",
		what: "a real request id signed with another key",
		run: async () => {
			const real = await bindingRequest();
			expect((await openBindLink(real.token)).status).toBe(200);
			const now = Date.now();
			const forged = await signBindingToken("not-the-binding-key-0123456789", real.id, now, now + 10 * MIN);
			const res = await openBindLink(forged);
			expect(res.status).toBe(400);
			expect(await res.text()).toContain("綁定連結無法使用");
		},
	},
	{
		kind: "binding link",
		attack: "expired",
		what: "opened after its ten minutes",
		coveredBy: "binding-flow.test.ts › explains an expired link; binding-rules.test.ts › link lifetime",
	},
	{
		kind: "binding link",
		attack: "replayed",
		what: "opened again after the binding used it, or after a newer link replaced it",
		coveredBy:
			"binding-flow.test.ts › binds a trainee … (the link is used up: 410 已使用過); explains a link that was replaced by a newer one",
	},
	{
		kind: "binding link",
		attack: "altered",
		what: "another LINE user's request id, or a later expiry, put into a real link (and a changed signature)",
		run: async () => {
			const mine = await bindingRequest();
			const theirs = await bindingRequest();
			for (const altered of [
				withClaims(mine.token, (c) => {
					c.sub = theirs.id;
				}),
				withClaims(mine.token, (c) => {
					c.exp = Number(c.exp) + 86_400;
				}),
			]) {
				const res = await openBindLink(altered);
				expect(res.status).toBe(400);
				expect(await res.text()).toContain("綁定連結無法使用");
			}
			// A changed signature: binding-flow.test.ts › refuses a forged or altered link.
		},
	},
	// Staff session cookie (tl_admin, a signed JWT with the account's session version).
	{
		kind: "staff session cookie",
		attack: "forged",
		what: "signed with another key",
		coveredBy: "admin.test.ts › refuses a form posted from another site, a forged cookie, …",
	},
	{
		kind: "staff session cookie",
		attack: "expired",
		what: "idle for 30 minutes (admin.test.ts), or kept busy past its 12 hours",
		run: async () => {
			const clerk = await db
				.select()
				.from(schema.staff)
				.where(eq(schema.staff.email, "north.clerk@unit.example"))
				.get();
			const now = Date.now();
			const old = await mintStaffSession(env.SESSION_COOKIE_KEY, {
				staffId: clerk?.id ?? 0,
				version: clerk?.sessionVersion ?? 1,
				startedAt: now - ABSOLUTE_MS,
				activeAt: now - 60_000,
			});
			await expectSignedOut(await dashboardWith(old));
		},
	},
	{
		kind: "staff session cookie",
		attack: "replayed",
		what: "a copy of the cookie sent after 登出",
		run: async () => {
			const tab = await signedIn("north.clerk@unit.example");
			const copy = cookieOf(tab);
			expect((await dashboardWith(copy)).status).toBe(200);
			expect((await tab.post("/admin/logout", {})).status).toBe(303);
			await expectSignedOut(await dashboardWith(copy));
			// Signing in again works as before.
			expect((await (await signedIn("north.clerk@unit.example")).get("/admin")).status).toBe(200);
		},
	},
	{
		kind: "staff session cookie",
		attack: "altered",
		what: "the agency admin's id, a later activity time or another version put into a clerk's cookie",
		run: async () => {
			const tab = await signedIn("north.clerk@unit.example");
			const real = cookieOf(tab);
			expect((await dashboardWith(real)).status).toBe(200);
			const agency = await db
				.select()
				.from(schema.staff)
				.where(eq(schema.staff.email, "admin@agency.example"))
				.get();
			for (const altered of [
				withClaims(real, (c) => {
					c.sub = String(agency?.id);
				}),
				withClaims(real, (c) => {
					c.act = Date.now() + 3_600_000;
				}),
				withClaims(real, (c) => {
					c.ver = Number(c.ver) + 1;
				}),
			])
				await expectSignedOut(await dashboardWith(altered));
		},
	},
	// LIFF ID token (LINE's ES256 JWT, verified against the JWKS).
	{
		kind: "LIFF ID token",
		attack: "forged",
		what: "another key, HS256 with the public key, another channel or issuer",
		coveredBy: "liff-auth.test.ts › ID token verification (another key; algorithm confusion; aud; iss)",
	},
	{
		kind: "LIFF ID token",
		attack: "expired",
		what: "past exp beyond the one-minute tolerance, or without exp",
		coveredBy:
			"liff-auth.test.ts › accepts a token one minute past exp … and refuses it after; … without exp",
	},
	{
		kind: "LIFF ID token",
		attack: "replayed",
		what: "LINE's ID tokens are bearer tokens until exp by design; a replayed one carries no authority of its own: after unbinding it opens nothing",
		run: async () => {
			const token = await signDevIdToken(DEMO_LINE_USERS.both, {
				issuer: ORIGIN,
				channelId: env.LINE_LOGIN_CHANNEL_ID,
				now: Date.now(),
			});
			expect((await liff(token, "/api/liff/trainee/overview")).status).toBe(200);
			expect((await liff(token, "/api/liff/me/bindings/trainee", { method: "DELETE" })).status).toBe(200);
			const replayed = await liff(token, "/api/liff/trainee/overview");
			expect(replayed.status).toBe(403);
			expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe("NOT_BOUND");
		},
	},
	{
		kind: "LIFF ID token",
		attack: "altered",
		what: "another user's sub in a real token",
		coveredBy: "liff-auth.test.ts › ID token verification (an altered payload)",
	},
	// Staff password link (/admin/password/set?token=…, only its hash is stored).
	{
		kind: "staff password link",
		attack: "forged",
		what: "a well-formed token nobody issued",
		coveredBy:
			"admin-staff.test.ts › refuses a link replaced by a newer one, an expired link and a forged one",
	},
	{
		kind: "staff password link",
		attack: "expired",
		what: "opened and posted after it expired",
		coveredBy:
			"admin-staff.test.ts › refuses a link replaced by a newer one, an expired link and a forged one",
	},
	{
		kind: "staff password link",
		attack: "replayed",
		what: "used again after the password was set, or after a newer link replaced it",
		coveredBy:
			"admin-staff.test.ts › is set through the e-mailed link … (reused: 410); refuses a link replaced by a newer one",
	},
	{
		kind: "staff password link",
		attack: "altered",
		what: "one character of a real link changed",
		run: async () => {
			const clerk = await db
				.select()
				.from(schema.staff)
				.where(eq(schema.staff.email, "north.clerk@unit.example"))
				.get();
			const token = randomToken(32);
			const now = Date.now();
			await db.insert(schema.staffPasswordTokens).values({
				tokenHash: await hashLinkToken(token),
				staffId: clerk?.id ?? 0,
				expiresAt: now + 60 * MIN,
				createdAt: now,
			});
			const open = (t: string) => devFetch(new Request(`${ORIGIN}${PASSWORD_SET_PATH}?token=${t}`));
			expect((await open(token)).status).toBe(200);
			const last = token.at(-1) === "A" ? "B" : "A";
			const res = await open(`${token.slice(0, -1)}${last}`);
			expect(res.status).toBe(400);
			expect(await res.text()).toContain("這個連結不正確");
			const unchanged = await db
				.select()
				.from(schema.staff)
				.where(and(eq(schema.staff.id, clerk?.id ?? 0)))
				.get();
			expect(unchanged?.passwordHash).toBe(clerk?.passwordHash);
		},
	},
];

describe("tokens refused when forged, expired, replayed or altered", () => {
	it("the table names every token kind × attack once", () => {
		const cells = CELLS.map((c) => `${c.kind} × ${c.attack}`);
		expect(cells).toEqual(KINDS.flatMap((kind) => ATTACKS.map((attack) => `${kind} × ${attack}`)));
	});

	const runnable = CELLS.flatMap((c) =>
		"run" in c ? [[`${c.kind} × ${c.attack}: ${c.what}`, c.run] as const] : [],
	);
	it.each(runnable)("%s", async (_, run) => {
		await run();
	});
});
