// Refuses request bodies over a size limit with 413 in the error envelope, before anything reads them.
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";

export const ONE_MIB = 1024 * 1024;

export const limitBody = (maxSize: number = ONE_MIB) =>
	bodyLimit({
		maxSize,
		onError: () => {
			throw new AppError("PAYLOAD_TOO_LARGE", `上傳的資料太大（上限 ${Math.round(maxSize / 1024)} KB）`);
		},
	});
