// The whole binding flow through the emulator paths, as a trainee walks it: chat → link → consent
// → identity → e-mail code → LINE's account-link dialog → bound, with the trainee menu. And the
// refusals a person may meet on the way.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { auditLog, bindingRequests, lineBindings, outbox, people } from "../../src/db/schema";
import { type DemoPerson, demoPerson } from "../../src/demo/people";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { signBindingToken } from "../../src/services/binding-token";
import {
	browserTab,
	chatOf,
	devFetch,
	freshLineUser,
	latestCodeFor,
	ORIGIN,
	routeLineToEmulator,
	sendAsUser,
} from "./dev-server";

const db = createDb(env.DB);
beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const textOfChat = async (userId: string) => JSON.stringify((await chatOf(userId)).entries);

/** 綁定帳號 → role in the emulator chat; returns the /bind path from the bot's button. */
async function requestLink(userId: string, role: "trainee" | "teacher"): Promise<string> {
	await sendAsUser(userId, { type: "postback", data: `a=bind&role=${role}` });
	const match = /"uri":"https:\/\/training-line\.test(\/bind\?t=[^"]+)"/.exec(await textOfChat(userId));
	const all = [
		...(await textOfChat(userId)).matchAll(/"uri":"https:\/\/training-line\.test(\/bind\?t=[^"]+)"/g),
	];
	expect(match, "the bot sent a binding link").not.toBeNull();
	return all.at(-1)?.[1] ?? "";
}

const tokenOf = (path: string) => new URL(path, ORIGIN).searchParams.get("t") ?? "";

/** 連結帳號 in the emulated LINE dialog, as `asUser` when given (the user picked in /__dev). */
const allowInDialog = (dialog: URL, asUser?: string) =>
	devFetch(
		new Request(`${ORIGIN}/dialog/bot/accountLink`, {
			method: "POST",
			headers: {
				"content-type": "application/x-www-form-urlencoded",
				...(asUser ? { cookie: `tl_dev_user=${asUser}` } : {}),
			},
			body: new URLSearchParams({
				linkToken: dialog.searchParams.get("linkToken") ?? "",
				nonce: dialog.searchParams.get("nonce") ?? "",
				decision: "allow",
			}),
		}),
	);
// Each test binds its own unbound trainee of the running class: codes are limited per address per day.
let nextTrainee = 2;
let current: DemoPerson = demoPerson("trainee", 2, 0);
const example = () => current;
beforeEach(() => {
	current = demoPerson("trainee", nextTrainee++, 0);
});

/** Consent and identity for the demo's unbound trainee; leaves the tab at the contact step. */
async function throughIdentity(tab: ReturnType<typeof browserTab>, path: string) {
	const t = tokenOf(path);
	expect((await tab.get(path)).status).toBe(200);
	expect((await tab.post("/bind/consent", { t, agree: "yes" })).status).toBe(303);
	const res = await tab.post("/bind/identity", {
		t,
		name: example().name,
		nationalId: example().nationalId.toLowerCase(),
		birthDate: example().birthDate,
	});
	expect(res.status).toBe(303);
	return t;
}

async function unbindExample() {
	const person = await db.select().from(people).where(eq(people.email, example().email)).get();
	await db.delete(lineBindings).where(eq(lineBindings.personId, person?.id ?? -1));
}

