// LIFF sign-in: ID tokens verified like LINE's (ES256, JWKS, iss, aud, exp ± 60 s) and every
// forged, altered or confused token refused; then the identity API behind it.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { base64url, SignJWT } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { auditLog, emulatorLog } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { verifyLineIdToken } from "../../src/line/id-token";
import { DEV_KEY_ID, devSigningKey, signDevIdToken } from "../../src/routes/dev/id-token-emulator";
import { devEnv, devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
const CHANNEL = env.LINE_LOGIN_CHANNEL_ID;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const token = (
	userId: string,
	over: { issuer?: string; channelId?: string; now?: number; ttlSeconds?: number } = {},
) => signDevIdToken(userId, { issuer: ORIGIN, channelId: CHANNEL, now: Date.now(), ...over });

const me = (idToken: string | null) =>
	devFetch(
		new Request(`${ORIGIN}/api/liff/me`, { headers: idToken ? { authorization: `Bearer ${idToken}` } : {} }),
	);

async function codeOf(res: Response): Promise<string> {
	return ((await res.json()) as { error: { code: string } }).error.code;
}

describe("ID token verification", () => {
	it("accepts a token signed by LINE's key for this channel and maps it to the bindings", async () => {
		const res = await me(await token(DEMO_LINE_USERS.both));
		expect(res.status).toBe(200);
		const body = (await res.json()) as { identities: { role: string; nationalIdMasked: string }[] };
		expect(body.identities.map((i) => i.role)).toEqual(["teacher", "trainee"]);
		expect(body.identities[0]?.nationalIdMasked).toMatch(/^\w{3}\*{4}\d{3}$/);
	});

	it("accepts a token one minute past exp (clock tolerance) and refuses it after", async () => {
		const issued = Date.now() - 3_600_000 - 50_000;
		expect((await me(await token(DEMO_LINE_USERS.trainee, { now: issued }))).status).toBe(200);
		const expired = await me(await token(DEMO_LINE_USERS.trainee, { now: Date.now() - 3_600_000 - 70_000 }));
		expect(expired.status).toBe(401);
		expect(await codeOf(expired)).toBe("ID_TOKEN_EXPIRED");
	});

	it.each([
		["no token", async () => null, "ID_TOKEN_MISSING"],
		[
			"another channel (aud)",
			() => token(DEMO_LINE_USERS.trainee, { channelId: "9999999999" }),
			"ID_TOKEN_INVALID",
		],
		[
			"another issuer",
			() => token(DEMO_LINE_USERS.trainee, { issuer: "https://evil.example" }),
			"ID_TOKEN_INVALID",
		],
		[
			"another key",
			async () => {
				const { privateKey } = (await crypto.subtle.generateKey(
					{ name: "ECDSA", namedCurve: "P-256" },
					true,
					["sign", "verify"],
				)) as CryptoKeyPair;
				return new SignJWT({})
					.setProtectedHeader({ alg: "ES256", kid: "training-line-dev-1" })
					.setIssuer(ORIGIN)
					.setAudience(CHANNEL)
					.setSubject(DEMO_LINE_USERS.trainee)
					.setIssuedAt()
					.setExpirationTime("1h")
					.sign(privateKey);
			},
			"ID_TOKEN_INVALID",
		],
		[
			"alg none",
			async () => {
				const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
				const payload = base64url.encode(
					JSON.stringify({
						iss: ORIGIN,
						aud: CHANNEL,
						sub: DEMO_LINE_USERS.trainee,
						exp: Math.floor(Date.now() / 1000) + 600,
					}),
				);
				return `${header}.${payload}.`;
			},
			"ID_TOKEN_INVALID",
		],
		[
			"HS256 signed with the public key (algorithm confusion)",
			async () => {
				const jwks = (await (await devFetch(new Request(`${ORIGIN}/oauth2/v2.1/certs`))).json()) as {
					keys: object[];
				};
				return new SignJWT({})
					.setProtectedHeader({ alg: "HS256", kid: "training-line-dev-1" })
					.setIssuer(ORIGIN)
					.setAudience(CHANNEL)
					.setSubject(DEMO_LINE_USERS.trainee)
					.setIssuedAt()
					.setExpirationTime("1h")
					.sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
			},
			"ID_TOKEN_INVALID",
		],
		["garbage", async () => "not.a.jwt", "ID_TOKEN_INVALID"],
		[
			"an altered payload",
			async () => {
				const [h, , s] = (await token(DEMO_LINE_USERS.trainee)).split(".");
				const payload = base64url.encode(
					JSON.stringify({
						iss: ORIGIN,
						aud: CHANNEL,
						sub: DEMO_LINE_USERS.both,
						exp: Math.floor(Date.now() / 1000) + 600,
					}),
				);
				return `${h}.${payload}.${s}`;
			},
			"ID_TOKEN_INVALID",
		],
	])("refuses %s", async (_, make, code) => {
		const res = await me(await make());
		expect(res.status).toBe(401);
		expect(await codeOf(res)).toBe(code);
	});

	/** Signed with the emulator's (LINE's, in development) key, but missing a claim LINE always sets. */
	const signedWithout = async (claim: "exp" | "iat") => {
		const jwt = new SignJWT({})
			.setProtectedHeader({ alg: "ES256", kid: DEV_KEY_ID })
			.setIssuer(ORIGIN)
			.setAudience(CHANNEL)
			.setSubject(DEMO_LINE_USERS.trainee);
		if (claim !== "iat") jwt.setIssuedAt();
		if (claim !== "exp") jwt.setExpirationTime("1h");
		return jwt.sign(await devSigningKey());
	};

	it.each(["exp", "iat"] as const)("refuses a correctly signed token without %s", async (claim) => {
		const res = await me(await signedWithout(claim));
		expect(res.status).toBe(401);
		expect(await codeOf(res)).toBe("ID_TOKEN_INVALID");
	});

	it("fetches LINE's JWKS once for several verifications", async () => {
		vi.restoreAllMocks();
		const certs = await (await devFetch(new Request(`${ORIGIN}/oauth2/v2.1/certs`))).text();
		// A base no other test uses, so the key set starts cold.
		const base = "https://jwks-cache.line.test";
		const jwks = vi
			.spyOn(globalThis, "fetch")
			.mockImplementation(
				async () => new Response(certs, { headers: { "content-type": "application/json" } }),
			);
		for (const user of [DEMO_LINE_USERS.trainee, DEMO_LINE_USERS.teacher, DEMO_LINE_USERS.both]) {
			const check = await verifyLineIdToken(await token(user), {
				lineApiBase: base,
				issuer: ORIGIN,
				channelId: CHANNEL,
				now: Date.now(),
			});
			expect(check).toEqual({ ok: true, userId: user });
		}
		expect(jwks.mock.calls.map(([input]) => String(input))).toEqual([`${base}/oauth2/v2.1/certs`]);
	});

	it("refuses in production a token signed with the emulator's key (LINE's JWKS does not have it)", async () => {
		vi.restoreAllMocks();
		const { publicKey } = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
			"sign",
			"verify",
		])) as CryptoKeyPair;
		const lineKey = {
			...(await crypto.subtle.exportKey("jwk", publicKey)),
			kid: "line-key-1",
			alg: "ES256",
			use: "sig",
		};
		const jwks = vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ keys: [lineKey] }));
		const res = await devFetch(
			new Request(`${ORIGIN}/api/liff/me`, {
				headers: { authorization: `Bearer ${await token(DEMO_LINE_USERS.trainee)}` },
			}),
			{ ...devEnv, ENVIRONMENT: "production", LINE_API_BASE: "https://api.line.me" } as Env,
		);
		expect(res.status).toBe(401);
		expect(String(jwks.mock.calls[0]?.[0])).toBe("https://api.line.me/oauth2/v2.1/certs");
	});
});

