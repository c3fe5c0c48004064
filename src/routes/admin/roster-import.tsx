// 學員名冊匯入 (/admin/roster-import): upload → preview (nothing written) → 確認匯入. Scoped to the
// member's unit; the confirm step gets the checked rows back in a signed token, never clear IDs.
import { Hono } from "hono";
import { createDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { limitBody } from "../../middleware/body-limit";
import {
	importRoster,
	MAX_ROSTER_FILE_BYTES,
	previewRosterImport,
	ROSTER_COLUMNS,
	readRosterRows,
	rosterClassesOf,
	signRosterRows,
} from "../../services/roster-import";
import { unitName } from "../../services/unit-today";
import { RosterImportPage, RosterPreviewPage, RosterResultPage } from "../../views/admin/roster-import";
import { htmlDocument } from "../../views/document";
import { csvImportFlow } from "./csv-import-flow";

const flow = csvImportFlow({
	ImportPage: RosterImportPage,
	classesOf: rosterClassesOf,
	PreviewPage: RosterPreviewPage,
	upload: {
		missing: "請選擇要上傳的名冊檔案",
		maxBytes: MAX_ROSTER_FILE_BYTES,
		tooLarge: "檔案超過 2 MB，請分成幾個檔案上傳",
	},
	check: previewRosterImport,
	tokens: { sign: signRosterRows, read: readRosterRows, maxLength: 1_000_000 },
});

const SAMPLE_ROWS = [
	["1", "王小明", "A123456789", "79/05/25", "0912-345-678", "wang@example.com"],
	["2", "林美華", "B234567894", "1992-11-03", "0987654321", ""],
];

export const adminRosterImportRoutes = new Hono<AppEnv>()
	.get("/roster-import", (c) => flow.page(c))
	.get("/roster-import/sample.csv", async (c) => {
		const list = await rosterClassesOf(createDb(c.env.DB), c.get("staff"));
		const code = list[0]?.code ?? "DEMO-115-01";
		const lines = [Object.values(ROSTER_COLUMNS), ...SAMPLE_ROWS.map((r) => [code, ...r])];
		// The BOM makes Excel read the file as UTF-8.
		const body = `\uFEFF${lines.map((l) => l.join(",")).join("\r\n")}\r\n`;
		return c.body(body, 200, {
			"content-type": "text/csv; charset=utf-8",
			"content-disposition": `attachment; filename="roster-sample.csv"; filename*=UTF-8''${encodeURIComponent("學員名冊範例.csv")}`,
			"cache-control": "no-store",
		});
	})
	// The multipart envelope adds a little to the file's 2 MB.
	.post("/roster-import", limitBody(MAX_ROSTER_FILE_BYTES + 64 * 1024), (c) => flow.preview(c))
	.post("/roster-import/confirm", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const { rows, now } = await flow.confirmed(c);
		const result = await importRoster(
			{ db, now },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			rows,
		);
		if (!result.ok) throw new AppError("NOT_FOUND", result.message);
		const name = await unitName(db, staff.unitId);
		return c.html(
			htmlDocument(
				<RosterResultPage
					staff={staff}
					unitName={name}
					enrolled={result.enrolled}
					skipped={result.skipped}
					rows={rows}
				/>,
			),
		);
	});
