// Who may manage which dashboard accounts. The agency manages every account; a unit admin manages
// the accounts of their own unit (never an agency account); unit staff manage none.
import type { StaffRole } from "./roles";

export type StaffActor = { id: number; unitId: number | null; role: StaffRole };
export type StaffAccountRef = { id: number; unitId: number | null; role: StaffRole };

/** May open 帳號管理 at all. */
export const canManageStaff = (actor: StaffActor): boolean =>
	actor.role === "agency_admin" || actor.role === "unit_admin";

/** May see and change this account (the same answer for reading and writing). */
export function mayManage(actor: StaffActor, target: { unitId: number | null }): boolean {
	if (actor.role === "agency_admin") return true;
	return actor.role === "unit_admin" && actor.unitId !== null && target.unitId === actor.unitId;
}

/** The roles this actor may give a new account, in the order the form lists them. */
export function creatableRoles(actor: StaffActor): StaffRole[] {
	if (actor.role === "agency_admin") return ["unit_staff", "unit_admin", "agency_admin"];
	if (actor.role === "unit_admin") return ["unit_staff", "unit_admin"];
	return [];
}

export type CreateRefusal = "role_not_allowed" | "unit_not_allowed" | "unit_required" | "unit_forbidden";

/**
 * Why this actor may not create an account with this role and unit, or null when they may. Agency
 * admins belong to no unit; every other account belongs to exactly one (the schema checks it too).
 */
export function createRefusal(
	actor: StaffActor,
	input: { role: StaffRole; unitId: number | null },
): CreateRefusal | null {
	if (!creatableRoles(actor).includes(input.role)) return "role_not_allowed";
	if (input.role === "agency_admin") return input.unitId === null ? null : "unit_forbidden";
	if (input.unitId === null) return "unit_required";
	return mayManage(actor, { unitId: input.unitId }) ? null : "unit_not_allowed";
}

/** May disable or enable this account: a manager of it, but never of their own account. */
export const mayToggle = (actor: StaffActor, target: StaffAccountRef): boolean =>
	actor.id !== target.id && mayManage(actor, target);