describe("the whole flow", () => {
	it("binds a trainee: link, consent, identity, e-mail code, account link, menu and message", async () => {
		await unbindExample();
		const user = freshLineUser();
		const path = await requestLink(user, "trainee");
		const tab = browserTab();

		const consent = await tab.get(path);
		const html = await consent.text();
		expect(html).toContain("個資使用聲明及相關條款");
		expect(tab.cookies.has("tl_bind")).toBe(true);
		const t = await throughIdentity(tab, path);

		const contact = await (await tab.get(path)).text();
		expect(contact).toContain("選擇認證方式");
		expect(contact).toMatch(/09xx-xxx-\d{3}/);
		expect(contact).toContain(`t***@example.com`);
		expect(contact).toContain(`09xx-xxx-${example().phone.slice(-3)}`);
		expect(contact).not.toContain(example().email);

		expect(
			(await tab.post("/bind/contact", { t, channel: "email", value: example().email.toUpperCase() })).status,
		).toBe(303);
		const codePage = await (await tab.get(path)).text();
		expect(codePage).toContain("驗證碼已寄到 t***@example.com");
		const code = await latestCodeFor(example().email);
		expect(code).toMatch(/^\d{6}$/);

		const submitted = await tab.post("/bind/code", { t, code });
		expect(submitted.status).toBe(303);
		const dialog = new URL(submitted.headers.get("location") ?? "");
		expect(dialog.pathname).toBe("/dialog/bot/accountLink");
		expect(dialog.searchParams.get("nonce")?.length).toBeGreaterThanOrEqual(22);

		const done = await devFetch(
			new Request(`${ORIGIN}/dialog/bot/accountLink`, {
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({
					linkToken: dialog.searchParams.get("linkToken") ?? "",
					nonce: dialog.searchParams.get("nonce") ?? "",
					decision: "allow",
				}),
			}),
		);
		expect(await done.text()).toContain("已完成連動");

		const binding = await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, user)).get();
		expect(binding?.role).toBe("trainee");
		expect(await textOfChat(user)).toContain("已將LINE與Training LINE連動");
		expect((await chatOf(user)).menu.name).toBe("trainee");

		// The link is used up now.
		const again = await tab.get(path);
		expect(again.status).toBe(410);
		expect(await again.text()).toContain("已使用過");
	});

	it("lets LINE's link preview open the link without using it up", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const preview = browserTab();
		expect((await preview.get(path)).status).toBe(200);
		expect((await preview.get(path)).status).toBe(200);
		const person = browserTab();
		expect(await (await person.get(path)).text()).toContain("同意並繼續");
	});

	it("makes one binding from a double tap on 提交", async () => {
		await unbindExample();
		const user = freshLineUser();
		const path = await requestLink(user, "trainee");
		const tab = browserTab();
		const t = await throughIdentity(tab, path);
		await tab.post("/bind/contact", { t, channel: "email", value: example().email });
		const code = await latestCodeFor(example().email);
		const [a, b] = await Promise.all([
			tab.post("/bind/code", { t, code }),
			tab.post("/bind/code", { t, code }),
		]);
		expect([a.status, b.status]).toEqual([303, 303]);
		expect(a.headers.get("location")).toBe(b.headers.get("location"));
		// Both tabs go on to LINE's dialog and press 連結帳號: one binding, one message.
		await Promise.all([a, b].map((res) => allowInDialog(new URL(res.headers.get("location") ?? ""))));
		const person = await db.select().from(people).where(eq(people.email, example().email)).get();
		const bindings = await db
			.select()
			.from(lineBindings)
			.where(and(eq(lineBindings.personId, person?.id ?? -1), eq(lineBindings.role, "trainee")));
		expect(bindings.map((b) => b.lineUserId)).toEqual([user]);
		expect((await textOfChat(user)).split("已將LINE與Training LINE連動。").length - 1).toBe(1);
	});
});

describe("link problems", () => {
	it("explains an expired link and how to get a new one", async () => {
		const past = Date.now() - 3_600_000;
		const t = await signBindingToken(env.BINDING_TOKEN_KEY, "whatever", past, past + 600_000);
		const res = await browserTab().get(`/bind?t=${t}`);
		expect(res.status).toBe(410);
		const html = await res.text();
		expect(html).toContain("綁定連結已過期");
		expect(html).toContain("重新領取");
	});

	it("explains a link that was replaced by a newer one", async () => {
		const user = freshLineUser();
		const first = await requestLink(user, "trainee");
		await requestLink(user, "trainee");
		const res = await browserTab().get(first);
		expect(res.status).toBe(410);
		expect(await res.text()).toContain("已失效");
	});

	it("refuses a forged or altered link", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const res = await browserTab().get(`${path.slice(0, -3)}abc`);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("綁定連結無法使用");
		expect((await browserTab().get("/bind")).status).toBe(400);
	});

	it("tells a browser that keeps no cookies (private mode) what to do", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		await tab.get(path);
		tab.cookies.clear();
		const res = await tab.post("/bind/consent", { t: tokenOf(path), agree: "yes" });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain("無痕");
		expect(html).toContain("一般模式");
	});
});

