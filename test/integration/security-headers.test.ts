// Every page the Worker renders carries a strict CSP (no inline script or style, no framing, no
// referrer): one admin page, one LIFF page and the binding page stand for their surfaces.
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "../../src/middleware/content-security";
import { devFetch, ORIGIN } from "./dev-server";

const get = (path: string) => devFetch(new Request(new URL(path, ORIGIN)));

describe("secure headers", () => {
	it.each(["/admin/login", "/liff/trainee/", "/bind?token=x"])("%s has a strict CSP", async (path) => {
		const res = await get(path);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		const csp = res.headers.get("content-security-policy") ?? "";
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("default-src 'self'");
		expect(csp).toMatch(/script-src 'self'[^;]*;/);
		expect(csp).not.toContain("unsafe-inline");
		expect(csp).not.toContain("unsafe-eval");
		expect(res.headers.get("referrer-policy")).toBe("no-referrer");
		expect(res.headers.get("x-frame-options")).toBe("DENY");
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
	});

	it("lets the binding form redirect to LINE's account-link dialog, and the LIFF SDK load", () => {
		const csp = contentSecurityPolicy("https://access.line.me/");
		expect(csp).toContain("form-action 'self' https://access.line.me;");
		expect(csp).toContain("script-src 'self' https://static.line-scdn.net;");
	});

	it("pages carry no inline script or style the CSP would block", async () => {
		const html = await (await get("/admin/login")).text();
		expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
		expect(html).not.toMatch(/\sstyle="/);
	});
});