describe("identity API", () => {
	const call = async (userId: string, path: string, init: RequestInit = {}) =>
		devFetch(
			new Request(`${ORIGIN}${path}`, {
				...init,
				headers: { authorization: `Bearer ${await token(userId)}`, "content-type": "application/json" },
			}),
		);
	const menuOf = async (userId: string) => {
		const rows = await db.select().from(emulatorLog).where(eq(emulatorLog.userId, userId));
		return (JSON.parse(rows.filter((r) => r.kind === "rich_menu").at(-1)?.body ?? "{}") as { menu?: string })
			.menu;
	};

	it("switches identity from a LIFF button; the menu follows on the server", async () => {
		const res = await call(DEMO_LINE_USERS.both, "/api/liff/me/active-role", {
			method: "PUT",
			body: JSON.stringify({ role: "teacher" }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ activeRole: "teacher" });
		expect(await menuOf(DEMO_LINE_USERS.both)).toBe("teacher");
	});

	it("refuses switching to an identity that is not bound, and a role that does not exist", async () => {
		const notBound = await call(DEMO_LINE_USERS.trainee, "/api/liff/me/active-role", {
			method: "PUT",
			body: JSON.stringify({ role: "teacher" }),
		});
		expect(notBound.status).toBe(403);
		expect(await codeOf(notBound)).toBe("NOT_BOUND");
		const bad = await call(DEMO_LINE_USERS.trainee, "/api/liff/me/active-role", {
			method: "PUT",
			body: JSON.stringify({ role: "admin" }),
		});
		expect(bad.status).toBe(400);
	});

	it("unbinds one identity: the other becomes active, the menu follows, and it is audited", async () => {
		const both = DEMO_LINE_USERS.both;
		await call(both, "/api/liff/me/active-role", {
			method: "PUT",
			body: JSON.stringify({ role: "teacher" }),
		});
		const res = await call(both, "/api/liff/me/bindings/teacher", { method: "DELETE" });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ activeRole: "trainee", roles: ["trainee"] });
		expect(await menuOf(both)).toBe("trainee");
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, "line_binding.removed"));
		expect(audit.some((row) => row.actorId === both)).toBe(true);
		const again = await call(both, "/api/liff/me/bindings/teacher", { method: "DELETE" });
		expect(again.status).toBe(404);
	});
});

