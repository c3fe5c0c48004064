// One error type with a closed set of codes; every failure leaves the Worker in one JSON envelope:
// {"error":{"code":"…","message":"<zh-TW>","requestId":"…"}}.

export const ERRORS = {
	BAD_REQUEST: { status: 400, message: "請求內容有誤" },
	MALFORMED_JSON: { status: 400, message: "請求內容不是正確的 JSON 格式" },
	VALIDATION_FAILED: { status: 400, message: "輸入資料有誤，請檢查後再試" },
	UNAUTHORIZED: { status: 401, message: "請先登入" },
	INVALID_SIGNATURE: { status: 401, message: "簽章驗證失敗，請求未被接受" },
	ID_TOKEN_MISSING: { status: 401, message: "請從 LINE 開啟這個頁面並登入" },
	ID_TOKEN_EXPIRED: { status: 401, message: "登入已逾時，正在重新登入…" },
	ID_TOKEN_INVALID: { status: 401, message: "登入資訊無效，請從 LINE 重新開啟這個頁面" },
	NOT_BOUND: { status: 403, message: "請先在 Training LINE 完成身分綁定" },
	NO_CLASS: { status: 404, message: "查無您參訓的班級，請聯繫訓練單位" },
	LEAVE_NOT_ALLOWED: { status: 422, message: "這次請假不符合規定" },
	LEAVE_OVERLAP: { status: 409, message: "勾選的課程已有待審核或已通過的假單" },
	LEAVE_NOT_PENDING: { status: 409, message: "假單已審核完成，不能再撤銷" },
	LEAVE_STATUS_CHANGED: { status: 409, message: "假單狀態已變更，請重新整理" },
	WITHDRAW_WINDOW_PASSED: { status: 422, message: "已超過可自行銷假的期限" },
	ATTACHMENT_TOO_LARGE: { status: 413, message: "檔案超過 5 MB" },
	ATTACHMENT_TYPE: { status: 415, message: "只接受照片或 PDF 檔" },
	ATTACHMENT_LIMIT: { status: 409, message: "每張假單最多附 3 個檔案" },
	SESSION_CANCELLED: { status: 422, message: "這堂課已停課，不需簽到退" },
	CHECK_IN_NOT_OPEN: { status: 422, message: "還沒到簽到時間" },
	CHECK_IN_CLOSED: { status: 422, message: "已超過簽到時間" },
	CHECK_OUT_NOT_OPEN: { status: 422, message: "課程開始後才能簽退" },
	CHECK_OUT_CLOSED: { status: 422, message: "已超過簽退時間" },
	NOT_IN_CLASS: { status: 422, message: "您不在這堂課的名單中" },
	TOKEN_REUSED: { status: 409, message: "這個 QR Code 已使用過" },
	TOKEN_FORGED: { status: 400, message: "這不是 Training LINE 的簽到 QR Code" },
	TOKEN_EXPIRED: { status: 422, message: "QR Code 已過期，請掃描最新的 QR Code" },
	CHECK_IN_AFTER_CHECK_OUT: { status: 422, message: "您已經簽退了，不能再簽到" },
	SHORT_CODE_WRONG: { status: 422, message: "數字不正確" },
	TOO_MANY_CODE_TRIES: { status: 429, message: "數字輸入錯誤太多次，請稍後再試" },
	FORBIDDEN: { status: 403, message: "您沒有權限進行此操作" },
	NOT_FOUND: { status: 404, message: "找不到您要的頁面或資料" },
	METHOD_NOT_ALLOWED: { status: 405, message: "不支援這種請求方式" },
	CONFLICT: { status: 409, message: "資料已被其他操作變更，請重新整理後再試" },
	PAYLOAD_TOO_LARGE: { status: 413, message: "上傳的資料太大" },
	UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "不支援的資料格式，請以 JSON 傳送" },
	TOO_MANY_REQUESTS: { status: 429, message: "操作太頻繁，請稍後再試" },
	INTERNAL: { status: 500, message: "系統發生錯誤，請稍後再試；若持續發生請聯繫客服 0800-777-888" },
	SERVICE_UNAVAILABLE: { status: 503, message: "系統暫時無法使用，請稍後再試" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type FieldError = { field: string; message: string };

/** A failure to report to the caller: code and status from ERRORS, message in zh-TW. */
export class AppError extends Error {
	readonly code: ErrorCode;
	readonly status: number;
	readonly fields: FieldError[] | undefined;

	constructor(code: ErrorCode, message?: string, fields?: FieldError[]) {
		super(message ?? ERRORS[code].message);
		this.name = "AppError";
		this.code = code;
		this.status = ERRORS[code].status;
		this.fields = fields;
	}
}

export type ErrorEnvelope = {
	error: { code: string; message: string; requestId: string; fields?: FieldError[] };
};

export function errorEnvelope(
	code: string,
	message: string,
	requestId: string,
	fields?: FieldError[],
): ErrorEnvelope {
	return { error: { code, message, requestId, ...(fields?.length ? { fields } : {}) } };
}