describe("identity and contact", () => {
	it("requires the consent checkbox", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		await tab.get(path);
		const res = await tab.post("/bind/consent", { t: tokenOf(path) });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("請勾選");
	});

	it("names input errors per field (checksum, a day that does not exist) without counting a try", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		const t = tokenOf(path);
		await tab.get(path);
		await tab.post("/bind/consent", { t, agree: "yes" });
		const res = await tab.post("/bind/identity", {
			t,
			name: "王小明",
			nationalId: "A123456788",
			birthDate: "114/02/29",
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain("檢查碼");
		expect(html).toContain("沒有這一天");
		expect(html).toContain('value="王小明"');
		expect(html).not.toContain("A123456788");
		const request = await db
			.select()
			.from(bindingRequests)
			.where(eq(bindingRequests.lineUserId, (await requestOwner(t)) ?? ""))
			.get();
		expect(request?.failedAttempts).toBe(0);
	});

	it("says the data does not match without telling which field, and locks after five tries", async () => {
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		const t = tokenOf(path);
		await tab.get(path);
		await tab.post("/bind/consent", { t, agree: "yes" });
		const wrong = { t, name: example().name, nationalId: example().nationalId, birthDate: "1901-01-01" };
		for (let i = 1; i <= 4; i++) {
			const html = await (await tab.post("/bind/identity", wrong)).text();
			expect(html).toContain("與訓練單位名冊不符");
			expect(html).toContain(`還可以再試 ${5 - i} 次`);
			expect(html).not.toContain("出生日期不符");
		}
		const locked = await tab.post("/bind/identity", wrong);
		expect(locked.status).toBe(429);
		expect(await locked.text()).toContain("嘗試次數過多");
		expect((await tab.get(path)).status).toBe(429);
	});

	it("tells a person on the roster in another role that this role has no record", async () => {
		const path = await requestLink(freshLineUser(), "teacher");
		const tab = browserTab();
		const t = tokenOf(path);
		await tab.get(path);
		await tab.post("/bind/consent", { t, agree: "yes" });
		const res = await tab.post("/bind/identity", {
			t,
			name: example().name,
			nationalId: example().nationalId,
			birthDate: example().birthDate,
		});
		expect(res.status).toBe(403);
		expect(await res.text()).toContain("查無您的名冊資料");
	});

	it("counts a not-on-roster answer as a failed try, so a link cannot probe the roster", async () => {
		const path = await requestLink(freshLineUser(), "teacher");
		const tab = browserTab();
		const t = tokenOf(path);
		await tab.get(path);
		await tab.post("/bind/consent", { t, agree: "yes" });
		// Five real trainees, none a teacher: each answer costs a try like a mismatch would.
		const statuses: number[] = [];
		for (let n = 31; n < 36; n++) {
			const trainee = demoPerson("trainee", n, 0);
			const res = await tab.post("/bind/identity", {
				t,
				name: trainee.name,
				nationalId: trainee.nationalId,
				birthDate: trainee.birthDate,
			});
			statuses.push(res.status);
		}
		expect(statuses).toEqual([403, 403, 403, 403, 429]);
		const request = await db
			.select()
			.from(bindingRequests)
			.where(eq(bindingRequests.lineUserId, (await requestOwner(t)) ?? ""))
			.get();
		expect(request?.failedAttempts).toBe(5);
		const locked = await tab.get(path);
		expect(locked.status).toBe(429);
		expect(await locked.text()).toContain("嘗試次數過多");
	});

	it("refuses a phone that is not the roster's, and the cool-down before resending", async () => {
		await unbindExample();
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		const t = await throughIdentity(tab, path);
		const mismatch = await tab.post("/bind/contact", { t, channel: "sms", value: "0900-000-000" });
		expect(await mismatch.text()).toContain("與訓練單位名冊不符");
		const landline = await tab.post("/bind/contact", { t, channel: "sms", value: "02-2345-6789" });
		expect(await landline.text()).toContain("市話");
		expect((await tab.post("/bind/contact", { t, channel: "sms", value: example().phone })).status).toBe(303);
		const resend = await tab.post("/bind/resend", { t });
		expect(resend.status).toBe(400);
		expect(await resend.text()).toMatch(/請在 \d+ 秒後再重新寄送/);
	});

	it("counts wrong codes and then asks for a new one", async () => {
		await unbindExample();
		const path = await requestLink(freshLineUser(), "trainee");
		const tab = browserTab();
		const t = await throughIdentity(tab, path);
		await tab.post("/bind/contact", { t, channel: "email", value: example().email });
		const code = await latestCodeFor(example().email);
		const wrong = code === "000000" ? "111111" : "000000";
		for (let left = 4; left >= 1; left--) {
			expect(await (await tab.post("/bind/code", { t, code: wrong })).text()).toContain(
				`還可以再試 ${left} 次`,
			);
		}
		expect(await (await tab.post("/bind/code", { t, code: wrong })).text()).toContain("錯誤次數過多");
		// The right code no longer helps: the page is back at choosing how to get a new one.
		const after = await tab.post("/bind/code", { t, code });
		expect(after.status).toBe(303);
		expect(await (await tab.get(path)).text()).toContain("選擇認證方式");
	});
});

