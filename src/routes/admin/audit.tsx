// /admin/audit — 稽核紀錄 and its CSV export. The agency admin sees every unit's entries (and may pick
// a unit); a unit admin only their unit's — another unit, named in the query, is not found. Unit staff
// (承辦人) get no audit log at all (404, and no menu entry): it shows what colleagues and admins did,
// including account changes, which is oversight for the unit's admin, not day-to-day work.
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { isAuditAction, isAuditEntityType } from "../../domain/audit-vocabulary";
import { attachmentDisposition, toCsv } from "../../domain/csv";
import { isIsoDate, taipeiDate } from "../../domain/taipei-time";
import type { AppEnv } from "../../env";
import { auditFilterOptions, unitExists } from "../../services/audit-log-filters";
import { auditNames } from "../../services/audit-log-names";
import {
	AUDIT_EXPORT_MAX,
	type AuditCursor,
	type AuditFilters,
	type AuditScope,
	auditLogExport,
	auditLogPage,
} from "../../services/audit-log-query";
import { unitName } from "../../services/unit-today";
import { auditCsvRows } from "../../views/admin/audit-csv";
import { auditEntryView } from "../../views/admin/audit-format";
import {
	AUDIT_FORM_FIELDS,
	type AuditFormValues,
	AuditLogPage,
	auditQuery,
} from "../../views/admin/audit-log";
import { AdminNotFound } from "../../views/admin/layout";
import { htmlDocument } from "../../views/document";

/** An empty form field is no filter. */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const isoDate = z.string().refine(isIsoDate, "日期應為實際存在的日期，格式 YYYY-MM-DD（例：2026-03-02）");
const ACTOR = /^(?:(system|line_user|staff)|staff:(\d{1,12}))$/;

