// The binding rules with a controlled clock: link and code lifetimes to the second, resend
// cool-down, daily send limits on the Taipei day, provider failures that cost nothing.
import { env } from "cloudflare:test";
import { desc, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { bindingRequests, emulatorLog, otpChallenges } from "../../src/db/schema";
import { type DemoPerson, demoPerson } from "../../src/demo/people";
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
/** A new link (and request) for a new person and LINE user, or again for the same ones. */
async function newRequest(at: number, existing?: { person: DemoPerson; userId: string }) {
	const person = existing?.person ?? demoPerson("trainee", personNo++, 0);
	const userId = existing?.userId ?? freshLineUser();
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
	return { token, person, userId, request: { ...request, consentedAt: at } };
}

async function identified(at: number, existing?: { person: DemoPerson; userId: string }) {
	const r = await newRequest(at, existing);
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

describe("races and limits", () => {
	const stored = async (requestId: string) =>
		db.select().from(otpChallenges).where(eq(otpChallenges.bindingRequestId, requestId)).all();

	it("counts at most five of ten parallel wrong codes, then refuses the right one", async () => {
		const r = await identified(T0);
		expect((await sendCode(deps(T0), r.request, { channel: "email", value: r.person.email })).ok).toBe(true);
		const code = await lastCode();
		const wrong = code === "000000" ? "111111" : "000000";
		const answers = await Promise.all(
			Array.from({ length: 10 }, () => confirmCode(deps(T0 + 1000), r.request, wrong)),
		);
		const counted = answers.filter((a) => !a.ok && a.message.includes("還可以再試")).length;
		expect(counted).toBe(4);
		expect(answers.every((a) => !a.ok)).toBe(true);
		const [challenge] = await stored(r.request.id);
		expect(challenge?.attempts).toBe(5);

		const right = await confirmCode(deps(T0 + 2000), r.request, code);
		expect(right).toMatchObject({ ok: false, message: expect.stringContaining("錯誤次數過多") });
		const request = await db.select().from(bindingRequests).where(eq(bindingRequests.id, r.request.id)).get();
		expect(request?.verifiedAt).toBeNull();
	});

	it("keeps the 60-second cool-down of an address when a new link is asked for", async () => {
		const first = await identified(T0);
		const send = (request: BindingRequest, at: number) =>
			sendCode(deps(at), request, { channel: "email", value: first.person.email });
		expect((await send(first.request, T0)).ok).toBe(true);
		// 綁定帳號 again: a new link voids the first; the address still waits out its minute.
		const second = await identified(T0 + 10_000, first);
		expect(second.request.id).not.toBe(first.request.id);
		expect(await send(second.request, T0 + 20_000)).toMatchObject({
			ok: false,
			message: expect.stringContaining("請在 40 秒後再重新寄送"),
		});
		expect(await stored(second.request.id)).toHaveLength(0);
		expect((await send(second.request, T0 + 60_000)).ok).toBe(true);
	});

	it("sends one code for ten parallel sends to one address, from several links", async () => {
		const first = await identified(T0);
		const second = await identified(T0, first);
		const outcomes = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				sendCode(deps(T0 + 1000), i % 2 ? first.request : second.request, {
					channel: "email",
					value: first.person.email,
				}),
			),
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		const rows = [...(await stored(first.request.id)), ...(await stored(second.request.id))];
		expect(rows).toHaveLength(1);
	});

	it("never exceeds five codes a day to one address, even when sends race", async () => {
		const r = await identified(T0);
		const destination = (await stored(r.request.id)).length;
		expect(destination).toBe(0);
		// Four codes sent over the morning, a minute apart…
		for (let i = 0; i < 4; i++) {
			expect(
				(await sendCode(deps(T0 + i * 61_000), r.request, { channel: "sms", value: r.person.phone })).ok,
			).toBe(true);
		}
		// …then three tabs and a new link ask at the same instant: one more code, the fifth, and no sixth.
		const other = await identified(T0 + 300_000, r);
		const at = T0 + 400_000;
		const outcomes = await Promise.all(
			[r.request, r.request, other.request, other.request].map((request) =>
				sendCode(deps(at), request, { channel: "sms", value: r.person.phone }),
			),
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(
			await sendCode(deps(at + 61_000), other.request, { channel: "sms", value: r.person.phone }),
		).toMatchObject({
			ok: false,
			message: expect.stringContaining("上限"),
		});
		const rows = [...(await stored(r.request.id)), ...(await stored(other.request.id))];
		expect(rows.filter((row) => row.channel === "sms")).toHaveLength(5);
	});

	it("sends at most ten codes a day for one LINE user, and no log line holds a code or an address", async () => {
		const lines: string[] = [];
		for (const level of ["log", "warn", "error", "info"] as const) {
			vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
				lines.push(args.map(String).join(" "));
			});
		}
		const r = await identified(T0);
		const codes: string[] = [];
		// Five to the phone and five to the e-mail address: ten for this LINE user today.
		for (let i = 0; i < 5; i++) {
			for (const input of [
				{ channel: "sms" as const, value: r.person.phone },
				{ channel: "email" as const, value: r.person.email },
			]) {
				expect((await sendCode(deps(T0 + i * 61_000), r.request, input)).ok).toBe(true);
				if (input.channel === "email") codes.push(await lastCode());
			}
		}
		// A new link for another person, from the same LINE user: that address has had no code yet.
		const otherPerson = demoPerson("trainee", personNo++, 0);
		const other = await identified(T0 + 400_000, { person: otherPerson, userId: r.userId });
		const refused = await sendCode(deps(T0 + 400_000), other.request, {
			channel: "email",
			value: otherPerson.email,
		});
		expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("上限") });
		expect(await stored(other.request.id)).toHaveLength(0);

		expect(lines.some((l) => l.includes('"event":"code_sent"'))).toBe(true);
		expect(lines.some((l) => l.includes('"event":"binding_code_limit"'))).toBe(true);
		for (const code of codes) expect(lines.filter((l) => l.includes(code))).toEqual([]);
		for (const secret of [r.person.phone, r.person.email, otherPerson.email, r.person.nationalId])
			expect(lines.filter((l) => l.includes(secret))).toEqual([]);
	});

	it("warns when the provider answers an error or is not configured, without the code or address", async () => {
		const r = await identified(T0);
		vi.restoreAllMocks();
		const warnings: string[] = [];
		const infos: string[] = [];
		vi.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
		vi.spyOn(console, "log").mockImplementation((line: unknown) => void infos.push(String(line)));
		const provider = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("quota", { status: 429 }));
		const answering = httpCodeSender({ ...env, SMS_API_URL: "https://sms.example/send", EMAIL_API_URL: "" });
		const smsResult = await sendCode(deps(T0, answering), r.request, {
			channel: "sms",
			value: r.person.phone,
		});
		expect(smsResult.ok).toBe(false);
		const mailResult = await sendCode(deps(T0, answering), r.request, {
			channel: "email",
			value: r.person.email,
		});
		expect(mailResult.ok).toBe(false);
		expect(provider).toHaveBeenCalledTimes(1);
		const sentText = (JSON.parse(String(provider.mock.calls[0]?.[1]?.body)) as { text: string }).text;
		const code = /(\d{6})/.exec(sentText)?.[1] ?? "";
		expect(code).toMatch(/^\d{6}$/);

		const failed = warnings.map((w) => JSON.parse(w) as Record<string, unknown>);
		expect(failed).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ event: "code_send_failed", channel: "sms", status: 429 }),
				expect.objectContaining({ event: "code_send_failed", channel: "email", reason: "not_configured" }),
			]),
		);
		expect(infos.filter((l) => l.includes("code_sent"))).toEqual([]);
		for (const line of [...warnings, ...infos]) {
			expect(line).not.toContain(code);
			expect(line).not.toContain(r.person.phone);
			expect(line).not.toContain(r.person.email);
		}
	});
});

