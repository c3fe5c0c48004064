// A proof file as an HTTP response, for the trainee's pages and the dashboard alike.

/** Private, never cached, shown inline, and never re-interpreted by the browser. */
export function attachmentResponse(file: {
	body: ReadableStream;
	fileName: string;
	contentType: string;
	size: number;
}): Response {
	return new Response(file.body, {
		headers: {
			"content-type": file.contentType,
			"content-length": String(file.size),
			"content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			"cache-control": "private, no-store",
			"x-content-type-options": "nosniff",
		},
	});
}
