// What the CSV import routes (學員名冊匯入, 課表匯入) do alike: show the upload page, read the
// uploaded file (refusing a missing, empty or too large one, or one the check cannot read), show the
// preview with a confirm token signed for the member, and on 確認匯入 read that token back.
// What 確認匯入 then writes, and the result page, stay with each import's route.
import type { Context } from "hono";
import type { FC } from "hono/jsx";
import { z } from "zod";
import { createDb, type Db } from "../../db/client";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import type { StaffMember } from "../../services/staff-auth";
import { unitName } from "../../services/unit-today";
import { htmlDocument } from "../../views/document";

type Frame = { staff: StaffMember; unitName: string };
type RowError = { line: number; reasons: string[] };
type Preview<R, S> =
	| { ok: false; message: string }
	| { ok: true; rows: R[]; skipped: S[]; errors: RowError[] };

export type CsvImportSpec<C, R, S> = {
	ImportPage: FC<Frame & { classes: C[]; error?: string | undefined }>;
	/** The unit's classes the upload page lists. */
	classesOf: (db: Db, staff: StaffMember) => PromiseLike<C[]>;
	PreviewPage: FC<Frame & { rows: R[]; skipped: S[]; errors: RowError[]; token: string | null }>;
	/** e.g. 「請選擇要上傳的名冊檔案」, 2 MB, 「檔案超過 2 MB，請分成幾個檔案上傳」. */
	upload: { missing: string; maxBytes: number; tooLarge: string };
	/** Decodes and checks the file; writes nothing. */
	check: (
		deps: { db: Db; piiKey: string; now: number },
		staff: StaffMember,
		bytes: Uint8Array,
	) => Promise<Preview<R, S>>;
	/** The import's confirm tokens (services/import-token.ts) and the longest token the form takes. */
	tokens: {
		sign: (secret: string, staffId: number, rows: R[], now: number) => Promise<string>;
		read: (secret: string, staffId: number, token: string, now: number) => Promise<R[] | null>;
		maxLength: number;
	};
};

const EXPIRED = "檢查結果已逾時（30 分鐘）或無效，請重新上傳檔案";

export function csvImportFlow<C, R, S>(spec: CsvImportSpec<C, R, S>) {
	const { ImportPage, PreviewPage, upload } = spec;
	const uploadForm = z.object({
		file: z
			.instanceof(File, { message: upload.missing })
			.refine((f) => f.size > 0, "上傳的檔案是空的")
			.refine((f) => f.size <= upload.maxBytes, upload.tooLarge),
	});
	const confirmForm = z.object({
		token: z.string({ message: "缺少檢查結果，請重新上傳檔案" }).min(1).max(spec.tokens.maxLength),
	});

	/** The upload page again, saying why the file (or its confirm) was refused. */
	const refused = async (c: Context<AppEnv>, db: Db, name: string, error: string, status: 409 | 422) => {
		const staff = c.get("staff");
		const classes = await spec.classesOf(db, staff);
		return c.html(
			htmlDocument(<ImportPage staff={staff} unitName={name} classes={classes} error={error} />),
			status,
		);
	};

	return {
		refused,

		/** GET: the columns, the sample, the form and the unit's classes. */
		async page(c: Context<AppEnv>) {
			const staff = c.get("staff");
			const db = createDb(c.env.DB);
			const [name, list] = await Promise.all([unitName(db, staff.unitId), spec.classesOf(db, staff)]);
			return c.html(htmlDocument(<ImportPage staff={staff} unitName={name} classes={list} />));
		},

		/** POST of the file: the preview (nothing written), or the upload page with why not (422). */
		async preview(c: Context<AppEnv>) {
			const staff = c.get("staff");
			const db = createDb(c.env.DB);
			const name = await unitName(db, staff.unitId);
			const form = uploadForm.safeParse(await c.req.parseBody());
			if (!form.success) return refused(c, db, name, form.error.issues[0]?.message ?? upload.missing, 422);
			const bytes = new Uint8Array(await form.data.file.arrayBuffer());
			const now = Date.now();
			const preview = await spec.check({ db, piiKey: c.env.PII_HMAC_KEY, now }, staff, bytes);
			if (!preview.ok) return refused(c, db, name, preview.message, 422);
			const token =
				preview.errors.length === 0 && preview.rows.length > 0
					? await spec.tokens.sign(c.env.SESSION_COOKIE_KEY, staff.id, preview.rows, now)
					: null;
			return c.html(
				htmlDocument(
					<PreviewPage
						staff={staff}
						unitName={name}
						rows={preview.rows}
						skipped={preview.skipped}
						errors={preview.errors}
						token={token}
					/>,
				),
			);
		},

		/** The rows 確認匯入 posts back; a missing, expired or another member's token fails the request. */
		async confirmed(c: Context<AppEnv>): Promise<{ rows: R[]; now: number }> {
			const form = confirmForm.safeParse(await c.req.parseBody());
			const now = Date.now();
			const rows = form.success
				? await spec.tokens.read(c.env.SESSION_COOKIE_KEY, c.get("staff").id, form.data.token, now)
				: null;
			if (!rows) throw new AppError("VALIDATION_FAILED", EXPIRED);
			return { rows, now };
		},
	};
}
