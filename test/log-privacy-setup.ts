// Every console line written in the test isolate (the app logs only through src/log.ts, which writes
// console.log/warn/error) is recorded; a test file whose lines hold a national ID, phone, e-mail,
// code or token fails when it ends. test/integration/log-privacy.test.ts proves the app's lines are seen.
import { afterAll } from "vitest";
import { leakingLines, logStore } from "./log-privacy";

const store = logStore();
// Storage and modules may be fresh per test file while the isolate's console is not: wrap it once.
if (!store.wrapped) {
	store.wrapped = true;
	for (const level of ["log", "info", "warn", "error", "debug"] as const) {
		const original = console[level];
		console[level] = (...args: unknown[]) => {
			logStore().lines.push(args.map((a) => (typeof a === "string" ? a : describe(a))).join(" "));
			original.apply(console, args);
		};
	}
}
store.lines = [];

function describe(value: unknown): string {
	if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ""}`;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

afterAll(() => {
	const leaks = leakingLines();
	if (leaks.length === 0) return;
	const report = leaks
		.slice(0, 10)
		.map(
			({ line, leaks }) =>
				`  ${leaks.map((l) => `${l.kind} «${l.match}»`).join(", ")} in: ${line.slice(0, 300)}`,
		)
		.join("\n");
	throw new Error(`${leaks.length} log line(s) hold personal data or a credential:\n${report}`);
});
