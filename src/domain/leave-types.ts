// The ten leave types of the agency's manual. A plan enables a subset (plan_leave_types).

/**
 * kind decides how a type meets attendance: "absence" covers the whole session (the trainee was not
 * there); "late" and "missed_punch" excuse a late or missing punch of a session the trainee attended.
 * planned types are the ones the manual asks to file at least three days ahead.
 */
export const LEAVE_TYPES = [
	{ code: "sick", name: "病假", kind: "absence", needsProof: false, planned: false },
	{ code: "personal", name: "事假", kind: "absence", needsProof: false, planned: true },
	{ code: "official", name: "公假", kind: "absence", needsProof: true, planned: true },
	{ code: "absent", name: "曠課", kind: "absence", needsProof: false, planned: false },
	{ code: "bereavement", name: "喪假", kind: "absence", needsProof: true, planned: false },
	{ code: "late", name: "遲到", kind: "late", needsProof: false, planned: false },
	{ code: "missed_punch", name: "未打卡", kind: "missed_punch", needsProof: false, planned: false },
	{ code: "quarantine", name: "防疫隔離假", kind: "absence", needsProof: true, planned: false },
	{ code: "covid_test", name: "核酸檢測假", kind: "absence", needsProof: true, planned: false },
	{ code: "vaccination", name: "疫苗接種假", kind: "absence", needsProof: true, planned: true },
] as const;

export type LeaveTypeCode = (typeof LEAVE_TYPES)[number]["code"];
export type LeaveKind = (typeof LEAVE_TYPES)[number]["kind"];

export const LEAVE_TYPE_CODES = LEAVE_TYPES.map((t) => t.code) as [LeaveTypeCode, ...LeaveTypeCode[]];

export function leaveTypeName(code: string): string {
	return LEAVE_TYPES.find((t) => t.code === code)?.name ?? code;
}
