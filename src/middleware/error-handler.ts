// The one error handler and not-found handler: everything leaves in the JSON envelope, never a stack.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { AppError, ERRORS, type ErrorCode, errorEnvelope } from "../errors";
import { describeError, log } from "../log";

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

export const handleError: ErrorHandler<AppEnv> = (err, c) => {
	const requestId = requestIdOf(c);
	if (err instanceof AppError) {
		return c.json(
			errorEnvelope(err.code, err.message, requestId, err.fields),
			err.status as ContentfulStatusCode,
		);
	}
	if (err instanceof HTTPException && err.status < 500) {
		// Thrown by Hono's own middleware; its English message is replaced by ours.
		const code = CODE_BY_STATUS[err.status] ?? "BAD_REQUEST";
		return c.json(errorEnvelope(code, ERRORS[code].message, requestId), err.status as ContentfulStatusCode);
	}
	log.error("unhandled_error", {
		requestId,
		method: c.req.method,
		path: new URL(c.req.url).pathname,
		error: describeError(err),
	});
	return c.json(errorEnvelope("INTERNAL", ERRORS.INTERNAL.message, requestId), 500);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
	c.json(errorEnvelope("NOT_FOUND", ERRORS.NOT_FOUND.message, requestIdOf(c)), 404);
