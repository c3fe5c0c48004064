// 課表匯入: a timetable CSV is checked row by row (preview, nothing written), the valid rows travel
// to the confirm step in a signed token, and 確認匯入 writes every session in one D1 batch.
//
// Rules: all or nothing — any row with an error blocks the file, and a batch that would clash with
// sessions added meanwhile fails as a whole. A session already in the timetable (same class, start,
// end and subject) is skipped, so uploading the same file twice adds nothing.
import { and, desc, eq, getTableColumns, inArray } from "drizzle-orm";
import { z } from "zod";
import { chunkForParams } from "../db/batch";
import type { Db } from "../db/client";
import { classes, people, sessions } from "../db/schema";
import { readCsvUpload } from "../domain/csv-upload";
import { toHalfWidth } from "../domain/half-width";
import { maskNationalId, parseNationalId } from "../domain/national-id";
import { fail, ok } from "../domain/result";
import { auditStatement } from "./audit";
import { importTokens } from "./import-token";
import { nationalIdHmac } from "./pii";
import {
	classSessionsBetween,
	isScheduleClash,
	overlapGuard,
	timetableClassColumns,
	unitTeachers,
} from "./session-schedule";
import {
	checkAgainstSchedule,
	classKey,
	type RowError,
	readTimetableHeader,
	type SkippedRow,
	type TeacherLookup,
	type TimetableClass,
	type TimetableRow,
	validateTimetableRecords,
} from "./timetable-rows";

/** Well under the dashboard's 1 MiB request limit (a year of sessions is ~60 KB). */
export const MAX_TIMETABLE_FILE_BYTES = 512 * 1024;
export const MAX_TIMETABLE_ROWS = 1000;
/** How long a preview can be confirmed. */
export const TIMETABLE_TOKEN_TTL_S = 30 * 60;

export type TimetablePreview =
	| { ok: false; message: string }
	| { ok: true; rows: TimetableRow[]; skipped: SkippedRow[]; errors: RowError[]; total: number };

export type TimetableScope = { unitId: number | null };

const ID_SHAPE = /^[A-Z][0-9A-D]\d{8}$/;

/**
 * Teacher cells of the file resolved against the units' teachers: a national ID (matched by its
 * HMAC, never kept in clear) or a name that only one of the unit's teachers has.
 */
async function teacherLookup(
	db: Db,
	piiKey: string,
	unitIds: number[],
	cells: string[],
): Promise<TeacherLookup> {
	const teachers = await unitTeachers(db, unitIds);
	const byHmac = new Map<string, number>();
	const idCells = [...new Set(cells.map((c) => toHalfWidth(c).trim().toUpperCase()))].filter((c) =>
		ID_SHAPE.test(c),
	);
	const hmacOf = new Map<string, string>();
	for (const cell of idCells) {
		const parsed = parseNationalId(cell);
		if (parsed.ok) hmacOf.set(cell, await nationalIdHmac(piiKey, parsed.value.value));
	}
	for (const chunk of chunkForParams([...new Set(hmacOf.values())], 1, 90)) {
		for (const p of await db
			.select({ id: people.id, hmac: people.nationalIdHmac })
			.from(people)
			.where(inArray(people.nationalIdHmac, chunk)))
			byHmac.set(p.hmac, p.id);
	}
	return (unitId, cell) => {
		const text = cell.trim().replace(/\s+/g, " ");
		if (text === "") return ok(null);
		const mine = teachers.filter((t) => t.unitId === unitId);
		const asId = toHalfWidth(text).toUpperCase();
		if (ID_SHAPE.test(asId)) {
			const hmac = hmacOf.get(asId);
			if (!hmac) return fail("TEACHER_ID", "授課教師的身分證字號檢查碼不正確，請確認是否輸入錯誤");
			const teacher = mine.find((t) => t.id === byHmac.get(hmac));
			return teacher
				? ok({ id: teacher.id, name: teacher.name })
				: fail("TEACHER_UNKNOWN", `查無授課教師（${maskNationalId(asId)}），須為本單位班級的教師`);
		}
		const named = mine.filter((t) => t.name === text);
		if (named.length === 1 && named[0]) return ok({ id: named[0].id, name: named[0].name });
		if (named.length > 1)
			return fail(
				"TEACHER_AMBIGUOUS",
				`本單位有 ${named.length} 位教師名為「${text}」，請改填該教師的身分證字號`,
			);
		return fail("TEACHER_UNKNOWN", `查無授課教師「${text}」（須為本單位班級的教師，可填姓名或身分證字號）`);
	};
}

function unitClasses(db: Db, scope: TimetableScope, codes: string[]): Promise<TimetableClass[]> {
	if (codes.length === 0) return Promise.resolve([]);
	const mine = scope.unitId === null ? undefined : eq(classes.unitId, scope.unitId);
	return db
		.select(timetableClassColumns)
		.from(classes)
		.where(and(inArray(classes.code, codes.slice(0, 90)), mine));
}

/** Sessions the rows' classes already have around the rows' times. */
function existingFor(db: Db, rows: TimetableRow[]) {
	if (rows.length === 0) return Promise.resolve(new Map());
	return classSessionsBetween(
		db,
		[...new Set(rows.map((r) => r.classId))],
		Math.min(...rows.map((r) => r.startsAt)),
		Math.max(...rows.map((r) => r.endsAt)),
	);
}

