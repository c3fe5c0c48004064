// 學員名冊匯入: a roster CSV is checked row by row (preview, nothing written), the valid rows travel
// to the confirm step in a signed token holding only HMACs and masks, and 確認匯入 writes them.
//
// Rules: an import is all or nothing — any row with an error blocks the file. A trainee already in
// the class is skipped (「已在名冊中，將略過」); a person already in the system keeps the personal data
// stored there (it may belong to another unit's roster too) and is only enrolled.

import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { chunkForParams, insertIgnoringStatements, runInBatches } from "../db/batch";
import type { Db } from "../db/client";
import { classes, enrollments, people } from "../db/schema";
import type { CsvRecord } from "../domain/csv-parse";
import { readCsvUpload } from "../domain/csv-upload";
import { normalizeEmail } from "../domain/email";
import { toHalfWidth } from "../domain/half-width";
import { maskNationalId, type NationalIdKind, parseNationalId } from "../domain/national-id";
import { normalizePersonName } from "../domain/person-name";
import { normalizeTaiwanMobile } from "../domain/phone";
import { fail, ok, type Result } from "../domain/result";
import { parseDateInput } from "../domain/roc-date";
import { auditStatement } from "./audit";
import { importTokens } from "./import-token";
import { nationalIdHmac } from "./pii";

export const MAX_ROSTER_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_ROSTER_ROWS = 1000;
/** How long a preview can be confirmed. */
export const ROSTER_TOKEN_TTL_S = 30 * 60;

export const ROSTER_COLUMNS = {
	classCode: "班級代碼",
	seatNo: "座號",
	name: "姓名",
	nationalId: "身分證字號/居留證號",
	birthDate: "出生日期",
	phone: "手機",
	email: "電子郵件",
} as const;
export type RosterColumn = keyof typeof ROSTER_COLUMNS;

// Other spellings of the ID column people write by hand.
const HEADER_ALIASES: Record<string, RosterColumn> = {
	身分證字號: "nationalId",
	身份證字號: "nationalId",
	居留證號: "nationalId",
	"身份證字號/居留證號": "nationalId",
	手機號碼: "phone",
	email: "email",
	"e-mail": "email",
};

const headerKey = (text: string) => toHalfWidth(text).replace(/\s/g, "").toLowerCase();
const HEADER_INDEX = new Map<string, RosterColumn>([
	...Object.entries(ROSTER_COLUMNS).map(([key, label]) => [headerKey(label), key as RosterColumn] as const),
	...Object.entries(HEADER_ALIASES).map(([label, key]) => [headerKey(label), key] as const),
]);

export type RosterClass = { id: number; code: string; name: string };

/** A valid row, normalized; `nationalId` is clear and never leaves the server. */
export type RosterRow = {
	line: number;
	classId: number;
	classCode: string;
	seatNo: number;
	name: string;
	nationalId: string;
	kind: NationalIdKind;
	birthDate: string;
	phone: string | null;
	email: string | null;
};
export type RowError = { line: number; reasons: string[] };

/** Which field index holds which column; every column must be there, names as in ROSTER_COLUMNS. */
export function readRosterHeader(fields: string[]): Result<Record<RosterColumn, number>> {
	const found: Partial<Record<RosterColumn, number>> = {};
	for (const [i, text] of fields.entries()) {
		const key = HEADER_INDEX.get(headerKey(text));
		if (key === undefined) continue;
		if (found[key] !== undefined)
			return fail("ROSTER_HEADER", `標題列的「${ROSTER_COLUMNS[key]}」欄出現了兩次`);
		found[key] = i;
	}
	const missing = (Object.keys(ROSTER_COLUMNS) as RosterColumn[]).filter((k) => found[k] === undefined);
	if (missing.length)
		return fail(
			"ROSTER_HEADER",
			`第 1 列必須是標題列，缺少欄位：${missing.map((k) => `「${ROSTER_COLUMNS[k]}」`).join("、")}`,
		);
	return ok(found as Record<RosterColumn, number>);
}

export const classKey = (code: string) => toHalfWidth(code).trim().toUpperCase();

/**
 * Checks every data row: required fields, ID checksum, a real date (西元 or 民國), phone, e-mail,
 * 座號 a positive integer, a class of the member's unit (`known`, keyed by classKey), and duplicates
 * inside the file (an ID twice in a class, a seat twice in a class, one ID with two identities).
 */
