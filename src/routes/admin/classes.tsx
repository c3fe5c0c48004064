// 班級 of the dashboard: the unit's classes, one class's roster, timetable and attendance matrix, and
// its CSV exports (出勤, 請假). Another unit's class is answered as not found.
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { ATTENDANCE_STATUS_LABELS } from "../../domain/attendance-status";
import { attachmentDisposition, type CsvCell, toCsv } from "../../domain/csv";
import { LEAVE_STATUS_LABELS } from "../../domain/leave-status";
import { formatRocDate } from "../../domain/roc-date";
import { addDays, daysBetween, isIsoDate, taipeiDate, taipeiTime } from "../../domain/taipei-time";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import {
	type ClassAttendance,
	type ClassLeaveRow,
	classAttendance,
	classLeaveRequests,
	listUnitClasses,
	MATRIX_MAX_SESSIONS,
	unitClass,
} from "../../services/class-overview";
import { schedulingOf } from "../../services/session-edit";
import { unitName } from "../../services/unit-today";
import { toXlsx, XLSX_CONTENT_TYPE } from "../../services/xlsx-export";
import { ClassListPage } from "../../views/admin/classes";
import { ClassDetailPage } from "../../views/admin/classes-detail";
import { AdminNotFound } from "../../views/admin/layout";
import { sessionNotice } from "../../views/admin/session-edit";
import { htmlDocument } from "../../views/document";

/** The longest date range a page or an export covers. */
const MAX_RANGE_DAYS = 366;
/** An export covers at most this many sessions (a year of two sessions a day). */
const EXPORT_MAX_SESSIONS = 800;
/** The matrix by default: the last 14 days up to today. */
const DEFAULT_RANGE_DAYS = 14;