async function requestOwner(t: string): Promise<string | undefined> {
	const rows = await db.select().from(bindingRequests);
	const { verifyBindingToken } = await import("../../src/services/binding-token");
	const check = await verifyBindingToken(env.BINDING_TOKEN_KEY, t, Date.now());
	return rows.find((r) => check.ok && r.id === check.requestId)?.lineUserId;
}

describe("account link", () => {
	async function verifiedDialog(user: string, channel: "email" | "sms" = "email") {
		await unbindExample();
		const path = await requestLink(user, "trainee");
		const tab = browserTab();
		const t = await throughIdentity(tab, path);
		const address = channel === "email" ? example().email : example().phone;
		await tab.post("/bind/contact", { t, channel, value: address });
		const res = await tab.post("/bind/code", { t, code: await latestCodeFor(address) });
		return new URL(res.headers.get("location") ?? "");
	}
	const accountLinkEvent = async (userId: string, result: "ok" | "failed", nonce: string) => {
		const { signLineBody } = await import("../../src/line/signature");
		const body = JSON.stringify({
			destination: "Ubot",
			events: [
				{
					type: "accountLink",
					mode: "active",
					timestamp: Date.now(),
					webhookEventId: `01LINK${crypto.randomUUID().slice(0, 8)}`,
					deliveryContext: { isRedelivery: false },
					source: { type: "user", userId },
					...(result === "ok" ? { replyToken: `dev.${userId}.x${crypto.randomUUID().slice(0, 6)}` } : {}),
					link: { result, nonce },
				},
			],
		});
		return devFetch(
			new Request(`${ORIGIN}/webhook/line`, {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-line-signature": await signLineBody(env.LINE_CHANNEL_SECRET, body),
				},
				body,
			}),
		);
	};
	const boundRoles = async (userId: string) =>
		(await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, userId))).map((b) => b.role);

	it("binds nothing on result failed, and tells the user how to retry", async () => {
		const user = freshLineUser();
		const dialog = await verifiedDialog(user);
		await accountLinkEvent(user, "failed", dialog.searchParams.get("nonce") ?? "");
		expect(await boundRoles(user)).toEqual([]);
		expect(await textOfChat(user)).toContain("重新領取綁定連結");
	});

	it("binds nothing for an unknown nonce or another LINE user's nonce", async () => {
		const user = freshLineUser();
		const dialog = await verifiedDialog(user);
		const intruder = freshLineUser();
		await accountLinkEvent(intruder, "ok", dialog.searchParams.get("nonce") ?? "");
		await accountLinkEvent(user, "ok", "not-a-nonce-we-issued");
		expect(await boundRoles(intruder)).toEqual([]);
		expect(await boundRoles(user)).toEqual([]);
		// The rightful owner can still finish.
		await accountLinkEvent(user, "ok", dialog.searchParams.get("nonce") ?? "");
		expect(await boundRoles(user)).toEqual(["trainee"]);
	});

	it("uses a nonce once: the same accountLink again binds nothing more", async () => {
		const user = freshLineUser();
		const nonce = (await verifiedDialog(user)).searchParams.get("nonce") ?? "";
		await accountLinkEvent(user, "ok", nonce);
		const other = freshLineUser();
		await accountLinkEvent(user, "ok", nonce);
		expect(await boundRoles(user)).toEqual(["trainee"]);
		expect(await boundRoles(other)).toEqual([]);
	});

	it("moves a person's binding to a new LINE account, tells the old one, and audits it", async () => {
		const oldPhone = freshLineUser();
		await accountLinkEvent(oldPhone, "ok", (await verifiedDialog(oldPhone)).searchParams.get("nonce") ?? "");
		expect(await boundRoles(oldPhone)).toEqual(["trainee"]);

		const newPhone = freshLineUser();
		// By SMS: the e-mail address is still in its one-minute cool-down.
		const dialog = await verifiedDialog(newPhone, "sms");
		// verifiedDialog unbinds the example first; bind the old phone again to model the move.
		const person = await db.select().from(people).where(eq(people.email, example().email)).get();
		await db
			.insert(lineBindings)
			.values({ lineUserId: oldPhone, role: "trainee", personId: person?.id ?? -1, boundAt: 1 });
		await accountLinkEvent(newPhone, "ok", dialog.searchParams.get("nonce") ?? "");

		expect(await boundRoles(newPhone)).toEqual(["trainee"]);
		expect(await boundRoles(oldPhone)).toEqual([]);
		const told = await db
			.select()
			.from(outbox)
			.where(and(eq(outbox.recipient, oldPhone), eq(outbox.channel, "line_push")))
			.all();
		expect(JSON.stringify(told)).toContain("已綁定到另一個 LINE 帳號");
		expect((await chatOf(oldPhone)).menu.name).toBe("unbound");
		const audit = await db.select().from(auditLog).where(eq(auditLog.action, "line_binding.moved")).all();
		expect(audit.some((a) => a.after?.includes(newPhone) && a.before?.includes(oldPhone))).toBe(true);
	});
});

