// 學員名冊匯入 (/admin/roster-import): upload → preview (nothing written) → 確認匯入. Scoped to the
// member's unit; the confirm step gets the checked rows back in a signed token, never clear IDs.
import { Hono } from "hono";
import { z } from "zod";
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

const uploadForm = z.object({
	file: z
		.instanceof(File, { message: "請選擇要上傳的名冊檔案" })
		.refine((f) => f.size > 0, "上傳的檔案是空的")
		.refine((f) => f.size <= MAX_ROSTER_FILE_BYTES, "檔案超過 2 MB，請分成幾個檔案上傳"),
});
const confirmForm = z.object({
	token: z.string({ message: "缺少檢查結果，請重新上傳檔案" }).min(1).max(1_000_000),
});

const SAMPLE_ROWS = [
	["1", "王小明", "A123456789", "79/05/25", "0912-345-678", "wang@example.com"],
	["2", "林美華", "B234567894", "1992-11-03", "0987654321", ""],
];

export const adminRosterImportRoutes = new Hono<AppEnv>()
	.get("/roster-import", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const [name, list] = await Promise.all([unitName(db, staff.unitId), rosterClassesOf(db, staff)]);
		return c.html(htmlDocument(<RosterImportPage staff={staff} unitName={name} classes={list} />));
	})
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
	.post("/roster-import", limitBody(MAX_ROSTER_FILE_BYTES + 64 * 1024), async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const name = await unitName(db, staff.unitId);
		const body = await c.req.parseBody();
		const form = uploadForm.safeParse(body);
		const refuse = async (error: string) =>
			c.html(
				htmlDocument(
					<RosterImportPage
						staff={staff}
						unitName={name}
						classes={await rosterClassesOf(db, staff)}
						error={error}
					/>,
				),
				422,
			);
		if (!form.success) return refuse(form.error.issues[0]?.message ?? "請選擇要上傳的名冊檔案");
		const bytes = new Uint8Array(await form.data.file.arrayBuffer());
		const preview = await previewRosterImport({ db, piiKey: c.env.PII_HMAC_KEY }, staff, bytes);
		if (!preview.ok) return refuse(preview.message);
		const token =
			preview.errors.length === 0 && preview.rows.length > 0
				? await signRosterRows(c.env.SESSION_COOKIE_KEY, staff.id, preview.rows, Date.now())
				: null;
		return c.html(
			htmlDocument(
				<RosterPreviewPage
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
	.post("/roster-import/confirm", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const form = confirmForm.safeParse(await c.req.parseBody());
		const now = Date.now();
		const rows = form.success
			? await readRosterRows(c.env.SESSION_COOKIE_KEY, staff.id, form.data.token, now)
			: null;
		if (!rows) throw new AppError("VALIDATION_FAILED", "檢查結果已逾時（30 分鐘）或無效，請重新上傳檔案");
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
