// One audit entry as people read it (page and CSV alike): Taipei time in both calendars, who, what,
// on which record (with the page that shows it), and only the keys that changed, in words. Personal
// data is masked before anything is formatted; nothing here is truncated (the page does that).

import { ATTENDANCE_STATUS_LABELS } from "../../domain/attendance-status";
import { auditChanges, WHOLE_VALUE } from "../../domain/audit-diff";
import { AUDIT_ACTOR_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel } from "../../domain/audit-vocabulary";
import { LEAVE_STATUS_LABELS } from "../../domain/leave-status";
import { maskField, maskPersonalText } from "../../domain/pii-mask";
import { formatRocDate } from "../../domain/roc-date";
import { LINE_ROLE_LABELS, STAFF_ROLE_LABELS } from "../../domain/roles";
import { TAIPEI_OFFSET_MS, taipeiDate, taipeiTime } from "../../domain/taipei-time";
import { type AuditNames, actorPersonId, attendanceIds } from "../../services/audit-log-names";
import type { AuditLogRow } from "../../services/audit-log-query";
import { PUNCH_METHOD_LABELS } from "./session-punches";

export type AuditEntityPart = { label: string; href?: string | undefined };
export type AuditChangeView = { key: string; before: string | null; after: string | null };

export type AuditEntryView = {
	id: number;
	/** Taipei date "YYYY-MM-DD", its ROC form, "HH:mm:ss", and an ISO instant with +08:00. */
	date: string;
	rocDate: string;
	time: string;
	iso: string;
	unitName: string | null;
	actor: string;
	action: string;
	entity: AuditEntityPart[];
	/** The filter that lists this record's whole history. */
	entityFilter: { entityType: string; entityId: string };
	reason: string | null;
	changes: AuditChangeView[];
	requestId: string | null;
};

const KEY_LABELS: Record<string, string> = {
	[WHOLE_VALUE]: "內容",
	status: "狀態",
	remark: "備註",
	type: "假別",
	leaveTypeCode: "假別",
	sessions: "節次",
	hours: "時數",
	fileName: "檔名",
	contentType: "檔案類型",
	size: "檔案大小",
	checkInAt: "簽到時間",
	checkInMethod: "簽到方式",
	checkOutAt: "簽退時間",
	checkOutMethod: "簽退方式",
	correctedAt: "更正時間",
	correctedByStaffId: "更正人員",
	correctionReason: "更正原因",
	rows: "筆數",
	classIds: "班級",
	lineUserId: "LINE 帳號",
	role: "身分",
	name: "姓名",
	email: "電子郵件",
	phone: "手機",
	nationalId: "身分證字號",
	birthDate: "出生日期",
	note: "附註",
	code: "代碼",
	unitId: "訓練單位",
	date: "日期",
	startsAt: "開始時間",
	endsAt: "結束時間",
	subject: "課程名稱",
	teacherPersonId: "教師",
	room: "教室",
	cancelled: "停課",
	leaveRequests: "相關假單",
	disabled: "停用",
	via: "方式",
	expiresAt: "連結到期",
	skipped: "略過筆數",
	leaveTypes: "開放假別",
	lateGraceMinutes: "遲到寬限（分鐘）",
	earlyLeaveGraceMinutes: "早退寬限（分鐘）",
	cancelWindowDays: "學員銷假期限（天）",
	revokeWindowDays: "單位撤銷期限（天）",
	backdateLimitDays: "可補請假（天）",
	reviewWindowDays: "審核期限（天）",
	advanceNoticeDays: "建議提前請假（天）",
	leaveHoursWarningRatio: "請假時數警示比例",
	checkInOpensMinutes: "提前開放簽到（分鐘）",
	checkOutClosesMinutes: "簽退截止（課後分鐘）",
	qrRotationSeconds: "QR Code 更新（秒）",
};

/** "settings.lateGraceMinutes" reads as its last part; a key no one named is shown as it is. */
const keyLabel = (key: string) => KEY_LABELS[key] ?? KEY_LABELS[key.split(".").at(-1) ?? ""] ?? key;

const lookup = (labels: Record<string, string>, value: unknown) =>
	typeof value === "string" && Object.hasOwn(labels, value) ? labels[value] : undefined;

const when = (instant: number) => `${formatRocDate(taipeiDate(instant))} ${taipeiTime(instant)}`;

