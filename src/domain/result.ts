// A small success/failure value for pure parsers: callers decide how to report the failure.

export type Ok<T> = { ok: true; value: T };
export type Failure = { ok: false; code: string; message: string };
export type Result<T> = Ok<T> | Failure;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Failure => ({ ok: false, code, message });
