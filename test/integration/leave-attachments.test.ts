// Proof files on a leave request, through the 學員專區 API as the page sends them: stored in R2,
// listed in 請假節次, served only to their owner; wrong size, type and count refused.
import { env } from "cloudflare:test";
import { and, asc, eq, gt } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { enrollments, leaveAttachments, lineBindings, sessions } from "../../src/db/schema";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { liffCall, routeLineToEmulator } from "./dev-server";

const db = createDb(env.DB);
const NOW = Date.now();
let futureSessions: number[] = [];
let nextSession = 20;

beforeAll(async () => {
	await seedDemoData(db, { now: NOW, piiKey: env.PII_HMAC_KEY });
	const binding = await db
		.select()
		.from(lineBindings)
		.where(and(eq(lineBindings.lineUserId, DEMO_LINE_USERS.trainee), eq(lineBindings.role, "trainee")))
		.get();
	const enrollment = await db
		.select()
		.from(enrollments)
		.where(eq(enrollments.personId, binding?.personId ?? -1))
		.get();
	futureSessions = (
		await db
			.select()
			.from(sessions)
			.where(and(eq(sessions.classId, enrollment?.classId ?? -1), gt(sessions.startsAt, NOW + 86_400_000)))
			.orderBy(asc(sessions.startsAt))
	).map((s) => s.id);
});
beforeEach(() => {
	routeLineToEmulator();
});
afterEach(() => vi.restoreAllMocks());

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...new TextEncoder().encode("JFIF photo")]);
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n");

const call = (userId: string, path: string, init: RequestInit = {}) =>
	liffCall(userId, `/api/liff/trainee${path}`, init);

async function newRequest(): Promise<number> {
	const res = await call(DEMO_LINE_USERS.trainee, "/leave", {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({
			sessionIds: [futureSessions[nextSession++]],
			typeCode: "sick",
			remark: "附診斷證明",
			clientKey: crypto.randomUUID(),
		}),
	});
	expect(res.status).toBe(201);
	return ((await res.json()) as { requestId: number }).requestId;
}

const upload = (
	requestId: number,
	bytes: Uint8Array,
	name = "診斷證明.jpg",
	userId: string = DEMO_LINE_USERS.trainee,
) =>
	call(userId, `/leave/${requestId}/attachments`, {
		method: "POST",
		headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(name) },
		body: bytes,
	});

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const storedFiles = async (requestId: number) =>
	(await env.ATTACHMENTS.list({ prefix: `leave/${requestId}/` })).objects.length;

describe("proof files of a leave request", () => {
	it("stores a photo, lists it in the request and serves it back to the trainee only", async () => {
		const id = await newRequest();
		const res = await upload(id, JPEG);
		expect(res.status).toBe(201);
		const { attachment } = (await res.json()) as { attachment: { id: number; fileName: string } };
		expect(attachment.fileName).toBe("診斷證明.jpg");

		const detail = (await (await call(DEMO_LINE_USERS.trainee, `/leave/${id}`)).json()) as {
			request: { attachments: { id: number; fileName: string; contentType: string; size: number }[] };
		};
		expect(detail.request.attachments).toEqual([
			{ id: attachment.id, fileName: "診斷證明.jpg", contentType: "image/jpeg", size: JPEG.byteLength },
		]);

		const file = await call(DEMO_LINE_USERS.trainee, `/leave/${id}/attachments/${attachment.id}`);
		expect(file.status).toBe(200);
		expect(file.headers.get("content-type")).toBe("image/jpeg");
		expect(file.headers.get("cache-control")).toBe("private, no-store");
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(JPEG);

		// Another trainee (the demo user with both identities) cannot read it or add to it.
		const foreign = await call(DEMO_LINE_USERS.both, `/leave/${id}/attachments/${attachment.id}`);
		expect(foreign.status).toBe(404);
		expect((await upload(id, PDF, "x.pdf", DEMO_LINE_USERS.both)).status).toBe(404);

		// The R2 key is not derived from anything a person can guess.
		const row = await db.select().from(leaveAttachments).where(eq(leaveAttachments.id, attachment.id)).get();
		expect(row?.r2Key).toMatch(new RegExp(`^leave/${id}/[A-Za-z0-9_-]{24}$`));
	});

	it("decides the type by the bytes: a text file named .pdf is refused, a PDF named .jpg is a PDF", async () => {
		const id = await newRequest();
		const fake = await upload(id, new TextEncoder().encode("<script>alert(1)</script>"), "證明.pdf");
		expect(fake.status).toBe(415);
		expect(await errorCode(fake)).toBe("ATTACHMENT_TYPE");
		const real = await upload(id, PDF, "../../公函.jpg");
		expect(real.status).toBe(201);
		expect(((await real.json()) as { attachment: { fileName: string } }).attachment.fileName).toBe(
			"公函.pdf",
		);
		expect(await storedFiles(id)).toBe(1);
	});

	it("refuses a file over 5 MB and keeps nothing of it", async () => {
		const id = await newRequest();
		const big = new Uint8Array(5 * 1024 * 1024 + 1);
		big.set(JPEG);
		const res = await upload(id, big);
		expect(res.status).toBe(413);
		expect(await storedFiles(id)).toBe(0);
		// Exactly 5 MB is accepted.
		expect((await upload(id, big.slice(0, 5 * 1024 * 1024))).status).toBe(201);
	});

	it("keeps at most three files, also when four arrive at the same moment", async () => {
		const id = await newRequest();
		const results = await Promise.all([1, 2, 3, 4].map((n) => upload(id, JPEG, `照片${n}.jpg`)));
		expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409]);
		const refused = results.find((r) => r.status === 409) as Response;
		expect(await errorCode(refused)).toBe("ATTACHMENT_LIMIT");
		expect(await storedFiles(id)).toBe(3);
		const rows = await db.select().from(leaveAttachments).where(eq(leaveAttachments.leaveRequestId, id));
		expect(rows).toHaveLength(3);
	});

	it("takes no more files once the request is no longer pending", async () => {
		const id = await newRequest();
		expect((await call(DEMO_LINE_USERS.trainee, `/leave/${id}/withdraw`, { method: "POST" })).status).toBe(
			200,
		);
		const res = await upload(id, JPEG);
		expect(res.status).toBe(409);
		const body = (await res.json()) as { error: { code: string; message: string } };
		// It was withdrawn by the trainee, not reviewed: the message says so.
		expect(body.error).toMatchObject({ code: "LEAVE_NOT_PENDING", message: "這張假單已經撤銷了。" });
		expect(await storedFiles(id)).toBe(0);
	});
});
