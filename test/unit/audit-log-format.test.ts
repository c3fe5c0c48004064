// The audit log's pure parts: which keys changed, and personal data masked wherever it hides.
import { describe, expect, it } from "vitest";
import { auditChanges, WHOLE_VALUE } from "../../src/domain/audit-diff";
import { AUDIT_ACTIONS, auditActionLabel, isAuditAction } from "../../src/domain/audit-vocabulary";
import { HIDDEN, maskField, maskPersonalText } from "../../src/domain/pii-mask";

describe("auditChanges", () => {
	it("lists only the keys whose value changed, after's order first", () => {
		expect(
			auditChanges(
				JSON.stringify({ status: "pending", hours: 3, gone: "x" }),
				JSON.stringify({ remark: "准假", status: "approved", hours: 3 }),
			),
		).toEqual([
			{ key: "remark", before: undefined, after: "准假" },
			{ key: "status", before: "pending", after: "approved" },
			{ key: "gone", before: "x", after: undefined },
		]);
	});

	it("treats a missing side, JSON null and a null value alike", () => {
		expect(auditChanges(null, JSON.stringify({ a: 1, b: null }))).toEqual([
			{ key: "a", before: undefined, after: 1 },
		]);
		expect(auditChanges("null", JSON.stringify({ a: 1 }))).toEqual([
			{ key: "a", before: undefined, after: 1 },
		]);
		expect(auditChanges(null, null)).toEqual([]);
		expect(auditChanges(JSON.stringify({ a: [1, 2] }), JSON.stringify({ a: [1, 2] }))).toEqual([]);
	});

	it("compares nested objects key by key and arrays as one value", () => {
		expect(
			auditChanges(
				JSON.stringify({ settings: { lateGraceMinutes: 10, qr: 15 }, leaveTypes: ["sick"] }),
				JSON.stringify({ settings: { lateGraceMinutes: 15, qr: 15 }, leaveTypes: ["sick", "official"] }),
			),
		).toEqual([
			{ key: "settings.lateGraceMinutes", before: 10, after: 15 },
			{ key: "leaveTypes", before: ["sick"], after: ["sick", "official"] },
		]);
	});

	it("shows text that is not JSON, and bare values, as one whole value instead of failing", () => {
		expect(auditChanges("{broken", JSON.stringify([1, 2]))).toEqual([
			{ key: WHOLE_VALUE, before: "{broken", after: [1, 2] },
		]);
	});
});

describe("maskPersonalText", () => {
	it.each([
		["身分證 A123456789 的學員", "身分證 A12****789 的學員"],
		["居留證 AC01234567", "居留證 AC0****567"],
		["全形 Ａ１２３４５６７８９", "全形 A12****789"],
		["請寄 wang.xm@example.com 謝謝", "請寄 w***@example.com 謝謝"],
		["手機0912-345-678", "手機09xx-xxx-678"],
		["手機 +886912345678、0912 345 678", "手機 09xx-xxx-678、09xx-xxx-678"],
		[`LINE U${"0123456789abcdef".repeat(2)}`, "LINE U****cdef"],
	])("%s → %s", (input, output) => {
		expect(maskPersonalText(input)).toBe(output);
	});

	it("leaves ordinary text, dates, times and short numbers alone", () => {
		const text = "115/03/02 09:05 補登，座號 12，假單 #1234567890";
		expect(maskPersonalText(text)).toBe(text);
	});
});

describe("maskField", () => {
	it("masks by what the key says, whatever the value looks like", () => {
		expect(maskField("nationalId", "b123456789")).toBe("B12****789");
		expect(maskField("email", "Someone@Example.com")).toBe("S***@Example.com");
		expect(maskField("phone", "+886912345678")).toBe("09xx-xxx-678");
		expect(maskField("lineUserId", "Uabcdef0123")).toBe("U****0123");
		expect(maskField("birthDate", "1990-05-25")).toBe(HIDDEN);
		expect(maskField("passwordHash", "pbkdf2$…")).toBe(HIDDEN);
		expect(maskField("phone", 912345678)).toBe(HIDDEN);
	});

	it("masks nested values and free text under ordinary keys, and keeps other values", () => {
		expect(
			maskField("after", { remark: "打 0912345678", people: [{ email: "a@b.co" }], hours: 3, ok: true }),
		).toEqual({ remark: "打 09xx-xxx-678", people: [{ email: "a***@b.co" }], hours: 3, ok: true });
		expect(maskField("status", "approved")).toBe("approved");
		expect(maskField("remark", null)).toBeNull();
	});
});

describe("the action vocabulary", () => {
	it("has a zh-TW label for every action and the raw code for one it does not know", () => {
		for (const action of AUDIT_ACTIONS) expect(auditActionLabel(action)).toMatch(/[\u4e00-\u9fff]/);
		expect(isAuditAction("leave.approved")).toBe(true);
		expect(isAuditAction("toString")).toBe(false);
		expect(auditActionLabel("something.new")).toBe("something.new");
	});
});
