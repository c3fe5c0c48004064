// 課表匯入 (/admin/timetable-import): upload → preview (nothing written) → 確認匯入. Scoped to the
// member's unit; the confirm step gets the checked rows back in a token signed for the member.
import { Hono } from "hono";
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
import { csvImportFlow } from "./csv-import-flow";

const flow = csvImportFlow({
	ImportPage: TimetableImportPage,
	classesOf: timetableClassesOf,
	PreviewPage: TimetablePreviewPage,
	upload: {
		missing: "請選擇要上傳的課表檔案",
		maxBytes: MAX_TIMETABLE_FILE_BYTES,
		tooLarge: "檔案超過 512 KB，請分成幾個檔案上傳",
	},
	check: previewTimetableImport,
	tokens: { sign: signTimetableRows, read: readTimetableRows, maxLength: 900_000 },
});

/** A Saturday (make-up day) in the class period from tomorrow on, so the sample's rows can pass. */
function sampleDate(klass: { startDate: string; endDate: string } | undefined, today: string): string {
	let date = klass && klass.startDate > today ? klass.startDate : addDays(today, 1);
	while (weekdayOf(date) !== 6) date = addDays(date, 1);
	return date;
}

export const adminTimetableImportRoutes = new Hono<AppEnv>()
	.get("/timetable-import", (c) => flow.page(c))
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
	.post("/timetable-import", (c) => flow.preview(c))
	.post("/timetable-import/confirm", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const { rows, now } = await flow.confirmed(c);
		const result = await importTimetable(
			{ db, now },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			rows,
		);
		const name = await unitName(db, staff.unitId);
		if (!result.ok) {
			if (result.code === "NOT_FOUND") throw new AppError("NOT_FOUND", result.message);
			return flow.refused(c, db, name, result.message, 409);
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
