// The dashboard as a clerk uses it: sign-in (lockout, tampered or idle cookies), 今日, 請假審核
// with a bulk approval, proof files, and every page refusing another unit's data.
import { env } from "cloudflare:test";
import { and, asc, eq, gt } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import {
	classes,
	enrollments,
	leaveRequestSessions,
	leaveRequests,
	sessions,
	staff,
	units,
} from "../../src/db/schema";
import { DEMO_PASSWORD, seedDemoData } from "../../src/demo/seed";
import { taipeiDate } from "../../src/domain/taipei-time";
import { hashPassword } from "../../src/services/password";
import { LOCKOUT_MS, mintStaffSession } from "../../src/services/staff-auth";
import { signedIn, tab } from "./admin-helpers";
import { devFetch, ORIGIN, routeLineToEmulator } from "./dev-server";
import { insertFixtureSession } from "./fixtures";

const db = createDb(env.DB);

beforeAll(async () => {
	await seedDemoData(db, { now: Date.now(), piiKey: env.PII_HMAC_KEY });
});
// Trainees' LINE notices go to the emulator, never out of the machine.
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

describe("signing in", () => {
	it("lets a clerk in with the right password and keeps others out", async () => {
		const anonymous = await tab().get("/admin");
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get("location")).toBe("/admin/login?next=%2Fadmin");

		const t = tab();
		const wrong = await t.post("/admin/login", { email: "north.clerk@unit.example", password: "nope" });
		expect(wrong.status).toBe(401);
		expect(await wrong.text()).toContain("電子郵件或密碼不正確");
		const ok = await t.post("/admin/login", {
			email: "NORTH.clerk@unit.example ",
			password: DEMO_PASSWORD,
			next: "/admin/leave",
		});
		expect(ok.headers.get("location")).toBe("/admin/leave");
		const cookie = ok.headers.get("set-cookie") ?? "";
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\/admin/);
		const home = await t.get("/admin");
		expect(home.status).toBe(200);
		expect(await home.text()).toContain("北區承辦人");
	});

	it("never redirects off the dashboard after sign-in", async () => {
		const res = await tab().post("/admin/login", {
			email: "north.clerk@unit.example",
			password: DEMO_PASSWORD,
			next: "//evil.example/admin",
		});
		expect(res.headers.get("location")).toBe("/admin");
	});

	it("locks an account for 15 minutes after five wrong passwords, even with the right one", async () => {
		const t = tab();
		for (let i = 0; i < 5; i++)
			await t.post("/admin/login", { email: "south.admin@unit.example", password: `wrong-${i}` });
		const locked = await t.post("/admin/login", {
			email: "south.admin@unit.example",
			password: DEMO_PASSWORD,
		});
		expect(locked.status).toBe(401);
		expect(await locked.text()).toContain("暫停登入 15 分鐘");
		const row = await db.select().from(staff).where(eq(staff.email, "south.admin@unit.example")).get();
		expect((row?.lockedUntil ?? 0) - Date.now()).toBeGreaterThan(LOCKOUT_MS - 60_000);
		await db
			.update(staff)
			.set({ lockedUntil: null, failedLogins: 0 })
			.where(eq(staff.id, row?.id ?? 0));
	});

	it("refuses a form posted from another site, a forged cookie, and a session idle for 30 minutes", async () => {
		const crossSite = await tab().post(
			"/admin/login",
			{ email: "north.clerk@unit.example", password: DEMO_PASSWORD },
			"https://evil.example",
		);
		expect(crossSite.status).toBe(403);
		// Not only forms: a JSON post on a signed-in cookie without this site's Origin is refused too.
		const signed = await signedIn("north.clerk@unit.example");
		for (const origin of [undefined, "https://evil.example"]) {
			const headers = new Headers({ "content-type": "application/json" });
			if (origin) headers.set("origin", origin);
			const json = await signed.send("/admin/leave/review", { method: "POST", headers, body: "{}" });
			expect(json.status).toBe(403);
		}
		// A browser says cross-site in Sec-Fetch-Site, whatever Origin claims.
		const crossSiteJson = await signed.send("/admin/leave/review", {
			method: "POST",
			headers: { "content-type": "application/json", origin: ORIGIN, "sec-fetch-site": "cross-site" },
			body: "{}",
		});
		expect(crossSiteJson.status).toBe(403);
		// Our own pages post with Origin "null" (Referrer-Policy no-referrer) and Sec-Fetch-Site same-origin.
		const own = await tab().post(
			"/admin/login",
			{ email: "north.clerk@unit.example", password: DEMO_PASSWORD },
			"null",
		);
		expect(own.status).toBe(403);
		const browser = await devFetch(
			new Request(`${ORIGIN}/admin/login`, {
				method: "POST",
				headers: {
					"content-type": "application/x-www-form-urlencoded",
					origin: "null",
					"sec-fetch-site": "same-origin",
				},
				body: new URLSearchParams({ email: "north.clerk@unit.example", password: DEMO_PASSWORD }).toString(),
				redirect: "manual",
			}),
		);
		expect(browser.status).toBe(303);
		const clerk = await db.select().from(staff).where(eq(staff.email, "north.clerk@unit.example")).get();
		const forged = await mintStaffSession("not-the-key", {
			staffId: clerk?.id ?? 0,
			version: 1,
			startedAt: Date.now(),
			activeAt: Date.now(),
		});
		const idle = await mintStaffSession(env.SESSION_COOKIE_KEY, {
			staffId: clerk?.id ?? 0,
			version: clerk?.sessionVersion ?? 1,
			startedAt: Date.now() - 3_600_000,
			activeAt: Date.now() - 30 * 60_000,
		});
		for (const token of [forged, idle]) {
			const res = await devFetch(
				new Request(`${ORIGIN}/admin`, { headers: { cookie: `tl_admin=${token}` }, redirect: "manual" }),
			);
			expect(res.status).toBe(303);
		}
	});

	it("ends the session on logout", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const before = t.cookie;
		await t.post("/admin/logout", {});
		expect((await t.get("/admin")).status).toBe(303);
		// The browser no longer has the cookie, and a copy of it is refused too (token-tampering.test.ts).
		expect(before).not.toBe(t.cookie);
	});
});

