// The binding rules with a controlled clock: link and code lifetimes to the second, resend
// cool-down, daily send limits on the Taipei day, provider failures that cost nothing.
import { env } from "cloudflare:test";
import { desc, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { bindingRequests, emulatorLog, otpChallenges } from "../../src/db/schema";
import { demoPerson } from "../../src/demo/people";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiInstant } from "../../src/domain/taipei-time";
import { createLineApi } from "../../src/line/line-api";
import {
	type BindingDeps,
	type BindingRequest,
	confirmCode,
	openRequest,
	sendCode,
	verifyIdentity,
} from "../../src/services/binding";
import { BINDING_LINK_TTL_MS, createBindingLink } from "../../src/services/binding-link";
import { emulatorCodeSender, httpCodeSender } from "../../src/services/code-senders";
import { CODE_TTL_MS } from "../../src/services/one-time-code";
import { devEnv, freshLineUser, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
// 07:59 Taipei on 2026-12-04: still 2026-12-03 in UTC.
const T0 = taipeiInstant("2026-12-04", "07:59");

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const deps = (now: number, sendCodeWith = emulatorCodeSender(db)): BindingDeps => ({
	db,
	now,
	piiKey: env.PII_HMAC_KEY,
	bindingTokenKey: env.BINDING_TOKEN_KEY,
	sendCode: sendCodeWith,
	line: createLineApi(devEnv),
	lineAccessBase: "https://training-line.test",
});

let personNo = 40; // trainees of the upcoming class: unbound, not used by other test files
async function newRequest(at: number) {
	const person = demoPerson("trainee", personNo++, 0);
	const userId = freshLineUser();
	const link = await createBindingLink(
		{
			db,
			line: createLineApi(devEnv),
			now: at,
			bindingTokenKey: env.BINDING_TOKEN_KEY,
			publicBaseUrl: "https://x.test",
		},
		userId,
		"trainee",
	);
	if (!link.ok) throw new Error("no link");
	const token = new URL(link.url).searchParams.get("t") ?? "";
	const opened = await openRequest(deps(at), token);
	if (!opened.ok) throw new Error(opened.problem);
	const request = opened.request;
	await db.update(bindingRequests).set({ consentedAt: at }).where(eq(bindingRequests.id, request.id));
	return { token, person, request: { ...request, consentedAt: at } };
}

async function identified(at: number) {
	const r = await newRequest(at);
	const result = await verifyIdentity(deps(at), r.request, {
		name: r.person.name,
		nationalId: r.person.nationalId,
		birthDate: r.person.birthDate,
	});
	expect(result.ok).toBe(true);
	const request = (await db
		.select()
		.from(bindingRequests)
		.where(eq(bindingRequests.id, r.request.id))
		.get()) as BindingRequest;
	return { ...r, request };
}

const lastCode = async () => {
	const row = await db
		.select()
		.from(emulatorLog)
		.where(eq(emulatorLog.kind, "email"))
		.orderBy(desc(emulatorLog.id))
		.get();
	return /(\d{6})/.exec(row?.body ?? "")?.[1] ?? "";
};

describe("link lifetime", () => {
	it("opens until one millisecond before ten minutes, not at ten minutes", async () => {
		const { token } = await newRequest(T0);
		expect((await openRequest(deps(T0 + BINDING_LINK_TTL_MS - 1000), token)).ok).toBe(true);
		const late = await openRequest(deps(T0 + BINDING_LINK_TTL_MS), token);
		expect(late).toEqual({ ok: false, problem: "EXPIRED" });
	});
});

describe("codes", () => {
	it("are six digits, expire after ten minutes, and the right code one second before works", async () => {
		const r = await identified(T0);
		expect((await sendCode(deps(T0), r.request, { channel: "email", value: r.person.email })).ok).toBe(true);
		const code = await lastCode();
		expect(code).toMatch(/^\d{6}$/);
		const stored = await db
			.select()
			.from(otpChallenges)
			.where(eq(otpChallenges.bindingRequestId, r.request.id))
			.get();
		expect(stored?.codeHash).not.toContain(code);
		expect(JSON.stringify(stored)).not.toContain(r.person.email);

		const expired = await confirmCode(deps(T0 + CODE_TTL_MS), r.request, code);
		expect(expired).toMatchObject({ ok: false, message: expect.stringContaining("已過期") });
		const inTime = await confirmCode(deps(T0 + CODE_TTL_MS - 1000), r.request, code);
		expect(inTime.ok).toBe(true);
	});

	it("can be resent after 60 seconds, not before", async () => {
		const r = await identified(T0);
		const send = (at: number) => sendCode(deps(at), r.request, { channel: "email", value: r.person.email });
		expect((await send(T0)).ok).toBe(true);
		expect(await send(T0 + 59_000)).toMatchObject({ ok: false, message: expect.stringContaining("1 秒後") });
		expect((await send(T0 + 60_000)).ok).toBe(true);
	});

	it("go at most five times a Taipei day to one address; the limit resets at 00:00 Taipei (16:00 UTC)", async () => {
		const r = await identified(taipeiInstant("2026-12-04", "23:50"));
		const send = async (at: number) => {
			const request = (await db
				.select()
				.from(bindingRequests)
				.where(eq(bindingRequests.id, r.request.id))
				.get()) as BindingRequest;
			return sendCode(
				deps(at),
				{ ...request, expiresAt: at + 600_000 },
				{ channel: "email", value: r.person.email },
			);
		};
		const start = taipeiInstant("2026-12-04", "23:50");
		for (let i = 0; i < 5; i++) expect((await send(start + i * 61_000)).ok).toBe(true);
		expect(await send(start + 5 * 61_000)).toMatchObject({
			ok: false,
			message: expect.stringContaining("上限"),
		});
		// 00:00 Taipei on the 5th is 16:00 UTC on the 4th: a new day for the limit.
		expect(new Date(taipeiInstant("2026-12-05", "00:00")).toISOString()).toBe("2026-12-04T16:00:00.000Z");
		expect((await send(taipeiInstant("2026-12-05", "00:00"))).ok).toBe(true);
	});

	it("cost nothing when the provider fails: the person sees why, and no try or send is counted", async () => {
		const r = await identified(T0);
		vi.restoreAllMocks();
		const provider = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("down", { status: 502 }));
		const failing = httpCodeSender({
			...env,
			SMS_API_URL: "https://sms.example/send",
			EMAIL_API_URL: "https://mail.example/send",
		});
		const result = await sendCode(deps(T0, failing), r.request, { channel: "sms", value: r.person.phone });
		expect(result).toEqual({ ok: false, message: "簡訊/郵件暫時無法寄出，請稍後再試或改用另一種方式。" });
		expect(provider).toHaveBeenCalledTimes(1);
		const body = JSON.parse(String(provider.mock.calls[0]?.[1]?.body)) as { to: string; text: string };
		expect(body.to).toBe(r.person.phone);
		expect(
			await db.select().from(otpChallenges).where(eq(otpChallenges.bindingRequestId, r.request.id)),
		).toHaveLength(0);
		const request = await db.select().from(bindingRequests).where(eq(bindingRequests.id, r.request.id)).get();
		expect(request?.failedAttempts).toBe(0);
		// …and the other way works right away.
		provider.mockRestore();
		routeLineToEmulator();
		expect((await sendCode(deps(T0), r.request, { channel: "email", value: r.person.email })).ok).toBe(true);
	});
});
