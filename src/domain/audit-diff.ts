// What an audit entry changed: the keys whose value differs between its before and after JSON, in
// the order the after side lists them. Nested objects are compared key by key ("settings.x"); arrays
// are one value. Unreadable JSON is shown as one value, never thrown.

/** One changed key; `undefined` on a side means the key was not there (or there was no side). */
export type AuditChange = { key: string; before: unknown; after: unknown };

/** The key used when a side is not an object (a bare value, an array, or text that is not JSON). */
export const WHOLE_VALUE = "";

function parseSide(text: string | null): Record<string, unknown> | null {
	if (text === null) return null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { [WHOLE_VALUE]: text };
	}
	if (value === null) return null;
	if (isPlainObject(value)) return flatten(value, "", {});
	return { [WHOLE_VALUE]: value };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === "object" && value !== null && !Array.isArray(value);

function flatten(value: Record<string, unknown>, prefix: string, into: Record<string, unknown>) {
	for (const [key, inner] of Object.entries(value)) {
		if (isPlainObject(inner) && Object.keys(inner).length > 0) flatten(inner, `${prefix}${key}.`, into);
		else into[`${prefix}${key}`] = inner;
	}
	return into;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function auditChanges(beforeText: string | null, afterText: string | null): AuditChange[] {
	const before = parseSide(beforeText) ?? {};
	const after = parseSide(afterText) ?? {};
	const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
	return keys
		.map((key) => ({
			key,
			before: Object.hasOwn(before, key) ? before[key] : undefined,
			after: Object.hasOwn(after, key) ? after[key] : undefined,
		}))
		.filter((c) => !same(c.before ?? null, c.after ?? null));
}