describe("account link: races, stale nonces and the wrong LINE account", () => {
	async function verifiedDialog(user: string) {
		await unbindExample();
		const path = await requestLink(user, "trainee");
		const tab = browserTab();
		const t = await throughIdentity(tab, path);
		await tab.post("/bind/contact", { t, channel: "email", value: example().email });
		const res = await tab.post("/bind/code", { t, code: await latestCodeFor(example().email) });
		return { path, dialog: new URL(res.headers.get("location") ?? "") };
	}
	const accountLinkEvent = (
		userId: string,
		nonce: string,
		o: { id?: string; redelivery?: boolean } = {},
	) => ({
		type: "accountLink",
		mode: "active",
		timestamp: Date.now(),
		webhookEventId: o.id ?? `01LINK${crypto.randomUUID().replace(/-/g, "").slice(0, 20).toUpperCase()}`,
		deliveryContext: { isRedelivery: o.redelivery ?? false },
		source: { type: "user", userId },
		replyToken: `dev.${userId}.x${crypto.randomUUID().slice(0, 6)}`,
		link: { result: "ok", nonce },
	});
	const deliver = async (...events: object[]) => {
		const { signLineBody } = await import("../../src/line/signature");
		const body = JSON.stringify({ destination: "Ubot", events });
		return devFetch(
			new Request(`${ORIGIN}/webhook/line`, {
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-line-signature": await signLineBody(env.LINE_CHANNEL_SECRET, body),
				},
				body,
			}),
		);
	};
	const countIn = (text: string, part: string) => text.split(part).length - 1;
	/** The JSON log lines written while `run` runs. */
	async function logsOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
		const lines: string[] = [];
		const spies = (["log", "warn", "error"] as const).map((level) =>
			vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line))),
		);
		await run();
		for (const spy of spies) spy.mockRestore();
		return lines.flatMap((line) => {
			try {
				return [JSON.parse(line) as Record<string, unknown>];
			} catch {
				return [];
			}
		});
	}
	const person = async () => db.select().from(people).where(eq(people.email, example().email)).get();

	it("binds once when LINE redelivers the event and a second event with the same nonce races it", async () => {
		const user = freshLineUser();
		const { dialog } = await verifiedDialog(user);
		const nonce = dialog.searchParams.get("nonce") ?? "";
		const first = accountLinkEvent(user, nonce);
		await Promise.all([
			deliver(first),
			deliver({ ...first, deliveryContext: { isRedelivery: true } }),
			deliver(accountLinkEvent(user, nonce)),
		]);
		const p = await person();
		const bindings = await db
			.select()
			.from(lineBindings)
			.where(eq(lineBindings.personId, p?.id ?? -1));
		expect(bindings.map((b) => [b.lineUserId, b.role])).toEqual([[user, "trainee"]]);
		const chat = await textOfChat(user);
		expect(countIn(chat, "已將LINE與Training LINE連動。")).toBe(1);
		expect(chat).not.toContain("連動未完成");
		const audit = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, "person"), eq(auditLog.entityId, String(p?.id))))
			.all();
		expect(audit.filter((a) => a.actorId === user)).toHaveLength(1);
	});

	it("refuses an expired nonce and logs why, without the nonce", async () => {
		const user = freshLineUser();
		const { dialog } = await verifiedDialog(user);
		const nonce = dialog.searchParams.get("nonce") ?? "";
		await db
			.update(bindingRequests)
			.set({ nonceExpiresAt: Date.now() - 1 })
			.where(eq(bindingRequests.nonce, nonce));
		const logs = await logsOf(() => deliver(accountLinkEvent(user, nonce)));
		expect(await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, user))).toEqual([]);
		expect(await textOfChat(user)).toContain("重新領取綁定連結");
		expect(logs).toContainEqual(
			expect.objectContaining({ event: "account_link_refused", reason: "expired_nonce" }),
		);
		expect(JSON.stringify(logs)).not.toContain(nonce);
	});

	it("refuses the nonce of an older link that a new one voided, and logs why", async () => {
		const user = freshLineUser();
		const { dialog } = await verifiedDialog(user);
		const nonce = dialog.searchParams.get("nonce") ?? "";
		await requestLink(user, "trainee");
		const logs = await logsOf(() => deliver(accountLinkEvent(user, nonce)));
		expect(await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, user))).toEqual([]);
		expect(await textOfChat(user)).toContain("重新領取綁定連結");
		expect(logs).toContainEqual(
			expect.objectContaining({ event: "account_link_refused", reason: "voided_request" }),
		);
		expect(JSON.stringify(logs)).not.toContain(nonce);
	});

	it("logs a refused nonce of another LINE user as account_link_refused", async () => {
		const user = freshLineUser();
		const { dialog } = await verifiedDialog(user);
		const nonce = dialog.searchParams.get("nonce") ?? "";
		const intruder = freshLineUser();
		const logs = await logsOf(() => deliver(accountLinkEvent(intruder, nonce)));
		expect(logs).toContainEqual(
			expect.objectContaining({ event: "account_link_refused", reason: "other_users_nonce" }),
		);
		expect(JSON.stringify(logs)).not.toContain(nonce);
	});

	it("fails like LINE when the link is opened in another LINE account, and says how to retry", async () => {
		const owner = freshLineUser();
		const { path, dialog } = await verifiedDialog(owner);
		expect(await (await browserTab().get(path)).text()).toContain("請用收到連結的 LINE 帳號開啟");

		const other = freshLineUser();
		const page = await allowInDialog(dialog, other);
		expect(page.status).toBe(403);
		expect(await page.text()).toContain("這個連結屬於其他 LINE 帳號");
		expect(await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, other))).toEqual([]);
		expect(await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, owner))).toEqual([]);
		// The other account's chat gets LINE's "failed" answer: get a new link in your own LINE.
		const told = await textOfChat(other);
		expect(told).toContain("連動未完成");
		expect(told).toContain("請在您自己的 LINE");
		expect(told).toContain("身分認證");

		// The link's own user, picked in /__dev, still completes it.
		const done = await allowInDialog(dialog, owner);
		expect(await done.text()).toContain("已完成連動");
		expect((await db.select().from(lineBindings).where(eq(lineBindings.lineUserId, owner))).length).toBe(1);
	});
});

describe("demo users", () => {
	it("the demo trainee is bound, so 綁定帳號 → 學員 says so", async () => {
		await sendAsUser(DEMO_LINE_USERS.trainee, { type: "postback", data: "a=bind&role=trainee" });
		expect(await textOfChat(DEMO_LINE_USERS.trainee)).toContain("已綁定學員身分");
	});
});