describe("請假審核", () => {
	it("lists the unit's pending requests and approves several at once", async () => {
		const north = await db.select().from(units).where(eq(units.code, "DEMO-N")).get();
		const pending = await db
			.select()
			.from(leaveRequests)
			.where(and(eq(leaveRequests.unitId, north?.id ?? 0), eq(leaveRequests.status, "pending")))
			.limit(2);
		expect(pending.length).toBe(2);
		const t = await signedIn("north.clerk@unit.example");
		const page = await t.get("/admin/leave?status=pending");
		const html = await page.text();
		expect(html).toContain("請假審核");
		for (const r of pending) expect(html).toContain(`value="${r.id}"`);
		// National IDs are masked on the page.
		expect(html).toMatch(/[A-Z]\d{2}\*{4}\d{3}/);

		const res = await t.post("/admin/leave/review", {
			ids: pending.map((r) => String(r.id)),
			decision: "approved",
			remark: "已收到證明",
			back: "/admin/leave?status=pending",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toContain("done=2");
		const after = await db
			.select()
			.from(leaveRequests)
			.where(eq(leaveRequests.id, pending[0]?.id ?? 0))
			.get();
		expect(after).toMatchObject({ status: "approved", reviewRemark: "已收到證明" });
		expect(await (await t.get(res.headers.get("location") ?? "")).text()).toContain("已處理 2 張假單");
	});

	it("does nothing to another unit's request and tells the clerk", async () => {
		const other = await insertFixtureSession(db);
		const theirs = await db
			.insert(leaveRequests)
			.values({
				personId: other.personId,
				classId: other.classId,
				unitId: other.unitId,
				leaveTypeCode: "sick",
				firstDate: other.date,
				lastDate: other.date,
				hours: 3,
				idempotencyKey: crypto.randomUUID(),
				submittedAt: Date.now(),
				updatedAt: Date.now(),
			})
			.returning()
			.get();
		const t = await signedIn("north.clerk@unit.example");
		expect(await (await t.get("/admin/leave?status=pending")).text()).not.toContain(`value="${theirs.id}"`);
		const res = await t.post("/admin/leave/review", { ids: [String(theirs.id)], decision: "rejected" });
		expect(res.headers.get("location")).toContain("failed=1");
		expect((await db.select().from(leaveRequests).where(eq(leaveRequests.id, theirs.id)).get())?.status).toBe(
			"pending",
		);
		expect((await t.get(`/admin/leave/${theirs.id}/attachments/1`)).status).toBe(404);
	});

	it("answers bad filters with the defaults and a bad review form with a clear message", async () => {
		const t = await signedIn("north.clerk@unit.example");
		expect((await t.get("/admin/leave?status=bogus&classId=-1&from=2026-02-30&page=abc")).status).toBe(200);
		// Pressing 核准 with nothing ticked brings the clerk back to the list with what to do.
		const none = await t.post("/admin/leave/review", {
			decision: "approved",
			back: "/admin/leave?status=pending",
		});
		expect(none.status).toBe(303);
		const back = none.headers.get("location") ?? "";
		expect(back).toBe("/admin/leave?status=pending&error=no-selection");
		expect(await (await t.get(back)).text()).toContain("請先勾選要審核的假單");
		const tooLong = await t.post("/admin/leave/review", {
			decision: "approved",
			ids: ["1"],
			remark: "長".repeat(201),
		});
		expect(tooLong.headers.get("location")).toContain("error=invalid");
	});
});

describe("今日", () => {
	it("shows today's sessions with n / m and the pending count", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const html = await (await t.get("/admin")).text();
		expect(html).toMatch(/今日 \d{3}\/\d{2}\/\d{2}/);
		expect(html).toMatch(/\d+ \/ 30/);
		expect(html).toContain("張待審核假單");
		expect(html).toMatch(/<strong>\d+<\/strong> 位學員請假時數接近或超過上限/);
		expect(html).toMatch(/<strong>\d+<\/strong> 則 LINE 通知未送達/);
	});
});

describe("a session's console in the dashboard", () => {
	it("gives the unit's staff the display QR and refuses another unit", async () => {
		const running = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
		const session = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, running?.id ?? 0), eq(sessions.date, taipeiDate(Date.now()))))
			.get();
		if (!session) throw new Error("the demo has sessions today");
		const north = await signedIn("north.clerk@unit.example");
		const qr = await north.get(`/admin/api/sessions/${session.id}/qr`);
		expect(qr.status).toBe(200);
		expect(((await qr.json()) as { url: string }).url).toContain("/liff/trainee/scan?t=q1.");
		expect((await north.get(`/admin/sessions/${session.id}/display`)).status).toBe(200);

		const south = await signedIn("south.admin@unit.example");
		for (const path of [
			`/admin/api/sessions/${session.id}/qr`,
			`/admin/sessions/${session.id}/display`,
			`/admin/api/sessions/${session.id}/attendance`,
		])
			expect((await south.get(path)).status).toBe(404);
		const scan = await south.post(`/admin/api/sessions/${session.id}/live-ticket`, {});
		expect(scan.status).toBe(404);

		const anonymous = await tab().get(`/admin/api/sessions/${session.id}/qr`);
		expect(anonymous.status).toBe(401);
		expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
	});
});

