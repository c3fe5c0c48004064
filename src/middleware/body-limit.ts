// Refuses request bodies over a size limit with 413 in the error envelope, before anything reads them.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";

export const ONE_MIB = 1024 * 1024;

/** Paths that set a larger limit of their own (proof files of leave requests, roster CSV uploads). */
const OWN_LIMIT = /^(?:\/api\/liff\/trainee\/leave\/\d+\/attachments|\/admin\/roster-import)$/;

/** The app-wide limit; the paths in OWN_LIMIT are left to their route's own limitBody(). */
export const limitAppBody = () => {
	const limit = limitBody();
	return createMiddleware((c, next) => (OWN_LIMIT.test(c.req.path) ? next() : limit(c, next)));
};

export const limitBody = (maxSize: number = ONE_MIB) =>
	bodyLimit({
		maxSize,
		onError: () => {
			throw new AppError("PAYLOAD_TOO_LARGE", `上傳的資料太大（上限 ${Math.round(maxSize / 1024)} KB）`);
		},
	});
