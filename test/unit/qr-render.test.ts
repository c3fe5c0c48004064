import { describe, expect, it } from "vitest";
import { qrSvg } from "../../src/qr/render";

describe("qrSvg", () => {
	it("colours the code with attributes, not style= (blocked by the pages' CSP)", () => {
		const svg = qrSvg("https://liff.line.me/123/scan?t=abc");
		expect(svg).not.toContain("style=");
		expect(svg).toMatch(/<rect[^>]*fill="#ffffff"/);
		expect(svg).toMatch(/<path[^>]*fill="#000000"/);
	});
});
