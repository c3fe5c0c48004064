import { describe, expect, it } from "vitest";
import { chunkForParams, D1_MAX_PARAMS } from "../../src/db/batch";

describe("chunkForParams", () => {
	it("keeps every chunk within D1's 100 bound parameters", () => {
		const rows = Array.from({ length: 250 }, (_, i) => i);
		const chunks = chunkForParams(rows, 12);
		expect(chunks.every((c) => c.length * 12 <= D1_MAX_PARAMS)).toBe(true);
		expect(chunks.flat()).toEqual(rows);
		expect(chunks[0]).toHaveLength(8);
	});
	it("puts a row wider than the limit alone", () => {
		expect(chunkForParams([1, 2], 150)).toEqual([[1], [2]]);
		expect(chunkForParams([], 5)).toEqual([]);
	});
});
