/// <reference types="vite/client" />
// Every action a service writes to the audit log has a zh-TW label, so 稽核紀錄 never shows a raw
// code and its filter offers every action.
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS } from "../../src/domain/audit-vocabulary";

const sources = import.meta.glob<string>("../../src/**/*.{ts,tsx}", {
	query: "?raw",
	import: "default",
	eager: true,
});

describe("the audit vocabulary", () => {
	it("labels every action written in src/", () => {
		const written = new Set<string>();
		for (const [path, text] of Object.entries(sources)) {
			// The modules that write audit entries: every "area.verb" literal in them is an action.
			if (path.endsWith("audit-vocabulary.ts") || !/\bauditLog\b|auditStatement/.test(text)) continue;
			for (const m of text.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) written.add(m[1] as string);
		}
		expect(written).toContain("leave.approved");
		expect(written).toContain("staff.password_set");
		const unlabelled = [...written].filter((action) => !Object.hasOwn(AUDIT_ACTION_LABELS, action));
		expect(unlabelled).toEqual([]);
	});
});
