// Request validation with zod: JSON bodies (415 / 400 MALFORMED_JSON / 400 VALIDATION_FAILED) and
// query strings. Handlers read the parsed values with c.req.valid("json" | "query").
import type { MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import { z } from "zod";
import type { AppEnv } from "../env";
import { AppError, type FieldError } from "../errors";

z.config(z.locales.zhTW());

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Turns zod issues into the envelope's field list and a message that names the first field. */
export function validationError(error: z.ZodError): AppError {
	const fields: FieldError[] = error.issues.map((issue) => ({
		field: issue.path.length ? issue.path.join(".") : "(body)",
		message: issue.message,
	}));
	const first = fields[0];
	// People read the message: the field's name only where it says which one.
	const message = first
		? first.field === "(body)"
			? `輸入資料有誤：${first.message}`
			: `輸入資料有誤：${first.field} — ${first.message}`
		: undefined;
	return new AppError("VALIDATION_FAILED", message, fields);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw validationError(result.error);
	return result.data;
}

/** Validates a JSON request body. The raw text is parsed here so a malformed body gets our own code. */
export function jsonBody<S extends z.ZodType>(
	schema: S,
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
	return async (c, next) => {
		const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
		if (!JSON_MEDIA_TYPE.test(mediaType)) throw new AppError("UNSUPPORTED_MEDIA_TYPE");
		let value: unknown;
		try {
			// JSON is UTF-8 (RFC 8259): bytes that are not would otherwise be stored as U+FFFD.
			value = JSON.parse(UTF8.decode(await c.req.arrayBuffer()));
		} catch {
			throw new AppError("MALFORMED_JSON");
		}
		c.req.addValidatedData("json", parseWith(schema, value) as object);
		await next();
	};
}

/** Validates the query string (single values as strings, repeated keys as arrays). */
export const queryParams = <S extends z.ZodType>(schema: S) =>
	validator("query", (value) => parseWith(schema, value) as z.output<S>);
