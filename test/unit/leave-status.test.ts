import { describe, expect, it } from "vitest";
import {
	canTransition,
	isActiveLeaveStatus,
	LEAVE_STATUS_LABELS,
	LEAVE_STATUSES,
} from "../../src/domain/leave-status";
import { LEAVE_TYPES } from "../../src/domain/leave-types";

describe("leave life cycle", () => {
	it("lets a pending request be approved, rejected, withdrawn or expire", () => {
		for (const to of ["approved", "rejected", "cancelled", "expired"] as const) {
			expect(canTransition("pending", to)).toBe(true);
		}
	});
	it("lets only revocation follow approval, and nothing follow a final state", () => {
		expect(canTransition("approved", "revoked")).toBe(true);
		expect(canTransition("approved", "cancelled")).toBe(false);
		expect(canTransition("approved", "rejected")).toBe(false);
		for (const from of ["rejected", "cancelled", "revoked", "expired"] as const) {
			for (const to of LEAVE_STATUSES) expect(canTransition(from, to)).toBe(false);
		}
	});
	it("treats pending and approved as holding their sessions", () => {
		expect(LEAVE_STATUSES.filter(isActiveLeaveStatus)).toEqual(["pending", "approved"]);
	});
	it("labels statuses as the manual does", () => {
		expect(LEAVE_STATUS_LABELS.pending).toBe("待審核");
		expect(LEAVE_STATUS_LABELS.approved).toBe("已通過");
		expect(LEAVE_STATUS_LABELS.rejected).toBe("已拒絕");
		expect(LEAVE_STATUS_LABELS.expired).toBe("已逾期");
	});
});

describe("leave types", () => {
	it("are the manual's ten, in its order", () => {
		expect(LEAVE_TYPES.map((t) => t.name)).toEqual([
			"病假",
			"事假",
			"公假",
			"曠課",
			"喪假",
			"遲到",
			"未打卡",
			"防疫隔離假",
			"核酸檢測假",
			"疫苗接種假",
		]);
	});
});