describe("a leave request's page", () => {
	it("shows the request with its sessions, approves it, and revokes it with a reason", async () => {
		// A fresh pending request of a north trainee over tomorrow's morning session.
		const running = await db.select().from(classes).where(eq(classes.code, "DEMO-115-01")).get();
		const seat = await db
			.select()
			.from(enrollments)
			.where(and(eq(enrollments.classId, running?.id ?? 0), eq(enrollments.seatNo, 20)))
			.get();
		const session = await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, running?.id ?? 0), gt(sessions.startsAt, Date.now() + 86_400_000)))
			.orderBy(asc(sessions.startsAt))
			.get();
		const pending = await db
			.insert(leaveRequests)
			.values({
				personId: seat?.personId as number,
				classId: running?.id as number,
				unitId: running?.unitId as number,
				leaveTypeCode: "sick",
				firstDate: session?.date as string,
				lastDate: session?.date as string,
				hours: 3,
				idempotencyKey: crypto.randomUUID(),
				submittedAt: Date.now(),
				updatedAt: Date.now(),
			})
			.returning()
			.get();
		await db.insert(leaveRequestSessions).values({
			leaveRequestId: pending.id,
			sessionId: session?.id as number,
			personId: pending.personId,
			active: 1,
		});
		const t = await signedIn("north.admin@unit.example");
		const page = await (await t.get(`/admin/leave/${pending.id}`)).text();
		expect(page).toContain(`假單 #${pending.id}`);
		expect(page).toMatch(/\d{3}\/\d{2}\/\d{2} \d\d:\d\d–\d\d:\d\d/);
		expect(page).toContain("核准");

		const approved = await t.post("/admin/leave/review", {
			ids: [String(pending.id)],
			decision: "approved",
			back: `/admin/leave/${pending.id}`,
		});
		expect(approved.headers.get("location")).toBe(`/admin/leave/${pending.id}?done=1&failed=0`);
		expect(await (await t.get(approved.headers.get("location") ?? "")).text()).toContain("撤銷已通過的假單");

		const noReason = await t.post(`/admin/leave/${pending.id}/revoke`, { reason: " " });
		expect(noReason.headers.get("location")).toBe(`/admin/leave/${pending.id}?error=invalid`);
		expect(
			(await db.select().from(leaveRequests).where(eq(leaveRequests.id, pending.id)).get())?.status,
		).toBe("approved");
		const revoked = await t.post(`/admin/leave/${pending.id}/revoke`, { reason: "證明文件不符" });
		expect(revoked.headers.get("location")).toBe(`/admin/leave/${pending.id}?done=1&failed=0`);
		expect(await db.select().from(leaveRequests).where(eq(leaveRequests.id, pending.id)).get()).toMatchObject(
			{
				status: "revoked",
				revokeReason: "證明文件不符",
			},
		);
	});

	it("is not found for another unit, and another unit cannot revoke", async () => {
		const north = await db.select().from(units).where(eq(units.code, "DEMO-N")).get();
		const approved = await db
			.select()
			.from(leaveRequests)
			.where(and(eq(leaveRequests.unitId, north?.id ?? 0), eq(leaveRequests.status, "approved")))
			.get();
		if (!approved) throw new Error("the demo has an approved request");
		const south = await signedIn("south.admin@unit.example");
		expect((await south.get(`/admin/leave/${approved.id}`)).status).toBe(404);
		expect((await south.post(`/admin/leave/${approved.id}/revoke`, { reason: "試圖撤銷" })).status).toBe(404);
		expect(
			(await db.select().from(leaveRequests).where(eq(leaveRequests.id, approved.id)).get())?.status,
		).toBe("approved");
	});
});