export function validateRosterRecords(
	records: CsvRecord[],
	header: Record<RosterColumn, number>,
	known: Map<string, RosterClass>,
): { rows: RosterRow[]; errors: RowError[] } {
	const rows: RosterRow[] = [];
	const errors: RowError[] = [];
	const idInClass = new Map<string, number>();
	const seatInClass = new Map<string, number>();
	const identity = new Map<string, { line: number; name: string; birthDate: string }>();
	for (const record of records) {
		const cell = (key: RosterColumn) => (record.fields[header[key]] ?? "").trim();
		const reasons: string[] = [];
		const required = (key: RosterColumn) => {
			if (cell(key) !== "") return true;
			reasons.push(`「${ROSTER_COLUMNS[key]}」未填寫`);
			return false;
		};
		let klass: RosterClass | undefined;
		if (required("classCode")) {
			klass = known.get(classKey(cell("classCode")));
			if (!klass) reasons.push(`查無班級代碼「${cell("classCode")}」（只能匯入本單位的班級）`);
		}
		let seatNo: number | undefined;
		if (required("seatNo")) {
			const text = toHalfWidth(cell("seatNo"));
			if (/^\d{1,4}$/.test(text) && Number(text) > 0) seatNo = Number(text);
			else reasons.push(`座號「${cell("seatNo")}」應為正整數`);
		}
		let name: string | undefined;
		if (required("name")) {
			const r = normalizePersonName(cell("name"));
			if (r.ok) name = r.value;
			else reasons.push(r.message);
		}
		let id: { value: string; kind: NationalIdKind } | undefined;
		if (required("nationalId")) {
			const r = parseNationalId(cell("nationalId"));
			if (r.ok) id = r.value;
			else reasons.push(r.message);
		}
		let birthDate: string | undefined;
		if (required("birthDate")) {
			const r = parseDateInput(cell("birthDate"));
			if (r.ok) birthDate = r.value;
			else reasons.push(`出生日期「${cell("birthDate")}」：${r.message}`);
		}
		let phone: string | null = null;
		let email: string | null = null;
		if (cell("phone") !== "") {
			const r = normalizeTaiwanMobile(cell("phone"));
			if (r.ok) phone = r.value;
			else reasons.push(r.message);
		}
		if (cell("email") !== "") {
			const r = normalizeEmail(cell("email"));
			if (r.ok) email = r.value;
			else reasons.push(r.message);
		}
		if (cell("phone") === "" && cell("email") === "")
			reasons.push("「手機」與「電子郵件」至少填寫一項（學員綁定 LINE 時以此接收驗證碼）");

		if (klass && id) {
			const key = `${klass.id}:${id.value}`;
			const first = idInClass.get(key);
			if (first !== undefined) reasons.push(`與第 ${first} 列的身分證字號重複（同一班級）`);
			else idInClass.set(key, record.line);
		}
		if (klass && seatNo !== undefined) {
			const key = `${klass.id}:${seatNo}`;
			const first = seatInClass.get(key);
			if (first !== undefined) reasons.push(`座號 ${seatNo} 與第 ${first} 列重複（同一班級）`);
			else seatInClass.set(key, record.line);
		}
		if (id && name && birthDate) {
			const seen = identity.get(id.value);
			if (seen && (seen.name !== name || seen.birthDate !== birthDate))
				reasons.push(`與第 ${seen.line} 列的身分證字號相同，但姓名或出生日期不同`);
			else if (!seen) identity.set(id.value, { line: record.line, name, birthDate });
		}

		if (reasons.length || !klass || seatNo === undefined || !name || !id || !birthDate) {
			errors.push({ line: record.line, reasons });
			continue;
		}
		rows.push({
			line: record.line,
			classId: klass.id,
			classCode: klass.code,
			seatNo,
			name,
			nationalId: id.value,
			kind: id.kind,
			birthDate,
			phone,
			email,
		});
	}
	return { rows, errors };
}

/** A row as it is shown and confirmed: the ID only as HMAC and mask. */
export type PreparedRow = Omit<RosterRow, "nationalId"> & { hmac: string; masked: string };
export type SkippedRow = PreparedRow & { reason: string };

