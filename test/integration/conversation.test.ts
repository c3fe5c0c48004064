// What users see in the chat: every postback and keyword path, follow/unfollow, binding links,
// identity switching with its rich menu — through signed webhooks, LINE faked at fetch().
import {
	createExecutionContext,
	createScheduledController,
	env,
	waitOnExecutionContext,
} from "cloudflare:test";
import { and, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { bindingRequests, lineUsers, outbox } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import worker from "../../src/index";
import { CRONS } from "../../src/jobs/schedule";
import { verifyBindingToken } from "../../src/services/binding-token";
import { type FakeLine, installFakeLine, type Message, textOf } from "./fake-line";
import { lineEvent, sendEvents } from "./webhook-helpers";

const db = createDb(env.DB);
const { unbound, trainee, teacher, both } = DEMO_LINE_USERS;
let line: FakeLine;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
beforeEach(() => {
	line = installFakeLine();
	line.provisionMenus();
});
afterEach(() => line.restore());

/** Sends one event and returns the messages of the reply it got. */
async function answerTo(event: object): Promise<Message[]> {
	line.reset();
	await sendEvents(event);
	const replies = line.replies();
	expect(replies, "exactly one reply").toHaveLength(1);
	return replies[0]?.messages ?? [];
}
const postback = (userId: string, data: string) => answerTo(lineEvent.postback(userId, data));
const say = (userId: string, text: string) => answerTo(lineEvent.text(userId, text));
const actionsOf = (messages: Message[]) => messages.flatMap((m) => m.template?.actions ?? []);
async function cron(at: number) {
	const ctx = createExecutionContext();
	await worker.scheduled(
		createScheduledController({ cron: CRONS.everyFiveMinutes, scheduledTime: at }),
		env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
}
const freshUser = () => `U${crypto.randomUUID().replace(/-/g, "")}`;

describe("follow and unfollow", () => {
	it("welcomes a new friend and explains how to bind", async () => {
		const user = freshUser();
		const messages = await answerTo(lineEvent.follow(user));
		expect(textOf(messages)).toContain("身分認證");
		expect(textOf(messages)).toContain("綁定帳號");
		const row = await db.select().from(lineUsers).where(eq(lineUsers.userId, user)).get();
		expect(row?.followedAt).toBeTypeOf("number");
		expect(row?.blockedAt).toBeNull();
	});

	it("marks a user who blocks the account, sends nothing, and clears the mark when unblocked", async () => {
		const user = freshUser();
		await sendEvents(lineEvent.follow(user));
		line.reset();
		await sendEvents(lineEvent.unfollow(user));
		expect(line.calls).toHaveLength(0);
		expect((await db.select().from(lineUsers).where(eq(lineUsers.userId, user)).get())?.blockedAt).toBeTypeOf(
			"number",
		);
		await sendEvents(lineEvent.follow(user, true));
		expect((await db.select().from(lineUsers).where(eq(lineUsers.userId, user)).get())?.blockedAt).toBeNull();
	});

	it("welcomes back a bound user after unblocking and relinks their identity's menu", async () => {
		const messages = await answerTo(lineEvent.follow(teacher, true));
		expect(textOf(messages)).toContain("教師");
		expect(line.menuLinks()).toEqual([{ userId: teacher, richMenuId: "richmenu-teacher" }]);
	});
});

describe("身分認證 postbacks", () => {
	it("身分認證 offers 綁定帳號, 切換身分 and 常見問題", async () => {
		const messages = await postback(unbound, "a=identity");
		expect(actionsOf(messages).map((a) => a.label)).toEqual(["綁定帳號", "切換身分", "常見問題"]);
	});

	it("綁定帳號 asks which identity: 學員 or 教師", async () => {
		const messages = await postback(unbound, "a=bind");
		expect(actionsOf(messages).map((a) => a.label)).toEqual(["學員", "教師"]);
	});

	it("choosing 學員 gets LINE's link token and replies a one-time /bind link valid 10 minutes", async () => {
		const user = freshUser();
		const messages = await postback(user, "a=bind&role=trainee");
		expect(line.calls.some((c) => c.path === `/v2/bot/user/${user}/linkToken`)).toBe(true);
		const uri = actionsOf(messages).find((a) => a.uri)?.uri ?? "";
		expect(uri).toMatch(/^https:\/\/training-line\.test\/bind\?t=/);
		expect(textOf(messages)).toContain("10 分鐘");
		const token = new URL(uri).searchParams.get("t") ?? "";
		const check = await verifyBindingToken(env.BINDING_TOKEN_KEY, token, Date.now());
		expect(check.ok).toBe(true);
		const request = await db
			.select()
			.from(bindingRequests)
			.where(eq(bindingRequests.id, check.ok ? check.requestId : ""))
			.get();
		expect(request).toMatchObject({ lineUserId: user, role: "trainee", usedAt: null, voidedAt: null });
		expect(request?.linkToken).toMatch(/^link-token-/);
	});

	it("asking again voids the previous link", async () => {
		const user = freshUser();
		await postback(user, "a=bind&role=trainee");
		await postback(user, "a=bind&role=teacher");
		const open = await db
			.select()
			.from(bindingRequests)
			.where(and(eq(bindingRequests.lineUserId, user), isNull(bindingRequests.voidedAt)));
		expect(open.map((r) => r.role)).toEqual(["teacher"]);
	});

	it("tells a user already bound in that identity instead of sending a link", async () => {
		const messages = await postback(trainee, "a=bind&role=trainee");
		expect(textOf(messages)).toContain("已綁定學員身分");
		expect(line.calls.some((c) => c.path.endsWith("/linkToken"))).toBe(false);
	});

	it("says when LINE cannot give a link token right now", async () => {
		line.failing.push({ path: /\/linkToken$/, status: 503 });
		const user = freshUser();
		const messages = await postback(user, "a=bind&role=trainee");
		expect(textOf(messages)).toContain("暫時無法產生綁定連結");
		expect(await db.select().from(bindingRequests).where(eq(bindingRequests.lineUserId, user))).toHaveLength(
			0,
		);
	});
});

describe("切換身分", () => {
	it("asks a user with both identities which one, marking the current", async () => {
		await db.update(lineUsers).set({ activeRole: "trainee" }).where(eq(lineUsers.userId, both));
		const messages = await postback(both, "a=switch");
		expect(actionsOf(messages).map((a) => a.label)).toEqual(["學員（目前）", "教師"]);
	});

	it("switches the active identity and links that identity's rich menu on the server", async () => {
		const messages = await postback(both, "a=switch&role=teacher");
		expect(textOf(messages)).toContain("已切換為教師身分");
		expect((await db.select().from(lineUsers).where(eq(lineUsers.userId, both)).get())?.activeRole).toBe(
			"teacher",
		);
		expect(line.menuLinks()).toEqual([{ userId: both, richMenuId: "richmenu-teacher" }]);
		expect((await db.select().from(lineUsers).where(eq(lineUsers.userId, both)).get())?.richMenu).toBe(
			"teacher",
		);

		await postback(both, "a=switch&role=trainee");
		expect(line.menuLinks()).toEqual([{ userId: both, richMenuId: "richmenu-trainee" }]);
	});

	it("a retried menu link puts on the user's current menu, not the one queued before a later switch", async () => {
		// LINE refuses the teacher menu link for a while; the switch to trainee then links fine.
		line.failing.push({ path: /\/richmenu\/richmenu-teacher$/, status: 500 });
		await postback(both, "a=switch&role=teacher");
		const teacherRow = await db
			.select()
			.from(outbox)
			.where(
				and(eq(outbox.recipient, both), eq(outbox.channel, "line_rich_menu"), eq(outbox.status, "pending")),
			)
			.get();
		expect(teacherRow?.payload).toContain("teacher");
		line.failing.length = 0;
		await postback(both, "a=switch&role=trainee");
		expect(line.menuLinks()).toEqual([{ userId: both, richMenuId: "richmenu-trainee" }]);

		line.reset();
		await cron((teacherRow?.nextAttemptAt ?? 0) + 1);
		expect(line.menuLinks().filter((l) => l.userId === both)).toEqual([
			{ userId: both, richMenuId: "richmenu-trainee" },
		]);
		const user = await db.select().from(lineUsers).where(eq(lineUsers.userId, both)).get();
		expect(user).toMatchObject({ activeRole: "trainee", richMenu: "trainee" });
		expect(
			(
				await db
					.select()
					.from(outbox)
					.where(eq(outbox.id, teacherRow?.id ?? 0))
					.get()
			)?.status,
		).toBe("sent");
	});

	it("guides a user with one identity to bind the other", async () => {
		const messages = await postback(trainee, "a=switch");
		expect(textOf(messages)).toContain("只綁定了學員身分");
		expect(actionsOf(messages)[0]?.data).toBe("a=bind&role=teacher");
		const forged = await postback(trainee, "a=switch&role=teacher");
		expect(textOf(forged)).toContain("只綁定了學員身分");
		expect((await db.select().from(lineUsers).where(eq(lineUsers.userId, trainee)).get())?.activeRole).toBe(
			"trainee",
		);
		expect(line.menuLinks()).toHaveLength(0);
	});

	it("guides an unbound user to bind first", async () => {
		const messages = await postback(unbound, "a=switch");
		expect(textOf(messages)).toContain("請先完成身分綁定");
	});
});

describe("常見問題 and 客服", () => {
	it("lists the manual's FAQ topics and answers each", async () => {
		const menu = await postback(unbound, "a=faq");
		expect(textOf(menu)).toContain("無痕");
		const answer = await postback(unbound, "a=faq&topic=web-login");
		expect(textOf(answer)).toContain("使用LINE應用程式登入");
		const pc = await postback(unbound, "a=faq&topic=pc");
		expect(textOf(pc)).toContain("QR Code");
	});

	it("gives the hotline to everyone and the training unit's contact to bound users", async () => {
		expect(textOf(await postback(unbound, "a=support"))).toContain("0800-777-888");
		const bound = textOf(await postback(trainee, "a=support"));
		expect(bound).toContain("北區職業訓練示範中心");
		expect(bound).toContain("02-2345-6789");
	});

	it("answers an unknown or forged postback with a way back to the menu", async () => {
		expect(textOf(await postback(unbound, "a=drop&x=1"))).toContain("已失效");
		// No button ever carried a=menu; it is not an action (any more).
		expect(textOf(await postback(unbound, "a=menu"))).toContain("已失效");
	});
});

describe("keywords", () => {
	it.each([
		["請假", trainee, "我要請假"],
		["我要請假", unbound, "請先完成身分綁定"],
		["簽到", teacher, "https://liff.line.me/1650000000-teacher/scan"],
		["簽退", unbound, "請先完成身分綁定"],
		["綁定", unbound, "請選擇您要綁定的身分"],
		["客服", unbound, "0800-777-888"],
		["常見問題", unbound, "綁定常見問題"],
		["ＦＡＱ", unbound, "綁定常見問題"],
		["你好", unbound, "我可以協助"],
		["切換", both, "要切換成哪個身分"],
		["我要切換身分", unbound, "請先完成身分綁定"],
	])("%s (%s) → %s", async (text, userId, expected) => {
		const messages = await say(userId, text);
		expect(textOf(messages)).toContain(expected);
	});

	it("links into 學員專區 pages through the trainee LIFF app", async () => {
		const messages = await say(trainee, "請假");
		expect(actionsOf(messages).map((a) => a.uri)).toEqual([
			"https://liff.line.me/1650000000-trainee/leave/new",
			"https://liff.line.me/1650000000-trainee/leave",
		]);
	});

	it("answers stickers and images with the short menu", async () => {
		const event = {
			...lineEvent.text(unbound, "x"),
			message: { type: "sticker", id: "1", packageId: "1", stickerId: "1" },
		};
		expect(textOf(await answerTo(event))).toContain("我可以協助");
	});
});

describe("answers are recorded once", () => {
	it("keeps every answer in the outbox keyed by its event, marked sent when replied", async () => {
		const event = lineEvent.postback(unbound, "a=identity");
		await sendEvents(event);
		const row = await db
			.select()
			.from(outbox)
			.where(eq(outbox.dedupeKey, `answer:${event.webhookEventId}`))
			.get();
		expect(row?.status).toBe("sent");
	});
});
