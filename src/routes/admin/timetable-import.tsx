// 課表匯入 (/admin/timetable-import): upload → preview (nothing written) → 確認匯入. Scoped to the
// member's unit; the confirm step gets the checked rows back in a token signed for the member.
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { toCsv } from "../../domain/csv";
import { formatRocDate } from "../../domain/roc-date";
import { addDays, taipeiDate, weekdayOf } from "../../domain/taipei-time";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { scheduleClass } from "../../services/session-edit";
import { unitTeachers } from "../../services/session-schedule";
import {
	importTimetable,
	MAX_TIMETABLE_FILE_BYTES,
	previewTimetableImport,
	readTimetableRows,
	signTimetableRows,
	timetableClassesOf,
} from "../../services/timetable-import";
import { TIMETABLE_COLUMNS } from "../../services/timetable-rows";
import { unitName } from "../../services/unit-today";
import {
	TimetableImportPage,
	TimetablePreviewPage,
	TimetableResultPage,
} from "../../views/admin/timetable-import";
import { htmlDocument } from "../../views/document";

const uploadForm = z.object({
	file: z
		.instanceof(File, { message: "請選擇要上傳的課表檔案" })
		.refine((f) => f.size > 0, "上傳的檔案是空的")
		.refine((f) => f.size <= MAX_TIMETABLE_FILE_BYTES, "檔案超過 512 KB，請分成幾個檔案上傳"),
});
const confirmForm = z.object({
	token: z.string({ message: "缺少檢查結果，請重新上傳檔案" }).min(1).max(900_000),
});

/** A Saturday (make-up day) in the class period from tomorrow on, so the sample's rows can pass. */
function sampleDate(klass: { startDate: string; endDate: string } | undefined, today: string): string {
	let date = klass && klass.startDate > today ? klass.startDate : addDays(today, 1);
	while (weekdayOf(date) !== 6) date = addDays(date, 1);
	return date;
}

export const adminTimetableImportRoutes = new Hono<AppEnv>()
	.get("/timetable-import", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const [name, list] = await Promise.all([unitName(db, staff.unitId), timetableClassesOf(db, staff)]);
		return c.html(htmlDocument(<TimetableImportPage staff={staff} unitName={name} classes={list} />));
	})
	.get("/timetable-import/sample.csv", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const today = taipeiDate(Date.now());
		const list = await timetableClassesOf(db, staff);
		// The first class still running or to come, else any: the sample names a real code and teacher.
		const klass = list.find((k) => k.endDate > today) ?? list[0];
		const full = klass ? await scheduleClass(db, staff.unitId, klass.id) : null;
		const teacher = full ? ((await unitTeachers(db, [full.unitId]))[0]?.name ?? "") : "";
		const code = klass?.code ?? "DEMO-115-01";
		const date = sampleDate(klass, today);
		const body = toCsv([
			Object.values(TIMETABLE_COLUMNS),
			[code, date, "09:00", "12:00", "3", "補課：專題實作", teacher, "301 教室"],
			[code, formatRocDate(date), "13:00", "16:00", "", "補課：專題實作", teacher, ""],
		]);
		return c.body(body, 200, {
			"content-type": "text/csv; charset=utf-8",
			"content-disposition": `attachment; filename="timetable-sample.csv"; filename*=UTF-8''${encodeURIComponent("課表範例.csv")}`,
			"cache-control": "no-store",
		});
	})
	.post("/timetable-import", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const name = await unitName(db, staff.unitId);
		const form = uploadForm.safeParse(await c.req.parseBody());
		const refuse = async (error: string) =>
			c.html(
				htmlDocument(
					<TimetableImportPage
						staff={staff}
						unitName={name}
						classes={await timetableClassesOf(db, staff)}
						error={error}
					/>,
				),
				422,
			);
		if (!form.success) return refuse(form.error.issues[0]?.message ?? "請選擇要上傳的課表檔案");
		const bytes = new Uint8Array(await form.data.file.arrayBuffer());
		const now = Date.now();
		const preview = await previewTimetableImport({ db, piiKey: c.env.PII_HMAC_KEY, now }, staff, bytes);
		if (!preview.ok) return refuse(preview.message);
		const token =
			preview.errors.length === 0 && preview.rows.length > 0
				? await signTimetableRows(c.env.SESSION_COOKIE_KEY, staff.id, preview.rows, now)
				: null;
		return c.html(
			htmlDocument(
				<TimetablePreviewPage
					staff={staff}
					unitName={name}
					rows={preview.rows}
					skipped={preview.skipped}
					errors={preview.errors}
					token={token}
				/>,
			),
		);
	})
	.post("/timetable-import/confirm", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const form = confirmForm.safeParse(await c.req.parseBody());
		const now = Date.now();
		const rows = form.success
			? await readTimetableRows(c.env.SESSION_COOKIE_KEY, staff.id, form.data.token, now)
			: null;
		if (!rows) throw new AppError("VALIDATION_FAILED", "檢查結果已逾時（30 分鐘）或無效，請重新上傳檔案");
		const result = await importTimetable(
			{ db, now },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			rows,
		);
		const name = await unitName(db, staff.unitId);
		if (!result.ok) {
			if (result.code === "NOT_FOUND") throw new AppError("NOT_FOUND", result.message);
			return c.html(
				htmlDocument(
					<TimetableImportPage
						staff={staff}
						unitName={name}
						classes={await timetableClassesOf(db, staff)}
						error={result.message}
					/>,
				),
				409,
			);
		}
		const links = new Map<number, { id: number; code: string; from: string }>();
		for (const r of rows) {
			const seen = links.get(r.classId);
			if (!seen || r.date < seen.from)
				links.set(r.classId, { id: r.classId, code: r.classCode, from: r.date });
		}
		return c.html(
			htmlDocument(
				<TimetableResultPage
					staff={staff}
					unitName={name}
					added={result.added}
					skipped={result.skipped}
					rows={rows}
					links={[...links.values()]}
				/>,
			),
		);
	});