/** Decodes, parses and checks an uploaded file against the unit's classes and timetables. Writes nothing. */
export async function previewTimetableImport(
	deps: { db: Db; piiKey: string; now: number },
	scope: TimetableScope,
	bytes: Uint8Array,
): Promise<TimetablePreview> {
	const table = readCsvUpload(bytes, {
		readHeader: readTimetableHeader,
		headerHint: "班級代碼、日期、開始時間…",
		item: "節次",
		unit: "節",
		maxRows: MAX_TIMETABLE_ROWS,
	});
	if (!table.ok) return { ok: false, message: table.message };
	const { header, records } = table.value;

	const cellsOf = (index: number | undefined) =>
		index === undefined ? [] : records.map((r) => r.fields[index] ?? "");
	const codes = [...new Set(cellsOf(header.classCode).map(classKey))].filter(Boolean);
	const list = await unitClasses(deps.db, scope, codes);
	const known = new Map(list.map((c) => [classKey(c.code), c] as const));
	const teacherOf = await teacherLookup(
		deps.db,
		deps.piiKey,
		list.map((c) => c.unitId),
		cellsOf(header.teacher),
	);
	const { rows, errors } = validateTimetableRecords(records, header, known, teacherOf, deps.now);
	const checked = checkAgainstSchedule(rows, await existingFor(deps.db, rows));
	const allErrors = [...errors, ...checked.errors].sort((a, b) => a.line - b.line);
	return {
		ok: true,
		rows: checked.ready,
		skipped: checked.skipped,
		errors: allErrors,
		total: records.length,
	};
}

// ── The signed hand-over from preview to confirm ─────────────────────────────────────────────

const timetableRow = z.object({
	line: z.number().int().positive(),
	classId: z.number().int().positive(),
	classCode: z.string().min(1).max(64),
	date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
	startsAt: z.number().int(),
	endsAt: z.number().int(),
	hours: z.number().positive().max(24),
	subject: z.string().min(1).max(200),
	teacherPersonId: z.number().int().positive().nullable(),
	teacherName: z.string().max(100).nullable(),
	room: z.string().max(100).nullable(),
});
const tokens = importTokens<TimetableRow>(
	"timetable-import",
	timetableRow,
	MAX_TIMETABLE_ROWS,
	TIMETABLE_TOKEN_TTL_S,
);

/** The rows to confirm, signed for this member (30 minutes). */
export const signTimetableRows = tokens.sign;
/** The rows of a token signed for this member and not expired; null otherwise. */
export const readTimetableRows = tokens.read;

// ── 確認匯入 ─────────────────────────────────────────────────────────────────────────────────

export type TimetableImportResult =
	| { ok: true; added: number; skipped: number }
	| { ok: false; code: "NOT_FOUND" | "CONFLICT"; message: string };

const CHANGED = "課表在檢查後有變更（其他人新增或修改了節次），尚未匯入任何節次。請重新上傳檔案檢查。";

/**
 * Writes confirmed rows: checked again against the timetable as it is now, then every session, the
 * overlap guard and the audit entry in one D1 batch — all of them or none.
 */
export async function importTimetable(
	deps: { db: Db; now: number },
	actor: { staffId: number; unitId: number | null; requestId?: string | null },
	rows: TimetableRow[],
): Promise<TimetableImportResult> {
	const { db, now } = deps;
	const classIds = [...new Set(rows.map((r) => r.classId))];
	const mine = actor.unitId === null ? undefined : eq(classes.unitId, actor.unitId);
	const found = await db
		.select({ id: classes.id })
		.from(classes)
		.where(and(inArray(classes.id, classIds.slice(0, 90)), mine));
	if (found.length !== classIds.length)
		return { ok: false, code: "NOT_FOUND", message: "查無班級（只能匯入本單位的班級）" };
	if (rows.some((r) => r.endsAt <= now)) return { ok: false, code: "CONFLICT", message: CHANGED };
	const checked = checkAgainstSchedule(rows, await existingFor(db, rows));
	if (checked.errors.length) return { ok: false, code: "CONFLICT", message: CHANGED };
	if (checked.ready.length === 0) return { ok: true, added: 0, skipped: checked.skipped.length };

	const values = checked.ready.map((r) => ({
		classId: r.classId,
		date: r.date,
		startsAt: r.startsAt,
		endsAt: r.endsAt,
		hours: r.hours,
		subject: r.subject,
		teacherPersonId: r.teacherPersonId,
		room: r.room,
		createdAt: now,
		updatedAt: now,
	}));
	// drizzle binds every column of the table, not only the ones given.
	const paramsPerRow = Object.keys(getTableColumns(sessions)).length;
	const inserts = chunkForParams(values, paramsPerRow).map((chunk) => db.insert(sessions).values(chunk));
	const guards = chunkForParams(classIds, 1, 90).map((ids) =>
		overlapGuard(db, and(inArray(sessions.classId, ids), eq(sessions.createdAt, now))),
	);
	const audit = auditStatement(db, {
		at: now,
		actorType: "staff",
		actorId: String(actor.staffId),
		unitId: actor.unitId,
		action: "timetable.import",
		entityType: "class",
		entityId: classIds.join(","),
		after: { sessions: checked.ready.length, skipped: checked.skipped.length, classIds },
		requestId: actor.requestId ?? null,
	});
	try {
		await db.batch([audit, ...inserts, ...guards]);
	} catch (err) {
		if (isScheduleClash(err)) return { ok: false, code: "CONFLICT", message: CHANGED };
		throw err;
	}
	return { ok: true, added: checked.ready.length, skipped: checked.skipped.length };
}

/** The unit's classes for the page (codes to use, and their periods), newest first. */
export function timetableClassesOf(db: Db, scope: TimetableScope) {
	const mine = scope.unitId === null ? undefined : eq(classes.unitId, scope.unitId);
	return db
		.select({
			id: classes.id,
			code: classes.code,
			name: classes.name,
			startDate: classes.startDate,
			endDate: classes.endDate,
		})
		.from(classes)
		.where(mine)
		.orderBy(desc(classes.startDate), classes.code)
		.limit(200);
}
