import { describe, expect, it } from "vitest";
import { displayFileName, sniffAttachment } from "../../src/domain/leave-attachment-files";

const bytes = (...parts: (number[] | string)[]) =>
	new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe("sniffAttachment", () => {
	it.each([
		["JPEG", bytes([0xff, 0xd8, 0xff, 0xe1]), "image/jpeg"],
		["PNG", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a]), "image/png"],
		["WebP", bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "), "image/webp"],
		["HEIC from an iPhone", bytes([0, 0, 0, 0x18], "ftypheic"), "image/heic"],
		["PDF", bytes("%PDF-1.4"), "application/pdf"],
	])("recognises %s", (_, data, type) => {
		expect(sniffAttachment(data)?.contentType).toBe(type);
	});

	it.each([
		["HTML", bytes("<html><script>")],
		["a ZIP (docx)", bytes("PK", [3, 4])],
		["an MP4 video", bytes([0, 0, 0, 0x18], "ftypisom")],
		["a RIFF that is not WebP (WAV)", bytes("RIFF", [1, 2, 3, 4], "WAVE")],
		["nothing", new Uint8Array()],
	])("refuses %s", (_, data) => {
		expect(sniffAttachment(data)).toBeNull();
	});
});

describe("displayFileName", () => {
	const pdf = { contentType: "application/pdf", extension: "pdf" };
	it("keeps the phone's name with the real extension", () => {
		expect(displayFileName("診斷證明 2026.PDF", pdf)).toBe("診斷證明 2026.pdf");
		expect(displayFileName("scan.jpg", pdf)).toBe("scan.pdf");
	});
	it("drops paths and control characters, and names a nameless file", () => {
		expect(displayFileName("C:\\Users\\me\\..\\證明\u0000.pdf", pdf)).toBe("證明.pdf");
		expect(displayFileName("", pdf)).toBe("證明文件.pdf");
		expect(displayFileName(null, pdf)).toBe("證明文件.pdf");
		expect(displayFileName(`${"長".repeat(300)}.pdf`, pdf)).toHaveLength(104);
	});
});
