// 帳號管理 and password links as admins and new staff use them: the agency creates an account, the
// first-password link arrives by e-mail (the development inbox), is used once, and the person signs
// in; links that are reused, replaced, expired or forged are refused; a unit admin manages only their
// unit; unit staff have no access; disabling signs the person out; 忘記密碼 answers the same for any
// address and limits its sends per Taipei day.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { and, asc, count, eq, gt } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { insertIgnoringStatements, runInBatches } from "../../src/db/batch";
import { createDb } from "../../src/db/client";
import { auditLog, outbox, staff, staffPasswordTokens, units } from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import worker from "../../src/index";
import {
	hashLinkToken,
	RESET_LINKS_PER_DAY,
	requestPasswordReset,
} from "../../src/services/staff-password-link";
import { signedIn, tab } from "./admin-helpers";
import { devEnv, devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
type Tab = ReturnType<typeof tab>;

let northId: number;
let southId: number;

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
	const all = await db.select().from(units);
	northId = all.find((u) => u.code === "DEMO-N")?.id ?? 0;
	southId = all.find((u) => u.code === "DEMO-S")?.id ?? 0;
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const NEW_PASSWORD = "Morning-Coffee-2026";

/** The newest e-mail the development inbox holds for this address. */
async function newestMail(address: string): Promise<string> {
	const res = await devFetch(new Request(`${ORIGIN}/__dev/api/inbox`));
	const { messages } = (await res.json()) as { messages: { to: string; text: string }[] };
	return messages.find((m) => m.to === address)?.text ?? "";
}

/** The password link (path and query) of the newest e-mail to this address. */
async function mailedLink(address: string): Promise<string> {
	const text = await newestMail(address);
	const url = /https:\/\/\S+\/admin\/password\/set\?token=[\w-]+/.exec(text)?.[0];
	if (!url) throw new Error(`no password link mailed to ${address}: ${text}`);
	expect(url.startsWith(`${ORIGIN}/admin/password/set?token=`)).toBe(true);
	return url.slice(ORIGIN.length);
}

const tokenOf = (link: string) => new URL(link, ORIGIN).searchParams.get("token") ?? "";

const accountOf = (email: string) => db.select().from(staff).where(eq(staff.email, email)).get();

async function auditsOf(staffId: number) {
	return db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.entityType, "staff"), eq(auditLog.entityId, String(staffId))))
		.orderBy(asc(auditLog.id));
}

/** Creates an account through the new-account form; answers the created account's id. */
async function create(admin: Tab, form: Record<string, string>): Promise<number> {
	const res = await admin.post("/admin/staff", form);
	expect(res.status).toBe(303);
	const location = res.headers.get("location") ?? "";
	expect(location).toMatch(/^\/admin\/staff\/\d+\?created=1$/);
	return Number(/\/admin\/staff\/(\d+)/.exec(location)?.[1]);
}

/** Sets the password through the link and answers the signed-in tab of the new account. */
async function setPasswordAndSignIn(email: string, link: string): Promise<Tab> {
	const t = tab();
	const set = await t.post("/admin/password/set", {
		token: tokenOf(link),
		password: NEW_PASSWORD,
		confirm: NEW_PASSWORD,
	});
	expect(set.status).toBe(303);
	const login = await t.post("/admin/login", { email, password: NEW_PASSWORD });
	expect(login.status).toBe(303);
	return t;
}

