// The audit log's vocabulary in zh-TW: every action some service writes (grep `action:` next to
// auditStatement/auditLog), the entity types, and who can act. A new audited action adds a line here;
// until then the log shows its raw code and the filter does not offer it.

export const AUDIT_ACTION_LABELS = {
	"leave.submitted": "學員申請請假",
	"leave.attachment_added": "學員補附證明文件",
	"leave.withdrawn": "學員銷假",
	"leave.approved": "核准請假",
	"leave.rejected": "拒絕請假",
	"leave.revoked": "撤銷已通過的假單",
	"leave.expired": "假單逾期未審核",
	"attendance.corrected": "更正出勤",
	"roster.import": "匯入學員名冊",
	"timetable.import": "匯入課表",
	"session.added": "新增課程",
	"session.edited": "修改課程",
	"session.cancelled": "停課",
	"plan.created": "新增計畫",
	"plan.settings_updated": "變更計畫設定",
	"staff.created": "新增帳號",
	"staff.disabled": "停用帳號",
	"staff.enabled": "啟用帳號",
	"staff.password_link_sent": "寄送設定密碼連結",
	"staff.password_reset_requested": "申請重設密碼",
	"staff.password_set": "設定首次密碼",
	"staff.password_reset": "重設密碼",
	"staff.password_changed": "變更密碼",
	"line_binding.created": "綁定 LINE",
	"line_binding.moved": "LINE 綁定改到新帳號",
	"line_binding.removed": "解除 LINE 綁定",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export const isAuditAction = (value: string): value is AuditAction =>
	Object.hasOwn(AUDIT_ACTION_LABELS, value);

export const auditActionLabel = (action: string) =>
	isAuditAction(action) ? AUDIT_ACTION_LABELS[action] : action;

export const AUDIT_ENTITY_LABELS = {
	leave_request: "假單",
	attendance: "出勤紀錄",
	class: "班級",
	session: "課程",
	plan: "計畫",
	person: "學員／教師",
	staff: "管理後台帳號",
} as const satisfies Record<string, string>;

export type AuditEntityType = keyof typeof AUDIT_ENTITY_LABELS;

export const AUDIT_ENTITY_TYPES = Object.keys(AUDIT_ENTITY_LABELS) as AuditEntityType[];

export const isAuditEntityType = (value: string): value is AuditEntityType =>
	Object.hasOwn(AUDIT_ENTITY_LABELS, value);

export const AUDIT_ACTOR_LABELS = {
	staff: "管理後台人員",
	line_user: "LINE 使用者",
	system: "系統",
} as const;

export type AuditActorType = keyof typeof AUDIT_ACTOR_LABELS;