export type RosterPreview =
	| { ok: false; message: string }
	| { ok: true; rows: PreparedRow[]; skipped: SkippedRow[]; errors: RowError[]; total: number };

export type RosterScope = { unitId: number | null };

const ALREADY_ENROLLED = "已在名冊中，將略過";

/** Decodes, parses and checks an uploaded file against the unit's classes and rosters. Writes nothing. */
export async function previewRosterImport(
	deps: { db: Db; piiKey: string },
	scope: RosterScope,
	bytes: Uint8Array,
): Promise<RosterPreview> {
	const table = readCsvUpload(bytes, {
		readHeader: readRosterHeader,
		headerHint: "班級代碼、座號、姓名…",
		item: "學員",
		unit: "筆",
		maxRows: MAX_ROSTER_ROWS,
	});
	if (!table.ok) return { ok: false, message: table.message };
	const { header, records } = table.value;

	const codes = [...new Set(records.map((r) => classKey(r.fields[header.classCode] ?? "")))].filter(Boolean);
	const known = new Map(
		(await unitClasses(deps.db, scope, codes)).map((c) => [classKey(c.code), c] as const),
	);
	const { rows, errors } = validateRosterRecords(records, header, known);

	const prepared: PreparedRow[] = await Promise.all(
		rows.map(async ({ nationalId, ...row }) => ({
			...row,
			hmac: await nationalIdHmac(deps.piiKey, nationalId),
			masked: maskNationalId(nationalId),
		})),
	);
	// What the classes' rosters already hold: the same person (skipped) or another person on the seat.
	const personIds = new Map<string, number>();
	for (const chunk of chunkForParams([...new Set(prepared.map((r) => r.hmac))], 1)) {
		for (const p of await deps.db
			.select({ id: people.id, hmac: people.nationalIdHmac })
			.from(people)
			.where(inArray(people.nationalIdHmac, chunk)))
			personIds.set(p.hmac, p.id);
	}
	const classIds = [...new Set(prepared.map((r) => r.classId))];
	const current = classIds.length
		? await deps.db
				.select({ classId: enrollments.classId, personId: enrollments.personId, seatNo: enrollments.seatNo })
				.from(enrollments)
				.where(and(inArray(enrollments.classId, classIds), eq(enrollments.status, "active")))
		: [];
	const enrolled = new Set(current.map((e) => `${e.classId}:${e.personId}`));
	const seats = new Set(current.map((e) => `${e.classId}:${e.seatNo}`));
	const ready: PreparedRow[] = [];
	const skipped: SkippedRow[] = [];
	for (const row of prepared) {
		const personId = personIds.get(row.hmac);
		if (personId !== undefined && enrolled.has(`${row.classId}:${personId}`))
			skipped.push({ ...row, reason: ALREADY_ENROLLED });
		else if (seats.has(`${row.classId}:${row.seatNo}`))
			errors.push({ line: row.line, reasons: [`座號 ${row.seatNo} 在 ${row.classCode} 已有其他學員`] });
		else ready.push(row);
	}
	errors.sort((a, b) => a.line - b.line);
	return { ok: true, rows: ready, skipped, errors, total: records.length };
}

function unitClasses(db: Db, scope: RosterScope, codes: string[]): Promise<RosterClass[]> {
	if (codes.length === 0) return Promise.resolve([]);
	const mine = scope.unitId === null ? undefined : eq(classes.unitId, scope.unitId);
	// Codes are few (one class per file, usually); upper-cased codes match the stored ones.
	return db
		.select({ id: classes.id, code: classes.code, name: classes.name })
		.from(classes)
		.where(and(inArray(classes.code, codes.slice(0, 90)), mine));
}

// ── The signed hand-over from preview to confirm ─────────────────────────────────────────────

const preparedRow = z.object({
	line: z.number().int().positive(),
	classId: z.number().int().positive(),
	classCode: z.string().min(1).max(64),
	seatNo: z.number().int().positive(),
	name: z.string().min(1).max(50),
	hmac: z.string().regex(/^[0-9a-f]{64}$/),
	masked: z.string().max(16),
	kind: z.enum(["national", "resident_new", "resident_old"]),
	birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
	phone: z.string().max(20).nullable(),
	email: z.string().max(254).nullable(),
});
const tokens = importTokens<PreparedRow>("roster-import", preparedRow, MAX_ROSTER_ROWS, ROSTER_TOKEN_TTL_S);

