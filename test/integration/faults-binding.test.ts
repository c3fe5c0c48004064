// Fault: the SMS gateway or the e-mail API fails while a trainee binds their LINE account — it
// answers 5xx, the connection drops, the call times out — then recovers. In production mode (the
// real HTTP senders, providers faked at fetch()): the person reads a clear zh-TW sentence, keeps
// what they typed, loses no try and no send of the day, nothing is half-written, and the same
// way works again as soon as the provider is back.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { bindingRequests, lineBindings, otpChallenges, people } from "../../src/db/schema";
import { type DemoPerson, demoPerson } from "../../src/demo/people";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiInstant } from "../../src/domain/taipei-time";
import worker from "../../src/index";
import { createLineApi } from "../../src/line/line-api";
import {
	type BindingDeps,
	type BindingRequest,
	openRequest,
	sendCode,
	verifyIdentity,
} from "../../src/services/binding";
import { createBindingLink } from "../../src/services/binding-link";
import { httpCodeSender } from "../../src/services/code-senders";
import {
	CODE_SENDS_PER_DESTINATION_PER_DAY,
	CODE_SENDS_PER_LINE_USER_PER_DAY,
} from "../../src/services/one-time-code";
import { freshLineUser } from "./dev-server";
import { type FakeLine, installFakeLine } from "./fake-line";
import { lineEvent, sendEvents } from "./webhook-helpers";

const db = createDb(env.DB);
/** Production mode with both providers configured. */
const prodEnv = {
	...env,
	SMS_API_URL: "https://sms.example/send",
	SMS_SENDER: "TrainingLINE",
	EMAIL_API_URL: "https://mail.example/send",
	EMAIL_FROM: "no-reply@training-line.test",
} as Env;
const UNAVAILABLE = "簡訊/郵件暫時無法寄出，請稍後再試或改用另一種方式。";

/** What the providers do with the next messages: an HTTP status, a dropped connection or a timeout. */
type ProviderOutcome = number | "network-error" | "timeout";
let line: FakeLine;
let plan: ProviderOutcome[];
let delivered: { to: string; text: string }[];
let attempts: number;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	line = installFakeLine();
	plan = [];
	delivered = [];
	attempts = 0;
	const lineFetch = vi.mocked(globalThis.fetch).getMockImplementation();
	vi.mocked(globalThis.fetch).mockImplementation(async (input, init) => {
		const request = new Request(input as RequestInfo, init as RequestInit);
		if (!/^https:\/\/(sms|mail)\.example\//.test(request.url))
			return (lineFetch as typeof fetch)(input, init);
		attempts++;
		const outcome = plan.shift() ?? 200;
		if (outcome === "network-error") throw new TypeError("Network connection lost.");
		if (outcome === "timeout")
			throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
		if (outcome === 200) delivered.push((await request.json()) as { to: string; text: string });
		return new Response(outcome === 200 ? '{"ok":true}' : "provider down", { status: outcome });
	});
});
afterEach(() => vi.restoreAllMocks());

let personNo = 40; // trainees of the demo's upcoming class: on the roster, not bound
async function nextPerson(): Promise<DemoPerson> {
	const person = demoPerson("trainee", personNo++, 0);
	const row = await db.select().from(people).where(eq(people.email, person.email)).get();
	await db.delete(lineBindings).where(eq(lineBindings.personId, row?.id ?? -1));
	return person;
}

/** A browser tab on the production Worker: keeps cookies, does not follow redirects. */
function productionTab() {
	let cookie = "";
	async function go(path: string, init: RequestInit = {}) {
		const headers = new Headers(init.headers);
		if (cookie) headers.set("cookie", cookie);
		const ctx = createExecutionContext();
		const res = await worker.fetch(
			new Request(new URL(path, prodEnv.PUBLIC_BASE_URL), { ...init, headers, redirect: "manual" }),
			prodEnv,
			ctx,
		);
		await waitOnExecutionContext(ctx);
		const set = res.headers.get("set-cookie");
		if (set) cookie = set.split(";")[0] ?? "";
		return res;
	}
	return {
		get: (path: string) => go(path),
		post: (path: string, form: Record<string, string>) =>
			go(path, {
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams(form).toString(),
			}),
	};
}

