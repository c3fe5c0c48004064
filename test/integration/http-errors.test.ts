// The one error model: every failure is a JSON envelope with a stable code, a zh-TW message and
// the request id; never a plain-text stack trace.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../src/app";
import { jsonBody, queryParams } from "../../src/middleware/validate";

type Envelope = { error: { code: string; message: string; requestId: string; fields?: { field: string }[] } };

async function expectEnvelope(res: Response, status: number, code: string): Promise<Envelope> {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	const body = (await res.json()) as Envelope;
	expect(body.error.code).toBe(code);
	expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
	expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
	return body;
}

describe("the Worker", () => {
	it("answers /healthz with ok after reading D1", async () => {
		const res = await exports.default.fetch(new Request("https://training-line.test/healthz"));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true });
	});

	it("answers unknown routes with 404 in the envelope", async () => {
		const res = await exports.default.fetch(new Request("https://training-line.test/no/such/page"));
		await expectEnvelope(res, 404, "NOT_FOUND");
	});

	it("refuses a body over 1 MiB with 413 before reading it", async () => {
		const res = await exports.default.fetch(
			new Request("https://training-line.test/healthz", {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: "x".repeat(1024 * 1024 + 1),
			}),
		);
		await expectEnvelope(res, 413, "PAYLOAD_TOO_LARGE");
	});

	it("sets secure headers on every answer", async () => {
		const res = await exports.default.fetch(new Request("https://training-line.test/healthz"));
		expect(res.headers.get("referrer-policy")).toBe("no-referrer");
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
	});
});

describe("validation middleware and error handler", () => {
	// The real app with two extra routes that use the shared middleware.
	const app = createApp();
	app.post("/t/echo", jsonBody(z.object({ name: z.string().min(1), hours: z.number().positive() })), (c) =>
		c.json(c.req.valid("json")),
	);
	app.get("/t/query", queryParams(z.object({ page: z.coerce.number().int().min(1) })), (c) =>
		c.json(c.req.valid("query")),
	);
	app.get("/t/boom", () => {
		throw new Error("secret internals: SELECT * FROM people");
	});
	const call = (path: string, init?: RequestInit) =>
		app.fetch(new Request(`https://training-line.test${path}`, init), env, {
			waitUntil: () => {},
			passThroughOnException: () => {},
			props: {},
		} as unknown as ExecutionContext);

	it("passes a valid JSON body through", async () => {
		const res = await call("/t/echo", {
			method: "POST",
			headers: { "content-type": "application/json; charset=utf-8" },
			body: JSON.stringify({ name: "王小明", hours: 3 }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ name: "王小明", hours: 3 });
	});

	it("answers 415 for a body that is not JSON", async () => {
		const res = await call("/t/echo", {
			method: "POST",
			headers: { "content-type": "text/plain" },
			body: "name=x",
		});
		await expectEnvelope(res, 415, "UNSUPPORTED_MEDIA_TYPE");
	});

	it("answers 400 MALFORMED_JSON for truncated JSON", async () => {
		const res = await call("/t/echo", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: '{"name": "王小',
		});
		await expectEnvelope(res, 400, "MALFORMED_JSON");
	});

	it("answers 400 naming the field that failed", async () => {
		const res = await call("/t/echo", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ name: "王小明", hours: -1 }),
		});
		const body = await expectEnvelope(res, 400, "VALIDATION_FAILED");
		expect(body.error.fields?.map((f) => f.field)).toEqual(["hours"]);
		expect(body.error.message).toContain("hours");
	});

	it("validates query strings the same way", async () => {
		const ok = await call("/t/query?page=2");
		expect(await ok.json()).toEqual({ page: 2 });
		const body = await expectEnvelope(await call("/t/query?page=abc"), 400, "VALIDATION_FAILED");
		expect(body.error.fields?.[0]?.field).toBe("page");
	});

	it("answers an unexpected exception with a generic 500 that reveals nothing", async () => {
		const res = await call("/t/boom");
		const body = await expectEnvelope(res, 500, "INTERNAL");
		expect(JSON.stringify(body)).not.toMatch(/secret|SELECT|at /);
	});
});
