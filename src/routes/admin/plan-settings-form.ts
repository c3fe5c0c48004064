// The plan settings form as posted: every field checked with a zh-TW message of its own, so the page
// can show each next to its field, with what the user typed kept for the re-rendered form.
import { z } from "zod";
import { LEAVE_TYPE_CODES } from "../../domain/leave-types";
import { hasUnshowableCharacters, UNSHOWABLE_MESSAGE } from "../../domain/plain-text";
import {
	PLAN_NUMBER_SETTINGS,
	type PlanNumberSetting,
	type PlanSettings,
	percentToRatio,
	settingUnit,
	WARNING_PERCENT,
} from "../../domain/plan-settings";
import type { PlanChange } from "../../services/plan-settings";
import {
	LEAVE_TYPES_FIELD,
	type PlanFormErrors,
	type PlanFormValues,
	WARNING_FIELD,
} from "../../views/admin/settings";

function wholeNumber(key: PlanNumberSetting) {
	const { min, max } = PLAN_NUMBER_SETTINGS[key];
	const range = `${min}–${max} 的整數（${settingUnit(key)}）`;
	return z
		.string({ error: `這一欄必填：請填 ${range}` })
		.trim()
		.min(1, `這一欄必填：請填 ${range}`)
		.regex(/^\d{1,6}$/, `請填 ${range}`)
		.transform(Number)
		.refine((n) => n >= min && n <= max, `請填 ${range}`);
}

const percentRange = `${WARNING_PERCENT.min}–${WARNING_PERCENT.max} 之間的數字，例如 10 表示 10%`;
const percent = z
	.string({ error: `這一欄必填：請填 ${percentRange}` })
	.trim()
	.transform((text) => text.replace(/\s*[%％]$/, ""))
	.pipe(
		z
			.string()
			.min(1, `這一欄必填：請填 ${percentRange}`)
			.regex(/^\d{1,3}(?:\.\d)?$/, `請填 ${percentRange}（最多一位小數）`)
			.transform(Number)
			.refine((n) => n >= WARNING_PERCENT.min && n <= WARNING_PERCENT.max, `請填 ${percentRange}`),
	);

const leaveTypeCodes = z
	.array(z.enum(LEAVE_TYPE_CODES, "沒有這種假別，請重新整理後再選"))
	.min(1, "至少要啟用一種假別，學員才能請假")
	.max(LEAVE_TYPE_CODES.length);

const numberShape = Object.fromEntries(
	(Object.keys(PLAN_NUMBER_SETTINGS) as PlanNumberSetting[]).map((k) => [k, wholeNumber(k)]),
) as Record<PlanNumberSetting, ReturnType<typeof wholeNumber>>;

const planForm = z
	.object({ ...numberShape, [WARNING_FIELD]: percent, [LEAVE_TYPES_FIELD]: leaveTypeCodes })
	// A request back-dated to the limit must not be overdue (已逾期) the moment it is sent.
	.refine((f) => f.reviewWindowDays >= f.backdateLimitDays, {
		path: ["reviewWindowDays"],
		message: "審核期限不能短於可補請假天數，否則補請的假單一送出就已逾期",
	});

const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 50) : "");

/** Reads the posted form (parseBody with all: true) into typed values and per-field messages. */
export function readPlanForm(
	body: Record<string, unknown>,
):
	| { ok: true; change: PlanChange; values: PlanFormValues }
	| { ok: false; values: PlanFormValues; errors: PlanFormErrors } {
	const types = [body[LEAVE_TYPES_FIELD]].flat().filter((v): v is string => typeof v === "string");
	const values = {
		...Object.fromEntries(Object.keys(PLAN_NUMBER_SETTINGS).map((k) => [k, text(body[k])])),
		[WARNING_FIELD]: text(body[WARNING_FIELD]),
		leaveTypes: types.slice(0, 20),
	} as PlanFormValues;
	const input = {
		...Object.fromEntries(
			[...Object.keys(PLAN_NUMBER_SETTINGS), WARNING_FIELD].map((k) => [
				k,
				typeof body[k] === "string" ? body[k] : undefined,
			]),
		),
		[LEAVE_TYPES_FIELD]: values.leaveTypes,
	};
	const parsed = planForm.safeParse(input);
	if (!parsed.success) {
		const errors: PlanFormErrors = {};
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? "") as keyof PlanFormValues;
			if (field && !errors[field]) errors[field] = issue.message;
		}
		return { ok: false, values, errors };
	}
	const { [WARNING_FIELD]: warning, [LEAVE_TYPES_FIELD]: leaveTypes, ...numbers } = parsed.data;
	const settings: PlanSettings = { ...numbers, leaveHoursWarningRatio: percentToRatio(warning) };
	return { ok: true, change: { settings, leaveTypeCodes: leaveTypes }, values };
}

/** A new plan: a short code (unique, checked by the service) and a name. */
export const newPlanForm = z.object({
	code: z
		.string({ error: "請填寫計畫代碼" })
		.trim()
		.min(1, "請填寫計畫代碼")
		.max(32, "計畫代碼最多 32 個字元")
		.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "計畫代碼只能用英文字母、數字、- 或 _"),
	name: z
		.string({ error: "請填寫計畫名稱" })
		.trim()
		.min(1, "請填寫計畫名稱")
		.max(100, "計畫名稱最多 100 字")
		.refine((name) => !hasUnshowableCharacters(name), UNSHOWABLE_MESSAGE),
});
