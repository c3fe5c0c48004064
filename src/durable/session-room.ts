// SessionRoom: one Durable Object per class session, the single point every punch of it passes
// through (ARCHITECTURE §2). Its synchronous SQLite storage makes check-then-write atomic: all
// awaiting (loading the session from D1) happens before the check, none between check and write.
// Accepted and refused punches are then written through to D1; if D1 fails they stay in the room
// and an alarm writes them later. Displays get live counts over hibernatable WebSockets.
import { DurableObject } from "cloudflare:workers";
import { runInBatches } from "../db/batch";
import { createDb } from "../db/client";
import type { PunchAction, PunchMethod } from "../domain/attendance-status";
import {
	maskName,
	PUNCH_REFUSAL_MESSAGES,
	type PunchRefusal,
	type PunchTiming,
	punchTiming,
	punchWindowRefusal,
	SHORT_CODE_WINDOW_MS,
} from "../domain/punch-rules";
import type { LineRole } from "../domain/roles";
import { describeError, log } from "../log";
import {
	loadSessionContext,
	type PunchLogRow,
	type RecordRow,
	type SessionContext,
	writeThroughStatements,
} from "../services/punch-store";

export type PunchRequest = {
	sessionId: number;
	personId: number;
	role: LineRole;
	action: PunchAction;
	method: PunchMethod;
	at: number;
	/** A token that may be used once: per action (personal QR) or once at all (scan ticket). */
	singleUse?: { jti: string; perAction: boolean };
};

export type PunchOutcome =
	| {
			ok: true;
			action: PunchAction;
			/** The recorded time: the first check-in, or the latest check-out. */
			at: number;
			timing: PunchTiming;
			/** True when this person had already checked in: the first time stands. */
			repeated: boolean;
			name: string;
			/** Which session it was recorded for (a trainee may have two open at once). */
			subject: string;
			className: string;
	  }
	| { ok: false; code: PunchRefusal | "SESSION_NOT_FOUND"; message: string };

export type LiveState = {
	sessionId: number;
	checkedIn: number;
	expected: number;
	recent: { name: string; at: number }[];
};

/** How long a loaded context is trusted before the roster is read again (late enrolments). */
const CONTEXT_TTL_MS = 60_000;
const RETRY_DELAY_MS = 5_000;