const listQuery = z.object({
	q: z.string().trim().max(100, "搜尋字詞最多 100 個字").optional(),
	page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const isoDate = z.string().refine(isIsoDate, "日期應為 YYYY-MM-DD 格式的有效日期");
const rangeQuery = z
	.object({ from: isoDate.optional(), to: isoDate.optional() })
	.refine((r) => !r.from || !r.to || r.from <= r.to, "開始日期不能晚於結束日期")
	.refine(
		(r) => !r.from || !r.to || daysBetween(r.from, r.to) < MAX_RANGE_DAYS,
		`日期範圍最多 ${MAX_RANGE_DAYS} 天`,
	);
const exportQuery = z.object({
	kind: z.enum(["attendance", "leave"], "匯出類型應為 attendance（出勤）或 leave（請假）"),
});

const classId = (id: string) => Number(id);
const firstIssue = (error: z.ZodError) => error.issues[0]?.message ?? "輸入資料有誤";

/** A range given in part is completed to DEFAULT_RANGE_DAYS days. */
function completeRange(from: string | undefined, to: string | undefined, today: string) {
	const end = to ?? (from ? addDays(from, DEFAULT_RANGE_DAYS - 1) : today);
	return { from: from ?? addDays(end, -(DEFAULT_RANGE_DAYS - 1)), to: end };
}

function attendanceRows(data: ClassAttendance): CsvCell[][] {
	const rows: CsvCell[][] = [
		["日期", "節次時間", "課程", "座號", "姓名", "身分證字號", "簽到", "簽退", "出缺勤"],
	];
	for (const s of data.sessions) {
		for (const p of data.roster) {
			const cell = data.cells.get(p.personId)?.get(s.id) ?? null;
			const status = s.cancelled
				? "停課"
				: cell
					? `${ATTENDANCE_STATUS_LABELS[cell.status]}${cell.status === "leave" && cell.leaveTypeName ? `（${cell.leaveTypeName}）` : ""}`
					: "退訓";
			rows.push([
				formatRocDate(s.date),
				`${taipeiTime(s.startsAt)}-${taipeiTime(s.endsAt)}`,
				s.subject,
				p.seatNo,
				p.name,
				p.nationalIdMasked,
				cell?.checkInAt ? taipeiTime(cell.checkInAt) : "",
				cell?.checkOutAt ? taipeiTime(cell.checkOutAt) : "",
				status,
			]);
		}
	}
	return rows;
}

function leaveRows(items: ClassLeaveRow[]): CsvCell[][] {
	return [
		["申請時間", "姓名", "假別", "請假日期", "時數", "狀態", "審核備註"],
		...items.map((r) => [
			`${formatRocDate(taipeiDate(r.submittedAt))} ${taipeiTime(r.submittedAt)}`,
			r.name,
			r.typeName,
			r.firstDate === r.lastDate
				? formatRocDate(r.firstDate)
				: `${formatRocDate(r.firstDate)}～${formatRocDate(r.lastDate)}`,
			r.hours,
			LEAVE_STATUS_LABELS[r.status],
			r.reviewRemark ?? "",
		]),
	];
}

export const adminClassRoutes = new Hono<AppEnv>()
	.get("/classes", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const parsed = listQuery.safeParse(c.req.query());
		const { q, page } = parsed.success ? parsed.data : { q: undefined, page: 1 };
		const [list, name] = await Promise.all([
			listUnitClasses(db, staff.unitId, { q, page }),
			unitName(db, staff.unitId),
		]);
		return c.html(
			htmlDocument(
				<ClassListPage
					staff={staff}
					unitName={name}
					q={q ?? ""}
					page={page}
					items={list.items}
					total={list.total}
					error={parsed.success ? undefined : firstIssue(parsed.error)}
				/>,
			),
			parsed.success ? 200 : 400,
		);
	})
	.get("/classes/:id{[0-9]{1,12}}", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const klass = await unitClass(db, staff.unitId, classId(c.req.param("id")));
		if (!klass) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這個班級" />), 404);
		const now = Date.now();
		const parsed = rangeQuery.safeParse(c.req.query());
		// A bad range shows the default one, with what was wrong, and answers 400.
		const range = completeRange(
			parsed.success ? parsed.data.from : undefined,
			parsed.success ? parsed.data.to : undefined,
			taipeiDate(now),
		);
		const [data, name, scheduling] = await Promise.all([
			classAttendance(db, klass, { ...range, now, maxSessions: MATRIX_MAX_SESSIONS }),
			unitName(db, staff.unitId),
			schedulingOf(db, staff.unitId, klass.id),
		]);
		return c.html(
			htmlDocument(
				<ClassDetailPage
					staff={staff}
					unitName={name}
					klass={klass}
					range={range}
					data={data}
					scheduling={scheduling}
					notice={sessionNotice(c.req.query())}
					error={
						parsed.success
							? undefined
							: `${firstIssue(parsed.error)}，已改為顯示最近 ${DEFAULT_RANGE_DAYS} 天。`
					}
				/>,
			),
			parsed.success ? 200 : 400,
		);
	})
	// The same rows as CSV (opens in any spreadsheet) or as an Excel workbook.
	.get("/classes/:id{[0-9]{1,12}}/:file{export\\.(?:csv|xlsx)}", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const klass = await unitClass(db, staff.unitId, classId(c.req.param("id")));
		if (!klass) throw new AppError("NOT_FOUND", "找不到這個班級");
		const query = c.req.query();
		const kind = exportQuery.safeParse(query);
		if (!kind.success) throw new AppError("VALIDATION_FAILED", firstIssue(kind.error));
		const dates = rangeQuery.safeParse(query);
		if (!dates.success) throw new AppError("VALIDATION_FAILED", firstIssue(dates.error));
		const now = Date.now();
		const today = taipeiDate(now);
		// Without dates: the whole class period (attendance only up to today while the class runs).
		const lastDay =
			kind.data.kind === "attendance" && today >= klass.startDate && today < klass.endDate
				? today
				: klass.endDate;
		const range = {
			from:
				dates.data.from ?? (dates.data.to ? addDays(dates.data.to, -(MAX_RANGE_DAYS - 1)) : klass.startDate),
			to: dates.data.to ?? (dates.data.from ? addDays(dates.data.from, MAX_RANGE_DAYS - 1) : lastDay),
		};
		let rows: CsvCell[][];
		if (kind.data.kind === "attendance") {
			const data = await classAttendance(db, klass, { ...range, now, maxSessions: EXPORT_MAX_SESSIONS });
			if (data.truncated)
				throw new AppError("VALIDATION_FAILED", `這段期間超過 ${EXPORT_MAX_SESSIONS} 節課，請縮小日期範圍`);
			rows = attendanceRows(data);
		} else {
			rows = leaveRows(await classLeaveRequests(db, klass, range));
		}
		const stamp = today.replaceAll("-", "");
		const label = kind.data.kind === "attendance" ? "出勤" : "請假";
		const xlsx = c.req.param("file").endsWith(".xlsx");
		const extension = xlsx ? "xlsx" : "csv";
		return c.body(xlsx ? toXlsx(rows, label) : toCsv(rows), 200, {
			"content-type": xlsx ? XLSX_CONTENT_TYPE : "text/csv; charset=utf-8",
			"content-disposition": attachmentDisposition(
				`${klass.code}_${label}_${stamp}.${extension}`,
				`${klass.code}_${kind.data.kind}_${stamp}.${extension}`,
			),
			"cache-control": "no-store",
		});
	});
