// 設定 (agency only): the plans with their settings, one plan's form (出勤, 請假, 假別), and a new plan.
import type { FC } from "hono/jsx";
import {
	PLAN_NUMBER_SETTINGS,
	type PlanNumberSetting,
	ratioToPercent,
	settingUnit,
	WARNING_PERCENT,
} from "../../domain/plan-settings";
import type { PlanDetail, PlanListItem } from "../../services/plan-settings";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

type Message = { kind: "ok" | "error"; text: string } | undefined;

/** The form's own field for the warning ratio (people type a percentage, 10 for 10%). */
export const WARNING_FIELD = "leaveHoursWarningPercent";
export const LEAVE_TYPES_FIELD = "leaveTypes";

/** What was typed, as typed (numbers stay text), shown again when the form is refused. */
export type PlanFormValues = Record<PlanNumberSetting | typeof WARNING_FIELD, string> & {
	leaveTypes: string[];
};
export type PlanFormErrors = Partial<Record<keyof PlanFormValues, string>>;

/** Each setting's label and the rule it governs, in the manual's words where it has them. */
const FIELDS: Record<PlanNumberSetting | typeof WARNING_FIELD, { label: string; hint: string }> = {
	lateGraceMinutes: {
		label: "遲到寬限",
		hint: "上課開始後超過這麼多分鐘才簽到，記為遲到。",
	},
	earlyLeaveGraceMinutes: {
		label: "早退寬限",
		hint: "下課前早於這麼多分鐘簽退，記為早退。",
	},
	checkInOpensMinutes: {
		label: "開放簽到時間（課前）",
		hint: "上課前多少分鐘開始可以簽到；更早掃描會顯示「還沒到簽到時間」。",
	},
	checkOutClosesMinutes: {
		label: "簽退截止時間（課後）",
		hint: "下課後多少分鐘內仍可簽退；過了以後沒有簽退的人記為未簽退。",
	},
	qrRotationSeconds: {
		label: "簽到QR更新間隔",
		hint: "簽到 QR Code 每隔幾秒換一個（5–300 秒）；剛換下的前一個仍可使用，避免學員掃到一半失效。",
	},
	cancelWindowDays: {
		label: "學員自行銷假期限",
		hint: "假單在訓練單位審核前，學員可以自行銷假；請假這麼多天後或結訓後就不能再手動撤銷（手冊：請假 7 天後）。",
	},
	revokeWindowDays: {
		label: "訓練單位撤銷期限",
		hint: "已審核通過的假卡，訓練單位可在請假日後這麼多天內協助撤銷（手冊：請假 14 天內聯繫訓練單位處理）。",
	},
	backdateLimitDays: {
		label: "可補請假天數",
		hint: "學員最多可以補請幾天前的假；超過的請學員聯繫訓練單位。",
	},
	reviewWindowDays: {
		label: "審核期限",
		hint: "請假日後這麼多天仍未審核的假單會變成「已逾期」；不能短於可補請假天數。",
	},
	advanceNoticeDays: {
		label: "建議提前申請天數",
		hint: "事假、公假等計畫性的請假，建議至少提前幾天申請（手冊：至少提前 3 天）；只是提醒學員，不會拒收。",
	},
	[WARNING_FIELD]: {
		label: "請假時數警示",
		hint: "學員請假時數達到班級總時數的這個比例時，提醒學員與訓練單位（例如 10%）。",
	},
};

const ATTENDANCE_FIELDS: PlanNumberSetting[] = [
	"lateGraceMinutes",
	"earlyLeaveGraceMinutes",
	"checkInOpensMinutes",
	"checkOutClosesMinutes",
	"qrRotationSeconds",
];
const LEAVE_FIELDS: PlanNumberSetting[] = [
	"cancelWindowDays",
	"revokeWindowDays",
	"backdateLimitDays",
	"reviewWindowDays",
	"advanceNoticeDays",
];