/** The rows to confirm, signed for this member; the HTML carries HMACs and masks, never clear IDs. */
export const signRosterRows = tokens.sign;
/** The rows of a token signed for this member and not expired; null otherwise. */
export const readRosterRows = tokens.read;

// ── 確認匯入 ─────────────────────────────────────────────────────────────────────────────────

export type RosterImportResult =
	| { ok: true; enrolled: number; skipped: number }
	| { ok: false; message: string };

/**
 * Writes confirmed rows. People first (insert or keep: matched by national-ID HMAC), then every
 * enrollment and the audit entry in one D1 batch — so a failure can leave people without an
 * enrollment (harmless, reused next time), never an enrollment without its person or without audit.
 */
export async function importRoster(
	deps: { db: Db; now: number },
	actor: { staffId: number; unitId: number | null; requestId?: string | null },
	rows: PreparedRow[],
): Promise<RosterImportResult> {
	const { db, now } = deps;
	const classIds = [...new Set(rows.map((r) => r.classId))];
	const mine = actor.unitId === null ? undefined : eq(classes.unitId, actor.unitId);
	const found = await db
		.select({ id: classes.id })
		.from(classes)
		.where(and(inArray(classes.id, classIds), mine));
	if (found.length !== classIds.length) return { ok: false, message: "查無班級（只能匯入本單位的班級）" };

	const byHmac = new Map(rows.map((r) => [r.hmac, r]));
	await runInBatches(
		db,
		insertIgnoringStatements(
			db,
			people,
			[...byHmac.values()].map((r) => ({
				name: r.name,
				nationalIdHmac: r.hmac,
				nationalIdMasked: r.masked,
				nationalIdKind: r.kind,
				birthDate: r.birthDate,
				phone: r.phone,
				email: r.email,
				createdAt: now,
				updatedAt: now,
			})),
		),
	);
	const personIds = new Map<string, number>();
	for (const chunk of chunkForParams([...byHmac.keys()], 1)) {
		for (const p of await db
			.select({ id: people.id, hmac: people.nationalIdHmac })
			.from(people)
			.where(inArray(people.nationalIdHmac, chunk)))
			personIds.set(p.hmac, p.id);
	}
	const enrollmentRows = rows.map((r) => ({
		classId: r.classId,
		personId: personIds.get(r.hmac) as number,
		seatNo: r.seatNo,
		status: "active" as const,
		enrolledAt: now,
	}));
	const inserts = insertIgnoringStatements(db, enrollments, enrollmentRows);
	const audit = auditStatement(db, {
		at: now,
		actorType: "staff",
		actorId: String(actor.staffId),
		unitId: actor.unitId,
		action: "roster.import",
		entityType: "class",
		entityId: classIds.join(","),
		after: { rows: rows.length, classIds },
		requestId: actor.requestId ?? null,
	});
	// One batch: all enrollments and the audit entry, or none of them.
	const results = await db.batch([audit, ...inserts]);
	const enrolled = results
		.slice(1)
		.reduce((sum, r) => sum + Number((r as { meta?: { changes?: number } }).meta?.changes ?? 0), 0);
	return { ok: true, enrolled, skipped: rows.length - enrolled };
}

/** The unit's classes with their active trainees, for the page (and to find the codes). */
export async function rosterClassesOf(db: Db, scope: RosterScope) {
	const mine = scope.unitId === null ? undefined : eq(classes.unitId, scope.unitId);
	const list = await db
		.select({ id: classes.id, code: classes.code, name: classes.name, endDate: classes.endDate })
		.from(classes)
		.where(mine)
		.orderBy(classes.code);
	const counts = new Map<number, number>();
	if (list.length) {
		for (const e of await db
			.select({ classId: enrollments.classId })
			.from(enrollments)
			.where(
				and(
					inArray(
						enrollments.classId,
						list.map((c) => c.id),
					),
					eq(enrollments.status, "active"),
				),
			))
			counts.set(e.classId, (counts.get(e.classId) ?? 0) + 1);
	}
	return list.map((c) => ({ ...c, trainees: counts.get(c.id) ?? 0 }));
}