/** One (already masked) value in words; null when there is none. */
function formatValue(fullKey: string, value: unknown, entityType: string, names: AuditNames): string | null {
	if (value === null || value === undefined) return null;
	const key = fullKey.split(".").at(-1) ?? fullKey;
	if (typeof value === "number" && key.endsWith("At") && value > 1e11) return when(value);
	if (typeof value === "number" && key.endsWith("StaffId")) return names.staff.get(value) ?? `帳號 #${value}`;
	if (typeof value === "number" && key.endsWith("PersonId"))
		return names.people.get(value) ?? `人員 #${value}`;
	if (typeof value === "number" && key === "unitId") return names.units.get(value) ?? `#${value}`;
	if (key === "status") {
		const labels: Record<string, string> =
			entityType === "attendance" ? ATTENDANCE_STATUS_LABELS : LEAVE_STATUS_LABELS;
		return lookup(labels, value) ?? String(value);
	}
	if ((key === "type" || key === "leaveTypeCode") && typeof value === "string")
		return names.leaveTypes.get(value) ?? value;
	if (key.endsWith("Method")) return lookup(PUNCH_METHOD_LABELS, value) ?? String(value);
	if (key === "role") return lookup({ ...LINE_ROLE_LABELS, ...STAFF_ROLE_LABELS }, value) ?? String(value);
	if (key === "sessions" && Array.isArray(value)) return `${value.length} 節`;
	if (key === "leaveTypes" && Array.isArray(value))
		return value.map((code) => names.leaveTypes.get(String(code)) ?? String(code)).join("、");
	if (key === "leaveRequests" && Array.isArray(value)) return value.map((id) => `#${id}`).join("、") || "無";
	if (key === "via" && value === "link") return "電子郵件連結";
	if (key === "classIds" && Array.isArray(value))
		return value.map((id) => names.classes.get(Number(id))?.code ?? `#${id}`).join("、");
	if (key === "size" && typeof value === "number") return `${Math.max(1, Math.round(value / 1024))} KB`;
	if (typeof value === "boolean") return value ? "是" : "否";
	if (typeof value === "string") return value;
	if (typeof value === "number") return String(value);
	return JSON.stringify(value);
}

function actorOf(row: AuditLogRow, names: AuditNames): string {
	if (row.actorType === "system") return AUDIT_ACTOR_LABELS.system;
	if (row.actorType === "line_user") {
		const id = actorPersonId(row);
		const name = id === null ? undefined : names.people.get(id);
		return name ? `${AUDIT_ACTOR_LABELS.line_user}（${name}）` : AUDIT_ACTOR_LABELS.line_user;
	}
	return names.staff.get(Number(row.actorId)) ?? `帳號 #${maskPersonalText(row.actorId ?? "")}`;
}

function entityOf(row: AuditLogRow, names: AuditNames): AuditEntityPart[] {
	const id = row.entityId;
	switch (row.entityType) {
		case "leave_request":
			return /^\d+$/.test(id)
				? [{ label: `假單 #${id}`, href: `/admin/leave/${id}` }]
				: [{ label: `假單 ${id}` }];
		case "attendance": {
			const { sessionId, personId } = attendanceIds(id);
			const session = sessionId === null ? undefined : names.sessions.get(sessionId);
			const person = (personId !== null && names.people.get(personId)) || `人員 #${personId ?? "?"}`;
			const what = session
				? `${person}・${formatRocDate(session.date)} ${taipeiTime(session.startsAt)} ${session.subject}`
				: `${person}・課程 #${sessionId ?? "?"}`;
			return [
				{
					label: `出勤 ${what}`,
					href: sessionId === null ? undefined : `/admin/sessions/${sessionId}/punches#p-${personId ?? ""}`,
				},
			];
		}
		case "class":
			return id.split(",").map((part) => {
				const klass = names.classes.get(Number(part));
				return klass
					? { label: `班級 ${klass.code} ${klass.name}`, href: `/admin/classes/${part}` }
					: { label: `班級 #${part}` };
			});
		case "session": {
			const session = names.sessions.get(Number(id));
			const klass = session ? names.classes.get(session.classId) : undefined;
			const label = session
				? `課程 ${klass ? `${klass.code} ` : ""}${formatRocDate(session.date)} ${taipeiTime(session.startsAt)} ${session.subject}`
				: `課程 #${id}`;
			return [{ label, href: /^\d+$/.test(id) ? `/admin/sessions/${id}/punches` : undefined }];
		}
		case "plan":
			return [
				{
					label: `計畫 ${names.plans.get(Number(id)) ?? `#${id}`}`,
					href: /^\d+$/.test(id) ? `/admin/settings/plans/${id}` : undefined,
				},
			];
		case "person":
			return [{ label: `學員／教師 ${names.people.get(Number(id)) ?? `#${id}`}` }];
		case "staff":
			return [
				{
					label: `帳號 ${names.staff.get(Number(id)) ?? `#${id}`}`,
					href: /^\d+$/.test(id) ? `/admin/staff/${id}` : undefined,
				},
			];
		default: {
			const type = lookup(AUDIT_ENTITY_LABELS, row.entityType) ?? row.entityType;
			return [{ label: maskPersonalText(`${type} #${id}`) }];
		}
	}
}

export function auditEntryView(row: AuditLogRow, names: AuditNames): AuditEntryView {
	const date = taipeiDate(row.at);
	const wall = new Date(row.at + TAIPEI_OFFSET_MS).toISOString();
	return {
		id: row.id,
		date,
		rocDate: formatRocDate(date),
		time: wall.slice(11, 19),
		iso: `${wall.slice(0, 19)}+08:00`,
		unitName: row.unitId === null ? null : (names.units.get(row.unitId) ?? `#${row.unitId}`),
		actor: actorOf(row, names),
		action: maskPersonalText(auditActionLabel(row.action)),
		entity: entityOf(row, names),
		entityFilter: { entityType: row.entityType, entityId: row.entityId },
		reason: row.reason === null ? null : maskPersonalText(row.reason),
		changes: auditChanges(row.before, row.after).map((c) => ({
			key: maskPersonalText(keyLabel(c.key)),
			before: formatValue(c.key, maskField(c.key, c.before), row.entityType, names),
			after: formatValue(c.key, maskField(c.key, c.after), row.entityType, names),
		})),
		requestId: row.requestId,
	};
}
