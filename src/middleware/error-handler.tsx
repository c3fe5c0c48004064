// The one error handler and not-found handler: everything leaves in the JSON envelope, never a
// stack; a dashboard page a browser asked for gets the same message as a page, so a clerk whose
// upload was too large reads a sentence, not JSON.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { AppError, ERRORS, type ErrorCode, errorEnvelope } from "../errors";
import { describeError, log } from "../log";
import { AdminErrorPage } from "../views/admin/layout";
import { htmlDocument } from "../views/document";

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
	400: "BAD_REQUEST",
	401: "UNAUTHORIZED",
	403: "FORBIDDEN",
	404: "NOT_FOUND",
	405: "METHOD_NOT_ALLOWED",
	409: "CONFLICT",
	413: "PAYLOAD_TOO_LARGE",
	415: "UNSUPPORTED_MEDIA_TYPE",
	429: "TOO_MANY_REQUESTS",
};

function requestIdOf(c: Context<AppEnv>): string {
	return c.get("requestId") ?? "unknown";
}

/** A browser on a dashboard page (not its JSON API). */
function wantsAdminPage(c: Context<AppEnv>): boolean {
	const path = new URL(c.req.url).pathname;
	return (
		(path === "/admin" || path.startsWith("/admin/")) &&
		!path.startsWith("/admin/api/") &&
		(c.req.header("accept") ?? "").includes("text/html")
	);
}

function answer(
	c: Context<AppEnv>,
	code: ErrorCode,
	message: string,
	status: number,
	fields?: AppError["fields"],
) {
	const requestId = requestIdOf(c);
	if (wantsAdminPage(c))
		return c.html(
			htmlDocument(<AdminErrorPage message={message} requestId={requestId} />),
			status as ContentfulStatusCode,
		);
	return c.json(errorEnvelope(code, message, requestId, fields), status as ContentfulStatusCode);
}

export const handleError: ErrorHandler<AppEnv> = (err, c) => {
	if (err instanceof AppError) return answer(c, err.code, err.message, err.status, err.fields);
	if (err instanceof HTTPException && err.status < 500) {
		// Thrown by Hono's own middleware; its English message is replaced by ours.
		const code = CODE_BY_STATUS[err.status] ?? "BAD_REQUEST";
		return answer(c, code, ERRORS[code].message, err.status);
	}
	log.error("unhandled_error", {
		requestId: requestIdOf(c),
		method: c.req.method,
		path: new URL(c.req.url).pathname,
		error: describeError(err),
	});
	return answer(c, "INTERNAL", ERRORS.INTERNAL.message, 500);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
	answer(c, "NOT_FOUND", ERRORS.NOT_FOUND.message, 404);
