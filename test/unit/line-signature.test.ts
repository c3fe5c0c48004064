import { describe, expect, it } from "vitest";
import { signLineBody, verifyLineSignature } from "../../src/line/signature";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("LINE webhook signature", () => {
	it("verifies LINE's documented test vector", async () => {
		const body = bytes(JSON.stringify({ hello: "world" }));
		expect(
			await verifyLineSignature("test_secret", body, "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM="),
		).toBe(true);
		expect(
			await verifyLineSignature("test_secret", body, "t7Hn4ZDHqs6e+wdvi5TyQivzie0DmMUmuXEBqyyE/tM="),
		).toBe(false);
	});

	it("signs as LINE does", async () => {
		expect(await signLineBody("test_secret", '{"hello":"world"}')).toBe(
			"t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=",
		);
	});

	it("refuses a missing, malformed or truncated signature, and the wrong secret", async () => {
		const body = bytes('{"events":[]}');
		const good = await signLineBody("secret", body);
		expect(await verifyLineSignature("secret", body, good)).toBe(true);
		expect(await verifyLineSignature("secret", body, null)).toBe(false);
		expect(await verifyLineSignature("secret", body, "")).toBe(false);
		expect(await verifyLineSignature("secret", body, "not base64 !!")).toBe(false);
		expect(await verifyLineSignature("secret", body, good.slice(0, 20))).toBe(false);
		expect(await verifyLineSignature("other", body, good)).toBe(false);
		expect(await verifyLineSignature("", body, good)).toBe(false);
	});
});