describe("a new account's first password", () => {
	it("is set through the e-mailed link, after which the person signs in", async () => {
		const agency = await signedIn("admin@agency.example");
		const form = await agency.get("/admin/staff/new");
		expect(form.status).toBe(200);
		const formHtml = await form.text();
		expect(formHtml).toContain('value="agency_admin"');
		expect(formHtml).toContain("南區職能發展示範學院");

		const id = await create(agency, {
			name: "北區新管理者",
			email: " New.Admin@Unit.Example ",
			role: "unit_admin",
			unitId: String(northId),
		});
		const row = await accountOf("new.admin@unit.example");
		expect(row).toMatchObject({ id, role: "unit_admin", unitId: northId, passwordHash: null });

		const detail = await agency.get(`/admin/staff/${id}?created=1`);
		const detailHtml = await detail.text();
		expect(detailHtml).toContain("已建立帳號，並寄出設定密碼連結至 new.admin@unit.example");
		expect(detailHtml).toContain("待設定密碼");
		expect(detailHtml).toContain("訓練單位管理者");
		// Development says where the emulated e-mail is; the link itself is never on the admin's page.
		expect(detailHtml).toContain("簡訊／郵件收件匣");
		expect(detailHtml).not.toContain("token=");

		const mail = await newestMail("new.admin@unit.example");
		expect(mail).toContain("Training LINE 管理後台：設定您的密碼");
		expect(mail).toContain("北區新管理者 您好");
		expect(mail).toContain("（台北時間）前開啟下列連結");
		const link = await mailedLink("new.admin@unit.example");
		const token = tokenOf(link);
		// D1 keeps only the token's hash, and the sent e-mail no longer carries the link.
		const tokens = await db.select().from(staffPasswordTokens).where(eq(staffPasswordTokens.staffId, id));
		expect(tokens.map((t) => t.tokenHash)).toEqual([await hashLinkToken(token)]);
		expect(tokens[0]?.expiresAt).toBeGreaterThan(Date.now() + 71 * 3_600_000);
		const queued = await db.select().from(outbox).where(eq(outbox.recipient, "new.admin@unit.example"));
		expect(queued.map((q) => [q.channel, q.status])).toEqual([["email", "sent"]]);
		expect(queued[0]?.payload).not.toContain(token);

		// No password yet: no sign-in.
		const early = await tab().post("/admin/login", {
			email: "new.admin@unit.example",
			password: NEW_PASSWORD,
		});
		expect(early.status).toBe(401);

		const t = tab();
		const page = await t.get(link);
		expect(page.status).toBe(200);
		expect(page.headers.get("cache-control")).toBe("no-store");
		const pageHtml = await page.text();
		expect(pageHtml).toContain("設定密碼");
		expect(pageHtml).toContain("new.admin@unit.example");

		const refusals: [Record<string, string>, string][] = [
			[{ password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` }, "兩次輸入的密碼不一樣"],
			[{ password: "short-pw", confirm: "short-pw" }, "密碼至少要 10 個字元"],
			[{ password: "NEW.admin@unit.example", confirm: "NEW.admin@unit.example" }, "密碼不能與電子郵件相同"],
		];
		for (const [fields, message] of refusals) {
			const res = await t.post("/admin/password/set", { token, ...fields });
			expect(res.status).toBe(400);
			expect(await res.text()).toContain(message);
		}
		expect((await accountOf("new.admin@unit.example"))?.passwordHash).toBeNull();

		const set = await t.post("/admin/password/set", { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
		expect(set.status).toBe(303);
		expect(set.headers.get("location")).toBe("/admin/login?password=set");
		expect(await (await t.get("/admin/login?password=set")).text()).toContain("密碼已設定，請用新密碼登入。");
		const login = await t.post("/admin/login", { email: "new.admin@unit.example", password: NEW_PASSWORD });
		expect(login.status).toBe(303);
		const home = await t.get("/admin");
		expect(home.status).toBe(200);
		expect(await home.text()).toContain("北區新管理者");

		// The link is used up.
		const again = await tab().get(link);
		expect(again.status).toBe(410);
		expect(await again.text()).toContain("這個連結已經用來設定過密碼");
		const reused = await tab().post("/admin/password/set", {
			token,
			password: "Another-Pass-99",
			confirm: "Another-Pass-99",
		});
		expect(reused.status).toBe(410);
		const list = await (await agency.get("/admin/staff?q=new.admin")).text();
		expect(list).toContain("北區新管理者");
		expect(list).toContain(">啟用<");

		const audits = await auditsOf(id);
		expect(audits.map((a) => [a.action, a.actorId, a.unitId])).toEqual([
			["staff.created", String((await accountOf("admin@agency.example"))?.id), northId],
			["staff.password_link_sent", String((await accountOf("admin@agency.example"))?.id), northId],
			["staff.password_set", String(id), northId],
		]);
		expect(JSON.parse(audits[0]?.after ?? "{}")).toMatchObject({
			email: "new.admin@unit.example",
			role: "unit_admin",
		});
		// The audit log never holds the password or the link.
		for (const a of audits)
			expect(`${a.before}${a.after}`).not.toMatch(new RegExp(`${NEW_PASSWORD}|${token}`));
	});

	it("refuses a link replaced by a newer one, an expired link and a forged one", async () => {
		const agency = await signedIn("admin@agency.example");
		const id = await create(agency, {
			name: "南區承辦人二",
			email: "south.clerk2@unit.example",
			role: "unit_staff",
			unitId: String(southId),
		});
		const first = await mailedLink("south.clerk2@unit.example");
		const resend = await agency.post(`/admin/staff/${id}/password-link`, {});
		expect(resend.headers.get("location")).toBe(`/admin/staff/${id}?sent=1`);
		expect(await (await agency.get(`/admin/staff/${id}?sent=1`)).text()).toContain(
			"已寄出設定密碼連結至 south.clerk2@unit.example",
		);
		const second = await mailedLink("south.clerk2@unit.example");
		expect(second).not.toBe(first);

		const replaced = await tab().get(first);
		expect(replaced.status).toBe(410);
		expect(await replaced.text()).toContain("已寄出更新的連結而失效");
		expect((await tab().get(second)).status).toBe(200);

		await db
			.update(staffPasswordTokens)
			.set({ expiresAt: Date.now() - 1 })
			.where(eq(staffPasswordTokens.tokenHash, await hashLinkToken(tokenOf(second))));
		const expired = await tab().get(second);
		expect(expired.status).toBe(410);
		expect(await expired.text()).toContain("這個連結已過期");
		const late = await tab().post("/admin/password/set", {
			token: tokenOf(second),
			password: NEW_PASSWORD,
			confirm: NEW_PASSWORD,
		});
		expect(late.status).toBe(410);

		// A well-formed token nobody issued, a mangled one, none at all.
		const forged = "A".repeat(43);
		for (const path of [
			`/admin/password/set?token=${forged}`,
			"/admin/password/set?token=abc",
			"/admin/password/set",
		]) {
			const res = await tab().get(path);
			expect(res.status).toBe(400);
			expect(await res.text()).toContain("這個連結不正確");
		}
		const forgedPost = await tab().post("/admin/password/set", {
			token: forged,
			password: NEW_PASSWORD,
			confirm: NEW_PASSWORD,
		});
		expect(forgedPost.status).toBe(400);
		expect((await accountOf("south.clerk2@unit.example"))?.passwordHash).toBeNull();
		// The password form posted from another site is refused before anything is read.
		const crossSite = await tab().post(
			"/admin/password/set",
			{ token: forged, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
			"https://evil.example",
		);
		expect(crossSite.status).toBe(403);
	});
});

describe("a unit admin", () => {
	it("sees only their own unit's accounts, whatever the filter says", async () => {
		const north = await signedIn("north.admin@unit.example");
		const res = await north.get(`/admin/staff?unit=${southId}`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("north.clerk@unit.example");
		expect(html).toContain("north.admin@unit.example");
		expect(html).not.toContain("south.admin@unit.example");
		expect(html).not.toContain("admin@agency.example");
		// No unit filter for a unit admin.
		expect(html).not.toContain('name="unit"');
		const southAdmin = await accountOf("south.admin@unit.example");
		const other = await north.get(`/admin/staff/${southAdmin?.id}`);
		expect(other.status).toBe(404);
		expect(await other.text()).not.toContain("south.admin@unit.example");
	});

	it("cannot create an agency admin or an account of another unit, and creates their unit's", async () => {
		const north = await signedIn("north.admin@unit.example");
		const form = await (await north.get("/admin/staff/new")).text();
		expect(form).not.toContain('value="agency_admin"');
		expect(form).not.toContain('name="unitId"');

		const agencyAdmin = await north.post("/admin/staff", {
			name: "冒充署本部",
			email: "fake.agency@unit.example",
			role: "agency_admin",
		});
		expect(agencyAdmin.status).toBe(403);
		expect(await agencyAdmin.text()).toContain("您不能建立這種角色的帳號");
		const otherUnit = await north.post("/admin/staff", {
			name: "南區人員",
			email: "south.person@unit.example",
			role: "unit_staff",
			unitId: String(southId),
		});
		expect(otherUnit.status).toBe(403);
		expect(await otherUnit.text()).toContain("您只能建立本單位的帳號");
		for (const email of ["fake.agency@unit.example", "south.person@unit.example"])
			expect(await accountOf(email)).toBeUndefined();

		const duplicate = await north.post("/admin/staff", {
			name: "重複",
			email: "NORTH.clerk@unit.example",
			role: "unit_staff",
		});
		expect(duplicate.status).toBe(409);
		expect(await duplicate.text()).toContain("這個電子郵件已有帳號");
		const badEmail = await north.post("/admin/staff", {
			name: "格式錯",
			email: "not-an-email",
			role: "unit_staff",
		});
		expect(badEmail.status).toBe(400);
		expect(await badEmail.text()).toContain("電子郵件格式不正確");

		// Names render escaped.
		const id = await create(north, {
			name: '<script>alert("x")</script>',
			email: "north.helper@unit.example",
			role: "unit_staff",
		});
		expect(await accountOf("north.helper@unit.example")).toMatchObject({
			id,
			unitId: northId,
			role: "unit_staff",
		});
		const list = await (await north.get("/admin/staff")).text();
		expect(list).toContain("&lt;script&gt;");
		expect(list).not.toContain('<script>alert("x")');
	});
});

describe("unit staff", () => {
	it("have no 帳號管理: not in the menu, and every page and action is refused", async () => {
		const clerk = await signedIn("north.clerk@unit.example");
		const north = await signedIn("north.admin@unit.example");
		expect(await (await clerk.get("/admin")).text()).not.toContain('href="/admin/staff"');
		expect(await (await north.get("/admin")).text()).toContain('href="/admin/staff"');

		const clerkRow = await accountOf("north.clerk@unit.example");
		const before = await db.select({ n: count() }).from(staff).get();
		const tries = [
			clerk.get("/admin/staff"),
			clerk.get("/admin/staff/new"),
			clerk.get(`/admin/staff/${clerkRow?.id}`),
			clerk.post("/admin/staff", { name: "自建", email: "self.made@unit.example", role: "unit_admin" }),
			clerk.post(`/admin/staff/${clerkRow?.id}/password-link`, {}),
			clerk.post(`/admin/staff/${clerkRow?.id}/disable`, {}),
		];
		for (const res of await Promise.all(tries)) {
			expect(res.status).toBe(403);
			expect(await res.text()).toContain("帳號管理只開放給單位管理者與勞發署管理者");
		}
		expect(await db.select({ n: count() }).from(staff).get()).toEqual(before);
	});
});

describe("disabling an account", () => {
	it("signs the person out at once, keeps them out, and enabling lets them back in", async () => {
		const north = await signedIn("north.admin@unit.example");
		const id = await create(north, {
			name: "北區短期人員",
			email: "north.temp@unit.example",
			role: "unit_staff",
		});
		const person = await setPasswordAndSignIn(
			"north.temp@unit.example",
			await mailedLink("north.temp@unit.example"),
		);
		expect((await person.get("/admin")).status).toBe(200);
		const versionBefore = (await accountOf("north.temp@unit.example"))?.sessionVersion ?? 0;
		// A reset link sent before the account is disabled stops working with it.
		await north.post(`/admin/staff/${id}/password-link`, {});
		const pending = await mailedLink("north.temp@unit.example");

		const off = await north.post(`/admin/staff/${id}/disable`, {});
		expect(off.headers.get("location")).toBe(`/admin/staff/${id}?done=disabled`);
		const detail = await (await north.get(`/admin/staff/${id}?done=disabled`)).text();
		expect(detail).toContain("已停用這個帳號，對方已被登出");
		expect(detail).toContain("已停用");
		expect(detail).toContain("重新啟用帳號");

		const out = await person.get("/admin");
		expect(out.status).toBe(303);
		expect(out.headers.get("location")).toContain("/admin/login");
		expect(
			(await tab().post("/admin/login", { email: "north.temp@unit.example", password: NEW_PASSWORD })).status,
		).toBe(401);
		expect((await accountOf("north.temp@unit.example"))?.sessionVersion).toBe(versionBefore + 1);
		expect((await tab().get(pending)).status).toBe(410);
		const noLink = await north.post(`/admin/staff/${id}/password-link`, {});
		expect(noLink.headers.get("location")).toBe(`/admin/staff/${id}?error=disabled`);
		expect(await (await north.get("/admin/staff?q=north.temp")).text()).toContain(">已停用<");

		const on = await north.post(`/admin/staff/${id}/enable`, {});
		expect(on.headers.get("location")).toBe(`/admin/staff/${id}?done=enabled`);
		expect(
			(await tab().post("/admin/login", { email: "north.temp@unit.example", password: NEW_PASSWORD })).status,
		).toBe(303);
		const actions = (await auditsOf(id)).map((a) => a.action);
		expect(actions.slice(-2)).toEqual(["staff.disabled", "staff.enabled"]);
		expect(actions.filter((a) => a === "staff.disabled")).toHaveLength(1);
	});

	it("is refused for one's own account", async () => {
		const north = await signedIn("north.admin@unit.example");
		const me = await accountOf("north.admin@unit.example");
		const res = await north.post(`/admin/staff/${me?.id}/disable`, {});
		expect(res.headers.get("location")).toBe(`/admin/staff/${me?.id}?error=self`);
		expect(await (await north.get(`/admin/staff/${me?.id}?error=self`)).text()).toContain(
			"不能停用或啟用自己的帳號",
		);
		expect((await accountOf("north.admin@unit.example"))?.disabledAt).toBeNull();
		expect((await north.get("/admin")).status).toBe(200);
		expect(await (await north.get(`/admin/staff/${me?.id}`)).text()).not.toContain("停用帳號</button>");
	});
});

describe("忘記密碼", () => {
	it("sends a reset link to an existing account only, with the same answer for any address", async () => {
		const login = await (await tab().get("/admin/login")).text();
		expect(login).toContain('href="/admin/password/forgot"');
		expect(login).toContain("忘記密碼？");
		expect((await tab().get("/admin/password/forgot")).status).toBe(200);

		const agency = await signedIn("admin@agency.example");
		const id = await create(agency, {
			name: "忘記密碼的人",
			email: "forgetful@unit.example",
			role: "unit_staff",
			unitId: String(northId),
		});
		const person = await setPasswordAndSignIn(
			"forgetful@unit.example",
			await mailedLink("forgetful@unit.example"),
		);
		// The first-password link was just sent: within the cool-down, a reset request sends nothing.
		const soon = await tab().post("/admin/password/forgot", { email: "forgetful@unit.example" });
		const unknown = await tab().post("/admin/password/forgot", { email: "nobody@unit.example" });
		const sameAnswer = "如果這個電子郵件有管理後台帳號，我們已寄出重新設定密碼的連結";
		for (const res of [soon, unknown]) {
			expect(res.status).toBe(200);
			expect(await res.text()).toContain(sameAnswer);
		}
		expect(await db.select().from(outbox).where(eq(outbox.recipient, "nobody@unit.example"))).toEqual([]);
		expect(
			(await db.select().from(staffPasswordTokens).where(eq(staffPasswordTokens.staffId, id))).length,
		).toBe(1);

		// Later, and with the account locked by wrong passwords.
		await db
			.update(staffPasswordTokens)
			.set({ createdAt: Date.now() - 10 * 60_000 })
			.where(eq(staffPasswordTokens.staffId, id));
		for (let i = 0; i < 5; i++)
			await tab().post("/admin/login", { email: "forgetful@unit.example", password: `wrong-${i}` });
		expect((await accountOf("forgetful@unit.example"))?.lockedUntil).toBeGreaterThan(Date.now());
		const asked = await tab().post("/admin/password/forgot", { email: " Forgetful@Unit.Example" });
		expect(asked.status).toBe(200);
		expect(await asked.text()).toContain(sameAnswer);
		const mail = await newestMail("forgetful@unit.example");
		expect(mail).toContain("重新設定密碼");
		const link = await mailedLink("forgetful@unit.example");
		const reset = (
			await db.select().from(staffPasswordTokens).where(eq(staffPasswordTokens.staffId, id))
		).find((t) => t.usedAt === null);
		// A reset link is short-lived.
		expect((reset?.expiresAt ?? 0) - Date.now()).toBeLessThanOrEqual(60 * 60_000);
		expect((reset?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(55 * 60_000);

		const t = tab();
		expect(await (await t.get(link)).text()).toContain("重新設定密碼");
		const newPassword = "Evening-Tea-2026";
		const set = await t.post("/admin/password/set", {
			token: tokenOf(link),
			password: newPassword,
			confirm: newPassword,
		});
		expect(set.status).toBe(303);
		// The lockout is cleared, the old password is gone, and the other browser was signed out.
		expect((await accountOf("forgetful@unit.example"))?.lockedUntil).toBeNull();
		expect(
			(await tab().post("/admin/login", { email: "forgetful@unit.example", password: NEW_PASSWORD })).status,
		).toBe(401);
		expect(
			(await tab().post("/admin/login", { email: "forgetful@unit.example", password: newPassword })).status,
		).toBe(303);
		expect((await person.get("/admin")).status).toBe(303);

		const audits = await auditsOf(id);
		const requested = audits.find((a) => a.action === "staff.password_reset_requested");
		expect(requested).toMatchObject({ actorType: "system", actorId: null, unitId: northId });
		expect(audits.at(-1)).toMatchObject({ action: "staff.password_reset", actorId: String(id) });
	});

	it("answers before it looks the address up (its timing tells nothing) and sends the link after", async () => {
		const account = await db
			.insert(staff)
			.values({
				email: "answer.first@unit.example",
				name: "先回答",
				role: "unit_staff",
				unitId: northId,
				passwordHash: "pbkdf2-sha256$1$AA==$AA==",
				createdAt: Date.now(),
				updatedAt: Date.now(),
			})
			.returning()
			.get();
		const links = () =>
			db.select().from(staffPasswordTokens).where(eq(staffPasswordTokens.staffId, account.id));
		const ctx = createExecutionContext();
		const res = await worker.fetch(
			new Request(`${ORIGIN}/admin/password/forgot`, {
				method: "POST",
				headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({ email: "answer.first@unit.example" }).toString(),
			}),
			devEnv,
			ctx,
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("如果這個電子郵件有管理後台帳號");
		// An existing account's answer did not wait for its link to be written...
		expect(await links()).toEqual([]);
		await waitOnExecutionContext(ctx);
		// ...which is still written and mailed once the answer is out.
		expect(await links()).toHaveLength(1);
		expect(await newestMail("answer.first@unit.example")).toContain("重新設定密碼");
	});

	it("sends at most five links per account and Taipei day, the day starting at 00:00 Taipei (16:00 UTC)", async () => {
		const account = await db
			.insert(staff)
			.values({
				email: "daily.limit@unit.example",
				name: "每日上限",
				role: "unit_staff",
				unitId: northId,
				createdAt: Date.now(),
				updatedAt: Date.now(),
			})
			.returning()
			.get();
		// 01:00 on 2 March in Taipei is still 1 March in UTC.
		const now = Date.UTC(2026, 2, 1, 17, 0);
		const deps = { db, now, publicBaseUrl: ORIGIN };
		const tokens = (at: number, n: number) =>
			Array.from({ length: n }, (_, i) => ({
				tokenHash: `limit-${at}-${i}`,
				staffId: account.id,
				expiresAt: at + 1,
				createdAt: at,
			}));
		// Five links at 23:30 Taipei the day before (same UTC day): today's count is still zero.
		await db.insert(staffPasswordTokens).values(tokens(Date.UTC(2026, 2, 1, 15, 30), RESET_LINKS_PER_DAY));
		expect(await requestPasswordReset(deps, "daily.limit@unit.example")).not.toBeNull();
		// Four more since 00:00 Taipei (one more is the link just sent): the fifth of the day was the last.
		await db.insert(staffPasswordTokens).values(tokens(Date.UTC(2026, 2, 1, 16, 0), RESET_LINKS_PER_DAY - 1));
		const later = { ...deps, now: now + 10 * 60_000 };
		expect(await requestPasswordReset(later, "daily.limit@unit.example")).toBeNull();
		const today = await db
			.select({ n: count() })
			.from(staffPasswordTokens)
			.where(
				and(
					eq(staffPasswordTokens.staffId, account.id),
					gt(staffPasswordTokens.createdAt, Date.UTC(2026, 2, 1, 15, 59)),
				),
			)
			.get();
		expect(today?.n).toBe(RESET_LINKS_PER_DAY);
	});
});

describe("帳號管理 list", () => {
	it("shows the last sign-in as a Taipei date and time, and pages of 50 with the agency's unit filter", async () => {
		// 23:30 UTC on 1 March is 07:30 on 2 March in Taipei.
		const lastLoginAt = Date.UTC(2026, 2, 1, 23, 30);
		const now = Date.now();
		const bulk = Array.from({ length: 55 }, (_, i) => ({
			email: `bulk${String(i).padStart(2, "0")}@south.example`,
			name: `南區批次${String(i).padStart(2, "0")}`,
			role: "unit_staff" as const,
			unitId: southId,
			passwordHash: "pbkdf2-sha256$1$AA==$AA==",
			lastLoginAt,
			createdAt: now,
			updatedAt: now,
		}));
		// D1 binds at most 100 parameters per statement.
		await runInBatches(db, insertIgnoringStatements(db, staff, bulk));
		const agency = await signedIn("admin@agency.example");
		const first = await (await agency.get(`/admin/staff?unit=${southId}&q=bulk`)).text();
		expect(first).toContain("共 55 個帳號，第 1 / 2 頁");
		expect(first).toContain("115/03/02 07:30");
		expect(first).not.toContain("115/03/01 23:30");
		expect(first).toContain("南區職能發展示範學院");
		expect(first).not.toContain("north.clerk@unit.example");
		const second = await (await agency.get(`/admin/staff?unit=${southId}&q=bulk&page=2`)).text();
		expect(second).toContain("第 2 / 2 頁");
		expect(second).toContain("bulk54@south.example");
		expect(second).not.toContain("bulk00@south.example");

		const agencyOnly = await (await agency.get("/admin/staff?unit=agency")).text();
		expect(agencyOnly).toContain("admin@agency.example");
		expect(agencyOnly).not.toContain("south.admin@unit.example");
		const id = (await accountOf("bulk00@south.example"))?.id;
		const detail = await (await agency.get(`/admin/staff/${id}`)).text();
		expect(detail).toContain("115/03/02 07:30");
		expect(detail).toContain("寄送重設密碼連結");
		// A search that means "%" literally finds nothing rather than everyone.
		expect(await (await agency.get("/admin/staff?q=%25")).text()).toContain("找不到符合「%」的帳號");
	});
});