/** The form as stored: what the page shows before anything is typed. */
export function planFormValues(plan: PlanDetail): PlanFormValues {
	const numbers = Object.fromEntries(
		(Object.keys(PLAN_NUMBER_SETTINGS) as PlanNumberSetting[]).map((k) => [k, String(plan.settings[k])]),
	) as Record<PlanNumberSetting, string>;
	return {
		...numbers,
		[WARNING_FIELD]: String(ratioToPercent(plan.settings.leaveHoursWarningRatio)),
		leaveTypes: plan.leaveTypes.filter((t) => t.enabled).map((t) => t.code),
	};
}

const NumberField: FC<{
	name: PlanNumberSetting | typeof WARNING_FIELD;
	value: string;
	error?: string | undefined;
}> = ({ name, value, error }) => {
	const { label, hint } = FIELDS[name];
	const bounds =
		name === WARNING_FIELD
			? { ...WARNING_PERCENT, unit: "%" }
			: { ...PLAN_NUMBER_SETTINGS[name], step: 1, unit: settingUnit(name) };
	const id = `f-${name}`;
	return (
		<div class={error ? "setting invalid" : "setting"}>
			<label for={id}>{label}</label>
			<span class="with-unit">
				<input
					id={id}
					type="number"
					name={name}
					value={value}
					min={bounds.min}
					max={bounds.max}
					step={bounds.step}
					inputmode={name === WARNING_FIELD ? "decimal" : "numeric"}
					required
					aria-invalid={error ? "true" : undefined}
					aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
				/>
				<span class="unit">{bounds.unit}</span>
			</span>
			{error && (
				<p class="field-error" id={`${id}-error`}>
					{error}
				</p>
			)}
			<p class="hint" id={`${id}-hint`}>
				{hint}
			</p>
		</div>
	);
};

export const PlanSettingsPage: FC<{
	staff: StaffMember;
	unitName: string;
	plan: PlanDetail;
	values: PlanFormValues;
	errors?: PlanFormErrors | undefined;
	message?: Message;
}> = ({ staff, unitName, plan, values, errors = {}, message }) => {
	const wrong = Object.keys(errors).length;
	return (
		<AdminLayout title={`設定：${plan.name}`} staff={staff} unitName={unitName} current="/admin/settings">
			<p class="back">
				<a href="/admin/settings">← 回計畫列表</a>
			</p>
			{message && <Notice kind={message.kind}>{message.text}</Notice>}
			{wrong > 0 && <Notice kind="error">有 {wrong} 個欄位需要修正，設定尚未儲存。</Notice>}
			<p class="muted">
				計畫代碼 {plan.code}・使用這個計畫的班級 {plan.classCount} 班
			</p>
			<p class="hint">
				儲存後，新的請假申請、審核與簽到退立即依新設定判斷；正在顯示簽到QR的課程最晚約 1
				分鐘內套用。已記錄的出缺勤與已送出的假單不會回頭重算。
			</p>
			<form method="post" action={`/admin/settings/plans/${plan.id}`} class="card plan-form">
				<fieldset>
					<legend>出勤</legend>
					{ATTENDANCE_FIELDS.map((k) => (
						<NumberField name={k} value={values[k]} error={errors[k]} />
					))}
				</fieldset>
				<fieldset>
					<legend>請假</legend>
					{LEAVE_FIELDS.map((k) => (
						<NumberField name={k} value={values[k]} error={errors[k]} />
					))}
					<NumberField name={WARNING_FIELD} value={values[WARNING_FIELD]} error={errors[WARNING_FIELD]} />
				</fieldset>
				<fieldset
					class={errors.leaveTypes ? "leave-types invalid" : "leave-types"}
					aria-describedby={errors.leaveTypes ? "f-leaveTypes-error f-leaveTypes-hint" : "f-leaveTypes-hint"}
				>
					<legend>假別</legend>
					{errors.leaveTypes && (
						<p class="field-error" id="f-leaveTypes-error">
							{errors.leaveTypes}
						</p>
					)}
					<p class="hint" id="f-leaveTypes-hint">
						學員只能申請勾選的假別，至少要勾選一種。取消勾選不影響已送出的假單：仍以原假別顯示，也可以照常審核。
					</p>
					<div class="checks">
						{plan.leaveTypes.map((t) => (
							<label class="check">
								<input
									type="checkbox"
									name={LEAVE_TYPES_FIELD}
									value={t.code}
									checked={values.leaveTypes.includes(t.code)}
								/>
								{t.name}
								{t.needsProof && <span class="muted">（建議附證明）</span>}
							</label>
						))}
					</div>
				</fieldset>
				<p class="actions">
					<button type="submit" class="primary">
						儲存設定
					</button>
					<a href={`/admin/settings/plans/${plan.id}`}>放棄修改</a>
				</p>
			</form>
		</AdminLayout>
	);
};