describe("我的帳號", () => {
	it("changes the password, keeps this browser signed in and signs the others out", async () => {
		const north = await db.select().from(units).where(eq(units.code, "DEMO-N")).get();
		const email = `clerk-${crypto.randomUUID().slice(0, 8)}@unit.example`;
		await db.insert(staff).values({
			unitId: north?.id ?? null,
			email,
			name: "測試承辦",
			role: "unit_staff",
			passwordHash: await hashPassword("Old-Password-1"),
			createdAt: 1,
			updatedAt: 1,
		});
		const here = tab();
		const there = tab();
		for (const t of [here, there])
			expect((await t.post("/admin/login", { email, password: "Old-Password-1" })).status).toBe(303);

		const wrong = await here.post("/admin/account/password", { current: "nope", next: "New-Password-22" });
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain("目前的密碼不正確");
		const short = await here.post("/admin/account/password", { current: "Old-Password-1", next: "short" });
		expect(await short.text()).toContain("至少要 10 個字元");

		const ok = await here.post("/admin/account/password", {
			current: "Old-Password-1",
			next: "New-Password-22",
		});
		expect(ok.headers.get("location")).toBe("/admin/account?changed=1");
		expect(await (await here.get("/admin/account?changed=1")).text()).toContain("密碼已變更");
		// The other browser's session ended; the old password no longer opens one; the new one does.
		expect((await there.get("/admin")).status).toBe(303);
		expect((await tab().post("/admin/login", { email, password: "Old-Password-1" })).status).toBe(401);
		expect((await tab().post("/admin/login", { email, password: "New-Password-22" })).status).toBe(303);
	});
});

describe("an error on a dashboard page", () => {
	it("is a page with the zh-TW reason for a browser, and the JSON envelope for a program", async () => {
		const t = await signedIn("north.clerk@unit.example");
		const tooLarge = () => {
			const form = new FormData();
			form.append("file", new File(["班".repeat(400_000)], "課表.csv", { type: "text/csv" }));
			return form;
		};
		const page = await t.send("/admin/timetable-import", {
			method: "POST",
			headers: { origin: ORIGIN, accept: "text/html,application/xhtml+xml" },
			body: tooLarge(),
		});
		expect(page.status).toBe(413);
		expect(page.headers.get("content-type")).toMatch(/^text\/html/);
		const html = await page.text();
		expect(html).toContain("上傳的資料太大");
		expect(html).toContain(page.headers.get("x-request-id") ?? "no request id");
		expect(html).toContain('href="/admin"');

		const program = await t.send("/admin/timetable-import", {
			method: "POST",
			headers: { origin: ORIGIN, accept: "application/json" },
			body: tooLarge(),
		});
		expect(program.status).toBe(413);
		expect(((await program.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");

		const missing = await t.send("/admin/no-such-page", { headers: { accept: "text/html" } });
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain("找不到");
	});
});