describe("binding while the SMS gateway fails", () => {
	it("says why in zh-TW, keeps the phone typed, costs nothing, and sends as soon as it is back", async () => {
		const person = await nextPerson();
		const user = freshLineUser();
		await sendEvents(lineEvent.postback(user, "a=bind&role=trainee"));
		const uri = /"uri":"https:\/\/training-line\.test(\/bind\?t=[^"]+)"/.exec(JSON.stringify(line.replies()));
		const path = uri?.[1] ?? "";
		expect(path).not.toBe("");
		const t = new URL(path, prodEnv.PUBLIC_BASE_URL).searchParams.get("t") ?? "";
		const tab = productionTab();
		expect((await tab.get(path)).status).toBe(200);
		expect((await tab.post("/bind/consent", { t, agree: "yes" })).status).toBe(303);
		const identity = { t, name: person.name, nationalId: person.nationalId, birthDate: person.birthDate };
		expect((await tab.post("/bind/identity", identity)).status).toBe(303);
		const requestRow = async () =>
			(await db
				.select()
				.from(bindingRequests)
				.where(eq(bindingRequests.lineUserId, user))
				.get()) as BindingRequest;
		const challenges = async () =>
			db
				.select()
				.from(otpChallenges)
				.where(eq(otpChallenges.bindingRequestId, (await requestRow()).id));

		// 寄送 three times while the gateway is down: 503, a dropped connection, a timeout.
		plan.push(503, "network-error", "timeout");
		for (let i = 0; i < 3; i++) {
			const res = await tab.post("/bind/contact", { t, channel: "sms", value: person.phone });
			expect(res.status).toBe(400);
			const html = await res.text();
			expect(html).toContain(UNAVAILABLE);
			expect(html).toContain(person.phone);
		}
		expect(attempts).toBe(3);
		expect(await challenges()).toHaveLength(0);
		expect(await requestRow()).toMatchObject({ failedAttempts: 0, verifiedAt: null, nonce: null });

		// Back: the same way works at once (no cool-down from the failed sends), and the code binds.
		const sent = await tab.post("/bind/contact", { t, channel: "sms", value: person.phone });
		expect(sent.status).toBe(303);
		expect(delivered).toHaveLength(1);
		expect(delivered[0]?.to).toBe(person.phone);
		const code = /(\d{6})/.exec(delivered[0]?.text ?? "")?.[1] ?? "";
		expect(await challenges()).toHaveLength(1);
		const confirmed = await tab.post("/bind/code", { t, code });
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get("location")).toMatch(
			/^https:\/\/access\.line\.me\/dialog\/bot\/accountLink\?/,
		);
		expect((await requestRow()).verifiedAt).not.toBeNull();
	});

	it("lets a person switch to e-mail when only the SMS gateway is down", async () => {
		const person = await nextPerson();
		const r = await identified(T0, person);
		plan.push(502);
		expect(await sendCode(deps(T0), r, { channel: "sms", value: person.phone })).toEqual({
			ok: false,
			message: UNAVAILABLE,
		});
		expect(await sendCode(deps(T0 + 1000), r, { channel: "email", value: person.email })).toEqual({
			ok: true,
		});
		expect(delivered.map((d) => d.to)).toEqual([person.email]);
	});
});