const auditQuerySchema = z
	.object({
		from: optional(isoDate),
		to: optional(isoDate),
		action: optional(z.string().refine(isAuditAction, "沒有這種動作，請從「動作」清單選擇")),
		entityType: optional(z.string().refine(isAuditEntityType, "沒有這種對象類型，請從「對象類型」清單選擇")),
		entityId: optional(
			z
				.string()
				.trim()
				.regex(/^\d[\d:,]{0,99}$/, "對象編號應為數字（出勤紀錄為「課程編號:人員編號」）"),
		),
		actor: optional(
			z
				.string()
				.regex(ACTOR, "操作者選項不正確，請從清單選擇")
				.transform((value) => {
					const m = ACTOR.exec(value);
					return m?.[2]
						? { type: "staff" as const, staffId: Number(m[2]) }
						: { type: m?.[1] as "system" | "line_user" | "staff" };
				}),
		),
		unitId: optional(
			z
				.string()
				.regex(/^(?:none|\d{1,12})$/, "訓練單位選項不正確，請從清單選擇")
				.transform((value) => (value === "none" ? ("none" as const) : Number(value))),
		),
		before: optional(
			z
				.string()
				.regex(/^\d{1,15}\.\d{1,15}$/, "分頁位置不正確，請回到最新一頁重新查詢")
				.transform((value): AuditCursor => {
					const [at, id] = value.split(".").map(Number) as [number, number];
					return { at, id };
				}),
		),
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, "開始日期不能晚於結束日期")
	.refine((q) => !q.entityId || q.entityType, "請先選擇對象類型，再填對象編號");

type ParsedQuery = z.infer<typeof auditQuerySchema>;

const formValues = (query: Record<string, string>): AuditFormValues =>
	Object.fromEntries(AUDIT_FORM_FIELDS.map((k) => [k, (query[k] ?? "").slice(0, 100)])) as AuditFormValues;

const filtersOf = (q: ParsedQuery): AuditFilters => ({
	from: q.from,
	to: q.to,
	action: q.action,
	entityType: q.entityType,
	entityId: q.entityId,
	actor: q.actor,
	unit: q.unitId,
});

/** Who may read which log; null when the member may not read it (unit staff). */
const scopeOf = (c: Context<AppEnv>): AuditScope | null => {
	const staff = c.get("staff");
	return staff.role === "unit_staff" ? null : { unitId: staff.unitId };
};

const notFound = (c: Context<AppEnv>) =>
	c.html(htmlDocument(<AdminNotFound staff={c.get("staff")} what="這份稽核紀錄" />), 404);

/** Whether the unit filter names a unit this member may read: their own, or any existing one (agency). */
async function unitAllowed(c: Context<AppEnv>, unit: ParsedQuery["unitId"]): Promise<boolean> {
	const own = c.get("staff").unitId;
	if (unit === undefined) return true;
	if (own !== null) return unit === own;
	return unit === "none" || (await unitExists(createDb(c.env.DB), unit));
}

async function renderPage(
	c: Context<AppEnv>,
	scope: AuditScope,
	query: Record<string, string>,
	parsed: ParsedQuery | null,
	error?: string,
) {
	const staff = c.get("staff");
	const db = createDb(c.env.DB);
	const values = formValues(query);
	const [page, options, name] = await Promise.all([
		parsed ? auditLogPage(db, scope, filtersOf(parsed), parsed.before) : null,
		auditFilterOptions(db, scope),
		unitName(db, staff.unitId),
	]);
	const names = await auditNames(db, page?.rows ?? []);
	const next = page?.next ? auditQuery(values, { before: `${page.next.at}.${page.next.id}` }) : null;
	return c.html(
		htmlDocument(
			<AuditLogPage
				staff={staff}
				unitName={name}
				values={values}
				options={options}
				entries={(page?.rows ?? []).map((row) => auditEntryView(row, names))}
				next={next}
				firstPage={!parsed?.before}
				error={error}
			/>,
		),
		error ? 400 : 200,
	);
}

export const adminAuditRoutes = new Hono<AppEnv>()
	.get("/audit", async (c) => {
		const scope = scopeOf(c);
		if (!scope) return notFound(c);
		const query = c.req.query();
		const parsed = auditQuerySchema.safeParse(query);
		if (!parsed.success)
			return renderPage(c, scope, query, null, parsed.error.issues[0]?.message ?? "查詢條件有誤");
		if (!(await unitAllowed(c, parsed.data.unitId))) return notFound(c);
		return renderPage(c, scope, query, parsed.data);
	})
	.get("/audit/export.csv", async (c) => {
		const scope = scopeOf(c);
		if (!scope) return notFound(c);
		const query = c.req.query();
		const parsed = auditQuerySchema.safeParse(query);
		if (!parsed.success)
			return renderPage(c, scope, query, null, parsed.error.issues[0]?.message ?? "查詢條件有誤");
		if (!(await unitAllowed(c, parsed.data.unitId))) return notFound(c);
		const db = createDb(c.env.DB);
		// The export is of the filters, from the newest entry: a page cursor in the link is ignored.
		const rows = await auditLogExport(db, scope, filtersOf(parsed.data));
		if (!rows)
			return renderPage(
				c,
				scope,
				query,
				{ ...parsed.data, before: undefined },
				`符合條件的紀錄超過 ${AUDIT_EXPORT_MAX.toLocaleString("en-US")} 筆，請縮小日期範圍或加上其他條件後再匯出。`,
			);
		const names = await auditNames(db, rows);
		const csv = toCsv(
			auditCsvRows(
				rows.map((row) => auditEntryView(row, names)),
				scope.unitId === null,
			),
		);
		const stamp = taipeiDate(Date.now()).replaceAll("-", "");
		return c.body(csv, 200, {
			"content-type": "text/csv; charset=utf-8",
			"content-disposition": attachmentDisposition(`稽核紀錄_${stamp}.csv`, `audit_${stamp}.csv`),
			"cache-control": "no-store",
		});
	});