export type NewPlanValues = { code: string; name: string };
export type NewPlanErrors = Partial<Record<keyof NewPlanValues, string>>;

export const PlanListPage: FC<{
	staff: StaffMember;
	unitName: string;
	plans: PlanListItem[];
	newPlan?: { values: NewPlanValues; errors: NewPlanErrors } | undefined;
	message?: Message;
}> = ({ staff, unitName, plans, newPlan, message }) => (
	<AdminLayout title="設定" staff={staff} unitName={unitName} current="/admin/settings">
		{message && <Notice kind={message.kind}>{message.text}</Notice>}
		<h2>計畫</h2>
		<p class="hint">每個班級屬於一個計畫；計畫決定可請的假別、遲到寬限、銷假與審核期限等規則。</p>
		{plans.length === 0 ? (
			<p>目前沒有計畫。</p>
		) : (
			<table class="grid plan-list">
				<thead>
					<tr>
						<th scope="col">計畫代碼</th>
						<th scope="col">計畫名稱</th>
						<th scope="col">班級數</th>
						<th scope="col">啟用假別</th>
						<th scope="col">遲到寬限</th>
						<th scope="col">銷假／撤銷期限</th>
						<th scope="col">請假警示</th>
					</tr>
				</thead>
				<tbody>
					{plans.map((p) => (
						<tr>
							<td>
								<a href={`/admin/settings/plans/${p.id}`}>{p.code}</a>
							</td>
							<td class="plan-name">
								<a href={`/admin/settings/plans/${p.id}`}>{p.name}</a>
							</td>
							<td class="count">{p.classCount}</td>
							<td>
								{p.leaveTypeNames.length} 種
								<br />
								<span class="muted">{p.leaveTypeNames.join("、")}</span>
							</td>
							<td>{p.settings.lateGraceMinutes} 分鐘</td>
							<td>
								{p.settings.cancelWindowDays} 天／{p.settings.revokeWindowDays} 天
							</td>
							<td>{ratioToPercent(p.settings.leaveHoursWarningRatio)}%</td>
						</tr>
					))}
				</tbody>
			</table>
		)}
		<form method="post" action="/admin/settings/plans" class="card narrow new-plan">
			<h2>新增計畫</h2>
			<p class="hint">
				新計畫先套用手冊的規定（銷假 7 天、撤銷 14 天、建議提前 3 天）並啟用全部假別，新增後可再修改。
			</p>
			{(["code", "name"] as const).map((k) => {
				const error = newPlan?.errors[k];
				const id = `new-${k}`;
				return (
					<div class={error ? "setting invalid" : "setting"}>
						<label for={id}>{k === "code" ? "計畫代碼" : "計畫名稱"}</label>
						<input
							id={id}
							type="text"
							name={k}
							value={newPlan?.values[k] ?? ""}
							maxlength={k === "code" ? 32 : 100}
							required
							placeholder={k === "code" ? "例：PLAN-2026" : "例：產業人才投資計畫"}
							aria-invalid={error ? "true" : undefined}
							aria-describedby={error ? `${id}-error` : undefined}
						/>
						{error && (
							<p class="field-error" id={`${id}-error`}>
								{error}
							</p>
						)}
					</div>
				);
			})}
			<button type="submit" class="primary">
				新增計畫
			</button>
		</form>
	</AdminLayout>
);