// Service level, with a controlled clock: 07:59 Taipei (still the previous day in UTC).
const T0 = taipeiInstant("2026-12-04", "07:59");
const deps = (now: number): BindingDeps => ({
	db,
	now,
	piiKey: env.PII_HMAC_KEY,
	bindingTokenKey: env.BINDING_TOKEN_KEY,
	sendCode: httpCodeSender(prodEnv),
	line: createLineApi(prodEnv),
	lineAccessBase: "https://access.line.me",
});
async function identified(at: number, person: DemoPerson): Promise<BindingRequest> {
	const link = await createBindingLink(
		{
			db,
			line: createLineApi(prodEnv),
			now: at,
			bindingTokenKey: env.BINDING_TOKEN_KEY,
			publicBaseUrl: prodEnv.PUBLIC_BASE_URL,
		},
		freshLineUser(),
		"trainee",
	);
	if (!link.ok) throw new Error("no link");
	const opened = await openRequest(deps(at), new URL(link.url).searchParams.get("t") ?? "");
	if (!opened.ok) throw new Error(opened.problem);
	await db.update(bindingRequests).set({ consentedAt: at }).where(eq(bindingRequests.id, opened.request.id));
	const request = { ...opened.request, consentedAt: at };
	expect(
		await verifyIdentity(deps(at), request, {
			name: person.name,
			nationalId: person.nationalId,
			birthDate: person.birthDate,
		}),
	).toEqual({ ok: true });
	return (await db
		.select()
		.from(bindingRequests)
		.where(eq(bindingRequests.id, request.id))
		.get()) as BindingRequest;
}

describe("the day's send limits when providers fail", () => {
	it("counts only sends the provider took: a morning of failures leaves every send of the day", async () => {
		const person = await nextPerson();
		const r = await identified(T0, person);
		const ways = [
			{ channel: "sms" as const, value: person.phone },
			{ channel: "email" as const, value: person.email },
		];
		// Twelve failed sends, both ways, some in quick succession.
		const failures: ProviderOutcome[] = [500, "network-error", 429, "timeout"];
		plan.push(...Array.from({ length: 12 }, (_, i) => failures[i % 4] as ProviderOutcome));
		for (let i = 0; i < 12; i++) {
			const result = await sendCode(deps(T0 + i * 1000), r, ways[i % 2] as (typeof ways)[number]);
			expect(result).toEqual({ ok: false, message: UNAVAILABLE });
		}
		const rows = () => db.select().from(otpChallenges).where(eq(otpChallenges.bindingRequestId, r.id));
		expect(await rows()).toHaveLength(0);

		// Back: five codes a way, a minute apart — the whole day's allowance for this LINE user.
		expect(CODE_SENDS_PER_DESTINATION_PER_DAY * 2).toBe(CODE_SENDS_PER_LINE_USER_PER_DAY);
		let at = T0 + 60_000;
		for (let i = 0; i < CODE_SENDS_PER_DESTINATION_PER_DAY; i++) {
			for (const way of ways) expect(await sendCode(deps(at), r, way)).toEqual({ ok: true });
			at += 61_000;
		}
		expect(delivered).toHaveLength(CODE_SENDS_PER_LINE_USER_PER_DAY);
		expect(await sendCode(deps(at), r, ways[0] as (typeof ways)[number])).toMatchObject({
			ok: false,
			message: expect.stringContaining("上限"),
		});
	});

	it("tells a second tap during a slow failing send to wait, then sends at once when it is retried", async () => {
		const person = await nextPerson();
		const r = await identified(T0, person);
		const way = { channel: "sms" as const, value: person.phone };
		let answer: ((res: Response) => void) | null = null;
		vi.mocked(globalThis.fetch).mockImplementationOnce(
			() =>
				new Promise<Response>((resolve) => {
					answer = resolve;
				}),
		);
		const slow = sendCode(deps(T0), r, way);
		// The gateway has the first send and has not answered yet.
		await vi.waitFor(() => expect(answer).not.toBeNull());
		// The second tap sees the first send's reservation: nothing is sent twice.
		expect(await sendCode(deps(T0 + 2000), r, way)).toMatchObject({
			ok: false,
			message: expect.stringContaining("秒後再重新寄送"),
		});
		(answer as unknown as (res: Response) => void)(new Response("gateway timeout", { status: 504 }));
		expect(await slow).toEqual({ ok: false, message: UNAVAILABLE });
		// The failed send gave its reservation back: the next tap sends right away.
		expect(await sendCode(deps(T0 + 3000), r, way)).toEqual({ ok: true });
		expect(delivered.map((d) => d.to)).toEqual([person.phone]);
		const rows = await db.select().from(otpChallenges).where(eq(otpChallenges.bindingRequestId, r.id));
		expect(rows).toHaveLength(1);
	});
});
