// Bad input to 學員專區 found by trying to break it: each answer says what is wrong, in the field it
// concerns, and nothing is stored.
import { env } from "cloudflare:test";
import { and, asc, eq, gt } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { enrollments, leaveRequests, lineBindings, sessions } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { liffCall, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
let personId: number;
let future: number[] = [];

beforeAll(async () => {
	const now = Date.now();
	await seedDemoData(db, { now, piiKey: env.PII_HMAC_KEY });
	const binding = await db
		.select()
		.from(lineBindings)
		.where(and(eq(lineBindings.lineUserId, DEMO_LINE_USERS.trainee), eq(lineBindings.role, "trainee")))
		.get();
	personId = binding?.personId as number;
	const enrollment = await db.select().from(enrollments).where(eq(enrollments.personId, personId)).get();
	future = (
		await db
			.select()
			.from(sessions)
			.where(
				and(eq(sessions.classId, enrollment?.classId ?? -1), gt(sessions.startsAt, now + 2 * 86_400_000)),
			)
			.orderBy(asc(sessions.startsAt))
	).map((s) => s.id);
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const ask = (json: unknown) =>
	liffCall(DEMO_LINE_USERS.trainee, "/api/liff/trainee/leave", { method: "POST", json });
type Envelope = { error: { code: string; message: string; fields?: { field: string; message: string }[] } };
const requestsOf = async () =>
	(await db.select().from(leaveRequests).where(eq(leaveRequests.personId, personId))).length;

describe("asking for leave with bad input", () => {
	it("names the leave type, not the sessions, when the type does not exist", async () => {
		const res = await ask({
			sessionIds: [future[0]],
			typeCode: "nope",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		expect(res.status).toBe(422);
		const { error } = (await res.json()) as Envelope;
		expect(error.message).toContain("假別");
		expect(error.fields?.[0]?.field).toBe("typeCode");
	});

	it("names the sessions when a session does not exist", async () => {
		const res = await ask({
			sessionIds: [999_999_999],
			typeCode: "sick",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		const { error } = (await res.json()) as Envelope;
		expect(error.message).toContain("課程");
		expect(error.fields?.[0]?.field).toBe("sessionIds");
	});

	it.each([
		["half an emoji", "頭痛\ud83e"],
		["a NUL character", "a\u0000b"],
	])("refuses a remark with %s and stores nothing", async (_, remark) => {
		const before = await requestsOf();
		const res = await ask({
			sessionIds: [future[1]],
			typeCode: "sick",
			remark,
			clientKey: crypto.randomUUID(),
		});
		expect(res.status).toBe(400);
		const { error } = (await res.json()) as Envelope;
		expect(error.message).toContain("無法顯示的字元");
		expect(error.fields?.[0]?.field).toBe("remark");
		expect(await requestsOf()).toBe(before);
	});

	it("keeps emoji and rare CJK in a remark as typed", async () => {
		const remark = "🤒 發燒 𠀀 <b>急診</b>";
		const res = await ask({
			sessionIds: [future[2]],
			typeCode: "sick",
			remark,
			clientKey: crypto.randomUUID(),
		});
		expect(res.status).toBe(201);
		const { requestId } = (await res.json()) as { requestId: number };
		expect((await db.select().from(leaveRequests).where(eq(leaveRequests.id, requestId)).get())?.remark).toBe(
			remark,
		);
	});

	it("speaks plainly about wrong types, without programmer's words", async () => {
		const res = await ask({ sessionIds: [-1], typeCode: "sick", clientKey: crypto.randomUUID() });
		const { error } = (await res.json()) as Envelope;
		expect(error.message).toContain("課程編號有誤");
		const root = await ask([1, 2, 3]);
		const body = (await root.json()) as Envelope;
		expect(body.error.message).not.toContain("(body)");
	});
});

describe("withdrawing twice", () => {
	it("says the request is already withdrawn, not that it was reviewed", async () => {
		const res = await ask({
			sessionIds: [future[3]],
			typeCode: "sick",
			remark: "",
			clientKey: crypto.randomUUID(),
		});
		const { requestId } = (await res.json()) as { requestId: number };
		const path = `/api/liff/trainee/leave/${requestId}/withdraw`;
		expect((await liffCall(DEMO_LINE_USERS.trainee, path, { method: "POST" })).status).toBe(200);
		const again = await liffCall(DEMO_LINE_USERS.trainee, path, { method: "POST" });
		expect(again.status).toBe(409);
		expect(((await again.json()) as Envelope).error.message).toBe("這張假單已經撤銷了。");
	});
});

describe("the timetable", () => {
	it("refuses a range of thousands of years", async () => {
		const res = await liffCall(
			DEMO_LINE_USERS.trainee,
			"/api/liff/trainee/timetable?from=0001-01-01&to=9999-12-31",
		);
		expect(res.status).toBe(400);
		expect(((await res.json()) as Envelope).error.message).toContain("400 天");
	});
});