export class SessionRoom extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private context: { value: SessionContext | null; loadedAt: number; loading?: Promise<void> } | null = null;
	/** Bumped by reload(): a read of D1 that began before it must not count as fresh. */
	private generation = 0;
	private flushing: Promise<void> | null = null;
	private flushAgain = false;
	/** An alarm is pending that will write whatever D1 still lacks (set by this instance). */
	private alarmPending = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		ctx.blockConcurrencyWhile(async () => {
			this.sql.exec(`CREATE TABLE IF NOT EXISTS records (
				person_id INTEGER PRIMARY KEY, role TEXT NOT NULL,
				check_in_at INTEGER, check_in_method TEXT, check_out_at INTEGER, check_out_method TEXT,
				version INTEGER NOT NULL DEFAULT 0, written INTEGER NOT NULL DEFAULT 0)`);
			this.sql.exec(`CREATE TABLE IF NOT EXISTS punch_log (
				punch_key TEXT PRIMARY KEY, person_id INTEGER, role TEXT, action TEXT NOT NULL,
				method TEXT NOT NULL, at INTEGER NOT NULL, accepted INTEGER NOT NULL, reason TEXT,
				written INTEGER NOT NULL DEFAULT 0)`);
			this.sql.exec(
				"CREATE TABLE IF NOT EXISTS used_tokens (jti TEXT NOT NULL, action TEXT NOT NULL, PRIMARY KEY (jti, action))",
			);
			this.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
			this.sql.exec(
				"CREATE TABLE IF NOT EXISTS code_misses (person_id INTEGER NOT NULL, at INTEGER NOT NULL)",
			);
		});
	}

	/** Records a punch, or refuses it with the reason; either way it is logged. */
	async punch(request: PunchRequest): Promise<PunchOutcome> {
		const context = await this.load(request.sessionId);
		if (!context) return { ok: false, code: "SESSION_NOT_FOUND", message: "找不到這堂課。" };
		// From here to the end of decide() nothing is awaited: no other punch can interleave.
		const outcome = this.decide(context, request);
		if (outcome.ok && request.action === "check_in" && request.role === "trainee" && !outcome.repeated)
			this.broadcast(this.liveState(context));
		await this.writeThrough();
		return outcome;
	}

	/** Logs a punch refused before it reached the room's rules (e.g. an expired token). */
	async refuse(request: Omit<PunchRequest, "singleUse">, code: PunchRefusal): Promise<void> {
		if (!(await this.load(request.sessionId))) return;
		this.logPunch(request, false, code);
		await this.writeThrough();
	}

	/** Wrong short codes this person typed within the window (this room keeps count for their day). */
	async shortCodeMisses(personId: number, now: number): Promise<number> {
		const row = this.sql
			.exec<{ n: number }>(
				"SELECT COUNT(*) AS n FROM code_misses WHERE person_id = ? AND at > ?",
				personId,
				now - SHORT_CODE_WINDOW_MS,
			)
			.toArray()[0];
		return row?.n ?? 0;
	}

	/** A wrong short code: counted for the limit and logged as a refused punch. */
	async recordShortCodeMiss(request: Omit<PunchRequest, "singleUse">): Promise<void> {
		if (!(await this.load(request.sessionId))) return;
		this.sql.exec("DELETE FROM code_misses WHERE at <= ?", request.at - SHORT_CODE_WINDOW_MS);
		this.sql.exec("INSERT INTO code_misses (person_id, at) VALUES (?, ?)", request.personId, request.at);
		this.logPunch(request, false, "SHORT_CODE_WRONG");
		await this.writeThrough();
	}

	/**
	 * The session row changed in D1 (停課, new date or times, subject): read it again now rather than
	 * within CONTEXT_TTL_MS, so the next punch is judged by the new row. A room never used stays idle.
	 */
	async reload(sessionId: number): Promise<void> {
		this.generation++;
		if (!this.context) return;
		this.context.loadedAt = 0;
		await this.load(sessionId);
	}

	async live(sessionId: number): Promise<LiveState | null> {
		const context = await this.load(sessionId);
		return context ? this.liveState(context) : null;
	}

	/** A display's WebSocket (the Worker has checked who may watch). */
	override async fetch(request: Request): Promise<Response> {
		const sessionId = Number(new URL(request.url).searchParams.get("session"));
		if (request.headers.get("upgrade") !== "websocket")
			return new Response("expected websocket", { status: 426 });
		const context = await this.load(sessionId);
		if (!context) return new Response("not found", { status: 404 });
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		server.send(JSON.stringify(this.liveState(context)));
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		// Displays ping to keep the connection (and their "connected" mark) alive.
		if (message === "ping") ws.send("pong");
	}

	override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
		ws.close(code === 1005 ? 1000 : code, "bye");
	}

	/** Retries the write-through, also after the room was evicted and woke up for the alarm. */
	override async alarm(): Promise<void> {
		this.alarmPending = false;
		const stored = this.sql
			.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'session_id'")
			.toArray()[0];
		try {
			if (stored) await this.load(Number(stored.value));
		} catch (err) {
			// A new instance that cannot read its session while D1 is down: try again later ourselves.
			// (A throwing alarm is retried by the runtime only a few times, then never again.)
			log.warn("session_room_alarm_load_failed", { error: describeError(err) });
			await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
			this.alarmPending = true;
			return;
		}
		await this.writeThrough();
	}

	private decide(context: SessionContext, request: PunchRequest): PunchOutcome {
		const roster = request.role === "trainee" ? context.trainees : context.teachers;
		const name = roster.get(request.personId);
		if (name === undefined) return this.refused(request, "NOT_IN_CLASS");
		const windowRefusal = punchWindowRefusal(request.action, context, context.plan, request.at);
		if (windowRefusal) return this.refused(request, windowRefusal);
		const record = this.sql
			.exec<{ check_in_at: number | null; check_out_at: number | null }>(
				"SELECT check_in_at, check_out_at FROM records WHERE person_id = ?",
				request.personId,
			)
			.toArray()[0];
		const inColumn = request.action === "check_in";
		// A check-in after the person checked out makes no sense of the day: the check-out stands.
		if (
			inColumn &&
			record?.check_in_at == null &&
			record?.check_out_at != null &&
			request.at > record.check_out_at
		)
			return this.refused(request, "CHECK_IN_AFTER_CHECK_OUT");
		// Taken only by a punch that is recorded: a refused one leaves the token usable.
		if (request.singleUse) {
			const scope = request.singleUse.perAction ? request.action : "any";
			const used = this.sql
				.exec("SELECT 1 FROM used_tokens WHERE jti = ? AND action = ?", request.singleUse.jti, scope)
				.toArray();
			if (used.length) return this.refused(request, "TOKEN_REUSED");
			this.sql.exec("INSERT INTO used_tokens (jti, action) VALUES (?, ?)", request.singleUse.jti, scope);
		}
		const previous = inColumn ? record?.check_in_at : record?.check_out_at;
		// The first check-in and the last check-out stand.
		const keep = previous != null && (inColumn ? previous <= request.at : previous >= request.at);
		const at = keep ? (previous as number) : request.at;
		if (!keep) {
			const column = inColumn ? "check_in" : "check_out";
			this.sql.exec(
				`INSERT INTO records (person_id, role, ${column}_at, ${column}_method, version) VALUES (?, ?, ?, ?, 1)
				 ON CONFLICT (person_id) DO UPDATE SET ${column}_at = excluded.${column}_at,
				   ${column}_method = excluded.${column}_method, version = version + 1`,
				request.personId,
				request.role,
				request.at,
				request.method,
			);
		}
		this.logPunch(request, true, null);
		return {
			ok: true,
			action: request.action,
			at,
			timing: punchTiming(request.action, context, context.plan, at),
			repeated: inColumn && keep,
			name,
			subject: context.subject,
			className: context.className,
		};
	}

	private refused(request: PunchRequest, code: PunchRefusal): PunchOutcome {
		this.logPunch(request, false, code);
		return { ok: false, code, message: PUNCH_REFUSAL_MESSAGES[code] };
	}

	private logPunch(request: Omit<PunchRequest, "singleUse">, accepted: boolean, reason: string | null): void {
		this.sql.exec(
			"INSERT INTO punch_log (punch_key, person_id, role, action, method, at, accepted, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			crypto.randomUUID(),
			request.personId,
			request.role,
			request.action,
			request.method,
			request.at,
			accepted ? 1 : 0,
			reason,
		);
	}

	private liveState(context: SessionContext): LiveState {
		const rows = this.sql
			.exec<{ person_id: number; check_in_at: number }>(
				"SELECT person_id, check_in_at FROM records WHERE role = 'trainee' AND check_in_at IS NOT NULL ORDER BY check_in_at DESC",
			)
			.toArray()
			.filter((r) => context.trainees.has(r.person_id));
		return {
			sessionId: context.sessionId,
			checkedIn: rows.length,
			expected: context.trainees.size,
			recent: rows
				.slice(0, 5)
				.map((r) => ({ name: maskName(context.trainees.get(r.person_id) ?? ""), at: r.check_in_at })),
		};
	}

	private broadcast(state: LiveState): void {
		const message = JSON.stringify(state);
		for (const ws of this.ctx.getWebSockets()) {
			try {
				ws.send(message);
			} catch {
				// A display that went away: its close event cleans up.
			}
		}
	}

	/** The session's context, read from D1 at most once per CONTEXT_TTL_MS (concurrent callers share it). */
	private async load(sessionId: number): Promise<SessionContext | null> {
		// Join a read in flight; one that reload() made stale meanwhile is followed by a new read.
		while (this.context?.loading) await this.context.loading;
		const fresh = this.context && Date.now() - this.context.loadedAt < CONTEXT_TTL_MS;
		if (fresh && this.context) return this.context.value;
		const entry: NonNullable<typeof this.context> = this.context ?? { value: null, loadedAt: 0 };
		this.context = entry;
		const generation = this.generation;
		entry.loading = (async () => {
			try {
				const value = await loadSessionContext(createDb(this.env.DB), sessionId);
				if (value) {
					this.sql.exec(
						"INSERT OR REPLACE INTO meta (key, value) VALUES ('session_id', ?)",
						String(sessionId),
					);
					this.adoptExisting(value);
				}
				entry.value = value;
				entry.loadedAt = generation === this.generation ? Date.now() : 0;
			} catch (err) {
				// D1 briefly unavailable: a room that knows its session goes on with what it knows.
				if (!entry.value) throw err;
				log.warn("session_context_reload_failed", { sessionId, error: describeError(err) });
			} finally {
				entry.loading = undefined;
			}
		})();
		await entry.loading;
		return entry.value;
	}

	/** A room that starts empty takes the punches D1 already has (nothing of its own is replaced). */
	private adoptExisting(context: SessionContext): void {
		for (const r of context.existing) {
			this.sql.exec(
				"INSERT INTO records (person_id, role, check_in_at, check_out_at, version, written) VALUES (?, ?, ?, ?, 0, 0) ON CONFLICT (person_id) DO NOTHING",
				r.personId,
				r.role,
				r.checkInAt,
				r.checkOutAt,
			);
		}
	}

	/** Writes what D1 lacks; concurrent callers share one write and a caller arriving mid-write gets another. */
	private async writeThrough(): Promise<void> {
		if (this.flushing) {
			this.flushAgain = true;
			return this.flushing;
		}
		this.flushing = (async () => {
			try {
				do {
					this.flushAgain = false;
					await this.writeOnce();
				} while (this.flushAgain);
			} catch (err) {
				log.warn("punch_write_through_failed", { error: describeError(err) });
				await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
				this.alarmPending = true;
			} finally {
				this.flushing = null;
			}
		})();
		return this.flushing;
	}

	private async writeOnce(): Promise<void> {
		const context = this.context?.value;
		if (!context) return;
		const log = this.sql
			.exec<{
				punch_key: string;
				person_id: number | null;
				role: LineRole | null;
				action: PunchAction;
				method: PunchMethod;
				at: number;
				accepted: number;
				reason: string | null;
			}>("SELECT * FROM punch_log WHERE written = 0 LIMIT 500")
			.toArray();
		const records = this.sql
			.exec<{
				person_id: number;
				role: LineRole;
				check_in_at: number | null;
				check_in_method: PunchMethod | null;
				check_out_at: number | null;
				check_out_method: PunchMethod | null;
				version: number;
			}>("SELECT * FROM records WHERE version > written")
			.toArray();
		if (log.length === 0 && records.length === 0) return;
		// An alarm is pending before D1 is asked: a room reset in the middle of this write (its caller
		// gets an error and may never retry) still writes what it took, from the alarm in its next
		// instance. One alarm covers every write until it runs (and finds nothing left, or retries),
		// so a rush pays for one alarm per room every few seconds, not one per punch.
		if (!this.alarmPending) {
			await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
			this.alarmPending = true;
		}
		const db = createDb(this.env.DB);
		const logRows: PunchLogRow[] = log.map((p) => ({
			punchKey: p.punch_key,
			personId: p.person_id,
			role: p.role,
			action: p.action,
			method: p.method,
			at: p.at,
			accepted: p.accepted === 1,
			reason: p.reason,
		}));
		const recordRows: RecordRow[] = records.map((r) => ({
			personId: r.person_id,
			role: r.role,
			checkInAt: r.check_in_at,
			checkInMethod: r.check_in_method,
			checkOutAt: r.check_out_at,
			checkOutMethod: r.check_out_method,
		}));
		// Statuses written here are provisional (the close-out job makes them final): as of the
		// latest punch, so a record reads as the person was told at that moment.
		const asOf = log.length ? Math.max(...log.map((p) => p.at)) : Date.now();
		await runInBatches(db, writeThroughStatements(db, context, logRows, recordRows, asOf), 50);
		// Marked written only after D1 took them; a record changed meanwhile keeps its newer version.
		for (const p of log) this.sql.exec("UPDATE punch_log SET written = 1 WHERE punch_key = ?", p.punch_key);
		for (const r of records)
			this.sql.exec(
				"UPDATE records SET written = ? WHERE person_id = ? AND written < ?",
				r.version,
				r.person_id,
				r.version,
			);
		if (log.length === 500) this.flushAgain = true;
	}
}
