// Proof files on leave requests (診斷證明, 公函): which files are accepted. Pure: the bytes decide
// the type, not the name or the browser's claim, so a renamed script is never served as a PDF.

/** Per file, in bytes: a phone photo or a scanned certificate fits. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Per request. */
export const MAX_ATTACHMENTS = 3;

export type AttachmentKind = { contentType: string; extension: string };

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
	signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The accepted type of a file by its first bytes, or null: JPEG, PNG, WebP, HEIC/HEIF or PDF. */
export function sniffAttachment(bytes: Uint8Array): AttachmentKind | null {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", extension: "jpg" };
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
		return { contentType: "image/png", extension: "png" };
	if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8))
		return { contentType: "image/webp", extension: "webp" };
	// iPhones save photos as HEIC: an ISO box "ftyp" with a HEIF brand.
	if (startsWith(bytes, ascii("ftyp"), 4)) {
		const brand = String.fromCharCode(...bytes.slice(8, 12));
		if (["heic", "heix", "mif1", "msf1", "heif"].includes(brand))
			return { contentType: "image/heic", extension: "heic" };
	}
	if (startsWith(bytes, ascii("%PDF-"))) return { contentType: "application/pdf", extension: "pdf" };
	return null;
}

/**
 * The name shown to people: the base name the phone sent, control characters and path parts removed,
 * at most 100 characters, with the extension of the real type.
 */
export function displayFileName(sent: string | null | undefined, kind: AttachmentKind): string {
	const base = (sent ?? "")
		.split(/[\\/]/)
		.pop()
		// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
		?.replace(/[\u0000-\u001f\u007f]/g, "")
		.trim()
		.replace(/\.[^.]*$/, "")
		.slice(0, 100);
	return `${base || "證明文件"}.${kind.extension}`;
}