describe("LIFF pages", () => {
	it("serve the shell with the mock LIFF in development and LINE's SDK in production", async () => {
		const dev = await (await devFetch(new Request(`${ORIGIN}/liff/trainee/settings`))).text();
		expect(dev).toContain("/app/liff-mock.js");
		expect(dev).toContain("學員專區");
		const prod = await (
			await devFetch(new Request(`${ORIGIN}/liff/teacher`), { ...devEnv, ENVIRONMENT: "production" } as Env)
		).text();
		expect(prod).toContain("https://static.line-scdn.net/liff/edge/2/sdk.js");
		expect(prod).toContain('data-liff-id="1650000000-teacher"');
		expect((await devFetch(new Request(`${ORIGIN}/liff/admin/x`))).status).toBe(404);
	});
});

describe("LIFF page on an expired ID token", () => {
	/** Runs the page script (src/client/liff.ts) against a minimal browser and LIFF; returns what it did. */
	async function openPageWithExpiredToken(inClient: boolean) {
		const storage = new Map<string, string>();
		const reload = vi.fn();
		const login = vi.fn();
		const remark = { name: "remark", value: "發燒，下午看診" };
		const app = {
			dataset: { role: "trainee", base: "/liff/trainee", liffId: "1650000000-trainee" },
			querySelectorAll: () => [remark],
			replaceChildren: () => {},
			prepend: () => {},
		};
		vi.stubGlobal("HTMLInputElement", class {});
		vi.stubGlobal("document", { getElementById: () => app, createElement: () => ({}) });
		vi.stubGlobal("location", {
			pathname: "/liff/trainee/",
			search: "",
			href: "https://training-line.test/liff/trainee/",
			reload,
		});
		vi.stubGlobal("sessionStorage", {
			getItem: (k: string) => storage.get(k) ?? null,
			setItem: (k: string, v: string) => void storage.set(k, v),
			removeItem: (k: string) => void storage.delete(k),
		});
		vi.stubGlobal("liff", {
			init: async () => {},
			isLoggedIn: () => true,
			isInClient: () => inClient,
			login,
			getIDToken: () => "expired.id.token",
			closeWindow: () => {},
		});
		vi.spyOn(globalThis, "fetch").mockResolvedValue(
			Response.json({ error: { code: "ID_TOKEN_EXPIRED", message: "登入逾時" } }, { status: 401 }),
		);
		vi.resetModules();
		// A path in a variable: the page script is typed by the client tsconfig (DOM), not this one.
		const script = "../../src/client/liff";
		await import(/* @vite-ignore */ script);
		await vi.waitFor(() => expect(reload.mock.calls.length + login.mock.calls.length).toBe(1));
		return { reload, login, draft: storage.get("tl-draft:/liff/trainee/") };
	}
	afterEach(() => vi.unstubAllGlobals());

	it("reloads inside LINE (liff.login is not available there), keeping the draft", async () => {
		const { reload, login, draft } = await openPageWithExpiredToken(true);
		expect(reload).toHaveBeenCalledTimes(1);
		expect(login).not.toHaveBeenCalled();
		expect(JSON.parse(draft ?? "{}")).toEqual({ remark: "發燒，下午看診" });
	});

	it("signs in again with liff.login in an external browser, keeping the draft", async () => {
		const { reload, login, draft } = await openPageWithExpiredToken(false);
		expect(login).toHaveBeenCalledWith({ redirectUri: "https://training-line.test/liff/trainee/" });
		expect(reload).not.toHaveBeenCalled();
		expect(JSON.parse(draft ?? "{}")).toEqual({ remark: "發燒，下午看診" });
	});
});
