import { describe, expect, it } from "vitest";
import { describeError } from "../../src/log";

describe("describeError", () => {
	it("drops the bound values drizzle adds to a failed query, keeping the SQL and D1's reason", () => {
		const err = new Error(
			'Failed query: insert into "people" ("name", "phone") values (?, ?)\nparams: 王小明,+886912345678',
			{
				cause: new Error("D1_ERROR: UNIQUE constraint failed: people.phone"),
			},
		);
		const text = describeError(err);
		expect(text).toContain('insert into "people"');
		expect(text).toContain("UNIQUE constraint failed");
		expect(text).not.toContain("+886912345678");
		expect(text).not.toContain("王小明");
	});
});
