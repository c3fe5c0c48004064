// Structured log lines (JSON, one per event). Never pass personal data here: no national IDs,
// phones, e-mails, codes or names; ids and masked forms only.

type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", event: string, fields: Fields): void {
	const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...fields });
	if (level === "error") console.error(line);
	else if (level === "warn") console.warn(line);
	else console.log(line);
}

export const log = {
	info: (event: string, fields: Fields = {}) => write("info", event, fields),
	warn: (event: string, fields: Fields = {}) => write("warn", event, fields),
	error: (event: string, fields: Fields = {}) => write("error", event, fields),
};

/**
 * An error as a log field. drizzle puts the bound values of a failed query on a "params:" line,
 * which can hold personal data: that line is dropped; the cause (D1's own message) is kept.
 */
export function describeError(err: unknown): string {
	const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
	const cause = err instanceof Error && err.cause instanceof Error ? `\ncaused by: ${err.cause.message}` : "";
	return (text + cause)
		.split("\n")
		.filter((line) => !line.trimStart().startsWith("params:"))
		.join("\n");
}
