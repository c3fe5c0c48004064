// Who may manage which dashboard account, and the rules of new passwords and password links.
import { describe, expect, it } from "vitest";
import {
	FIRST_PASSWORD_LINK_MS,
	linkLifetime,
	linkPurpose,
	linkState,
	MIN_PASSWORD_LENGTH,
	newPasswordProblem,
	RESET_PASSWORD_LINK_MS,
	staffStatus,
} from "../../src/domain/staff-password";
import {
	canManageStaff,
	creatableRoles,
	createRefusal,
	mayManage,
	mayToggle,
	type StaffActor,
} from "../../src/domain/staff-permissions";

const agency: StaffActor = { id: 1, unitId: null, role: "agency_admin" };
const northAdmin: StaffActor = { id: 2, unitId: 10, role: "unit_admin" };
const northClerk: StaffActor = { id: 3, unitId: 10, role: "unit_staff" };
const southAdmin: StaffActor = { id: 4, unitId: 20, role: "unit_admin" };

describe("who manages which account", () => {
	it("opens 帳號管理 to admins only", () => {
		expect([agency, northAdmin, northClerk].map(canManageStaff)).toEqual([true, true, false]);
	});

	it("lets the agency manage every account and a unit admin only their unit's", () => {
		expect(mayManage(agency, { unitId: 20 })).toBe(true);
		expect(mayManage(agency, { unitId: null })).toBe(true);
		expect(mayManage(northAdmin, { unitId: 10 })).toBe(true);
		expect(mayManage(northAdmin, { unitId: 20 })).toBe(false);
		expect(mayManage(northAdmin, { unitId: null })).toBe(false);
		expect(mayManage(northClerk, { unitId: 10 })).toBe(false);
	});

	it("never lets anyone disable or enable their own account", () => {
		expect(mayToggle(northAdmin, northAdmin)).toBe(false);
		expect(mayToggle(agency, agency)).toBe(false);
		expect(mayToggle(northAdmin, northClerk)).toBe(true);
		expect(mayToggle(southAdmin, northClerk)).toBe(false);
		expect(mayToggle(agency, { id: 9, unitId: null, role: "agency_admin" })).toBe(true);
	});

	it("lets only the agency create agency admins, without a unit", () => {
		expect(creatableRoles(agency)).toContain("agency_admin");
		expect(creatableRoles(northAdmin)).toEqual(["unit_staff", "unit_admin"]);
		expect(creatableRoles(northClerk)).toEqual([]);
		expect(createRefusal(agency, { role: "agency_admin", unitId: null })).toBeNull();
		expect(createRefusal(agency, { role: "agency_admin", unitId: 10 })).toBe("unit_forbidden");
		expect(createRefusal(agency, { role: "unit_staff", unitId: null })).toBe("unit_required");
		expect(createRefusal(agency, { role: "unit_admin", unitId: 20 })).toBeNull();
		expect(createRefusal(northAdmin, { role: "agency_admin", unitId: null })).toBe("role_not_allowed");
	});

	it("lets a unit admin create accounts of their own unit only", () => {
		expect(createRefusal(northAdmin, { role: "unit_staff", unitId: 10 })).toBeNull();
		expect(createRefusal(northAdmin, { role: "unit_admin", unitId: 10 })).toBeNull();
		expect(createRefusal(northAdmin, { role: "unit_staff", unitId: 20 })).toBe("unit_not_allowed");
		expect(createRefusal(northAdmin, { role: "unit_staff", unitId: null })).toBe("unit_required");
		expect(createRefusal(northClerk, { role: "unit_staff", unitId: 10 })).toBe("role_not_allowed");
	});
});

describe("new passwords", () => {
	it(`needs ${MIN_PASSWORD_LENGTH} characters, counted as people count them`, () => {
		expect(newPasswordProblem("a".repeat(MIN_PASSWORD_LENGTH - 1), "x@example.com")).toBe("too_short");
		expect(newPasswordProblem("a".repeat(MIN_PASSWORD_LENGTH), "x@example.com")).toBeNull();
		// Nine emoji are 18 UTF-16 units but nine characters.
		expect(newPasswordProblem("😀".repeat(MIN_PASSWORD_LENGTH - 1), "x@example.com")).toBe("too_short");
	});

	it("may not be the e-mail, whatever its case or surrounding spaces", () => {
		expect(newPasswordProblem(" Clerk@Unit.Example ", "clerk@unit.example")).toBe("same_as_email");
		expect(newPasswordProblem("clerk@unit.example2", "clerk@unit.example")).toBeNull();
	});
});

describe("password links", () => {
	it("give a first password 72 hours and a reset one hour", () => {
		expect(linkPurpose(false)).toBe("first");
		expect(linkPurpose(true)).toBe("reset");
		expect(linkLifetime("first")).toBe(FIRST_PASSWORD_LINK_MS);
		expect(FIRST_PASSWORD_LINK_MS).toBe(72 * 3_600_000);
		expect(linkLifetime("reset")).toBe(RESET_PASSWORD_LINK_MS);
		expect(RESET_PASSWORD_LINK_MS).toBeLessThan(FIRST_PASSWORD_LINK_MS);
	});

	it("work until the millisecond before expiry, and never once used", () => {
		const expiresAt = Date.UTC(2026, 2, 1, 17, 0);
		expect(linkState({ expiresAt, usedAt: null }, expiresAt - 1)).toBe("usable");
		expect(linkState({ expiresAt, usedAt: null }, expiresAt)).toBe("expired");
		expect(linkState({ expiresAt, usedAt: expiresAt - 5000 }, expiresAt - 1000)).toBe("used");
		expect(linkState({ expiresAt, usedAt: expiresAt - 5000 }, expiresAt + 1000)).toBe("used");
	});
});

describe("account status", () => {
	it("is disabled before anything else, then waits for a password", () => {
		expect(staffStatus({ disabledAt: 1, hasPassword: true })).toBe("disabled");
		expect(staffStatus({ disabledAt: 1, hasPassword: false })).toBe("disabled");
		expect(staffStatus({ disabledAt: null, hasPassword: false })).toBe("pending_password");
		expect(staffStatus({ disabledAt: null, hasPassword: true })).toBe("active");
	});
});