describe("guessing identities over many links", () => {
	it("stops a LINE user after ten wrong answers in a Taipei day, whatever the number of links", async () => {
		const first = await newRequest(T0);
		const who = { person: first.person, userId: first.userId };
		const wrong = { name: first.person.name, nationalId: first.person.nationalId, birthDate: "1900-01-01" };
		let request = first.request;
		for (let link = 0; link < 2; link++) {
			if (link > 0) request = (await newRequest(T0 + link * 60_000, who)).request;
			for (let i = 0; i < 5; i++) await verifyIdentity(deps(T0 + link * 60_000 + i), request, wrong);
		}
		// A third link, later the same Taipei day (07:59 is still the previous UTC day).
		const link = await createBindingLink(
			{
				db,
				line: createLineApi(devEnv),
				now: T0 + 3 * 60_000,
				bindingTokenKey: env.BINDING_TOKEN_KEY,
				publicBaseUrl: "https://x.test",
			},
			who.userId,
			"trainee",
		);
		if (!link.ok) throw new Error("no link");
		const token = new URL(link.url).searchParams.get("t") ?? "";
		expect(await openRequest(deps(T0 + 3 * 60_000), token)).toEqual({ ok: false, problem: "LOCKED_TODAY" });
		// From 00:00 Taipei the next day a new link works again.
		const nextDay = taipeiInstant("2026-12-05", "00:00");
		expect((await newRequest(nextDay, who)).request.lineUserId).toBe(who.userId);
	});
});
