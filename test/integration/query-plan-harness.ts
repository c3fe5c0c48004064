// Asking SQLite how it runs the product's own queries: a D1 that records every statement prepared
// on it (with its bindings), then EXPLAIN QUERY PLAN for each. Shared by the query-plans tests.
import { env } from "cloudflare:test";
import { expect } from "vitest";

/** Tables that grow with every trainee, session, day or LINE user. */
export const LARGE = [
	"leave_requests",
	"leave_request_sessions",
	"attendance",
	"punches",
	"sessions",
	"enrollments",
	"people",
	"outbox",
	"audit_log",
	"webhook_events",
	"line_bindings",
	"line_users",
	"binding_requests",
	"otp_challenges",
	"consumed_tokens",
];

export type Recorded = { query: string; params: unknown[] };

/** A D1 that remembers every statement prepared on it, with what was bound to it. */
export function recordingD1(seen: Recorded[], base: D1Database = env.DB): D1Database {
	return new Proxy(base, {
		get(target, key) {
			if (key === "prepare")
				return (query: string) => {
					const entry: Recorded = { query, params: [] };
					seen.push(entry);
					const statement = target.prepare(query);
					const bind = statement.bind.bind(statement);
					statement.bind = (...params: unknown[]) => {
						entry.params = params;
						return bind(...params);
					};
					return statement;
				};
			const value = Reflect.get(target, key);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** The Worker's env with its D1 recording into `seen`. */
export const recordingEnv = <E extends { DB: D1Database }>(base: E, seen: Recorded[]): E => ({
	...base,
	DB: recordingD1(seen, base.DB),
});

export type Plan = { query: string; plan: string };

/** The plan of every recorded statement (statements D1 never ran are still explained). */
export async function explain(seen: Recorded[]): Promise<Plan[]> {
	expect(seen.length).toBeGreaterThan(0);
	const plans: Plan[] = [];
	for (const { query, params } of seen) {
		const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`)
			.bind(...params)
			.all<{ detail: string }>();
		plans.push({ query, plan: rows.results.map((r) => r.detail).join("\n") });
	}
	return plans;
}

/** Alias → table, from the FROM/JOIN clauses of a statement (plans name a table by its alias). */
function aliasesOf(query: string): Map<string, string> {
	const map = new Map<string, string>();
	const clause = /\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?/gi;
	for (const m of query.matchAll(clause)) {
		const table = m[1] as string;
		map.set(table, table);
		const alias = m[2];
		if (
			alias &&
			!/^(?:WHERE|ON|SET|LEFT|INNER|JOIN|CROSS|ORDER|GROUP|LIMIT|VALUES|SELECT|USING)$/i.test(alias)
		)
			map.set(alias, table);
	}
	return map;
}

/**
 * Plan lines that read a large table whole: `SCAN t`, and also `SCAN t USING [COVERING] INDEX i`
 * (an index walked end to end is still every row) — unless the statement has a LIMIT and no sort:
 * then the walk is in the ORDER BY's order and stops at the limit (e.g. the newest audit entries).
 */
export function fullScans({ query, plan }: Plan): string[] {
	const aliases = aliasesOf(query);
	const stopsAtLimit = /\blimit \?/i.test(query) && !/USE TEMP B-TREE FOR ORDER BY/.test(plan);
	return plan.split("\n").filter((line) => {
		const m = /^SCAN "?(\w+)"?(?: AS (\w+))?( USING (?:COVERING )?INDEX)?/.exec(line);
		if (!m || (m[3] && stopsAtLimit)) return false;
		const table = aliases.get(m[1] as string) ?? (m[1] as string);
		return LARGE.includes(table);
	});
}

/**
 * Plan lines that sort every matching row in a temporary b-tree for an ORDER BY. (`FOR LAST TERM OF
 * ORDER BY` / `RIGHT PART OF ORDER BY` only sorts ties of rows read in index order: it stops at the limit.)
 */
export const sorts = ({ plan }: Plan) =>
	plan.split("\n").filter((line) => /^USE TEMP B-TREE FOR ORDER BY/.test(line));

/** Every full scan of a large table among the plans, with the statement it came from. */
export function scansIn(plans: Plan[]): { query: string; scans: string[] }[] {
	return plans
		.map((p) => ({ query: squashed(p.query), scans: fullScans(p) }))
		.filter((p) => p.scans.length > 0);
}

const squashed = (query: string) => query.replace(/\s+/g, " ").slice(0, 400);

/** Tables a dashboard list pages through that grow with the years (classes: every class ever run). */
const GROWING = [...LARGE, "classes"];

/**
 * Statements that read one page (LIMIT, and OFFSET past the first) of a growing table's list and
 * sort all its matching rows to do it: each page would cost the whole list.
 */
export function sortedPages(plans: Plan[]): { query: string; sorts: string[] }[] {
	return plans
		.filter(
			(p) =>
				/\blimit \?/i.test(p.query) &&
				GROWING.some((t) => new RegExp(`\\bfrom "?${t}\\b`, "i").test(p.query)),
		)
		.map((p) => ({ query: squashed(p.query), sorts: sorts(p) }))
		.filter((p) => p.sorts.length > 0);
}
