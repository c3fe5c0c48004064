// Who is who: LINE identities (a LINE user may hold both) and dashboard staff roles.

export const LINE_ROLES = ["trainee", "teacher"] as const;
export type LineRole = (typeof LINE_ROLES)[number];

export const LINE_ROLE_LABELS: Record<LineRole, string> = { trainee: "學員", teacher: "教師" };

export const STAFF_ROLES = ["agency_admin", "unit_admin", "unit_staff"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
	agency_admin: "勞發署管理者",
	unit_admin: "訓練單位管理者",
	unit_staff: "訓練單位承辦人",
};
