// Proof files of leave requests: stored in R2 under unguessable keys, listed with the request, and
// read back only by the trainee who filed it or by staff of the request's unit.
import { and, eq, inArray, sql } from "drizzle-orm";
import { insertIf, selectInChunks } from "../db/batch";
import type { Db } from "../db/client";
import { auditLog, leaveAttachments, leaveRequests } from "../db/schema";
import {
	displayFileName,
	MAX_ATTACHMENT_BYTES,
	MAX_ATTACHMENTS,
	sniffAttachment,
} from "../domain/leave-attachment-files";
import { notPendingMessage } from "../domain/leave-policy";
import { randomToken } from "./random";

export type AttachmentDeps = { db: Db; bucket: R2Bucket; now: number };

export type AttachmentView = { id: number; fileName: string; contentType: string; size: number };

export type AddAttachmentResult =
	| { ok: true; attachment: AttachmentView }
	| {
			ok: false;
			code:
				| "NOT_FOUND"
				| "LEAVE_NOT_PENDING"
				| "ATTACHMENT_TOO_LARGE"
				| "ATTACHMENT_TYPE"
				| "ATTACHMENT_LIMIT";
			message: string;
	  };

const refused = (code: Exclude<AddAttachmentResult, { ok: true }>["code"], message: string) =>
	({ ok: false, code, message }) as const;

/**
 * Adds a proof file to the trainee's own pending request. The row is written only while the request
 * is still pending and has fewer than MAX_ATTACHMENTS files, so parallel uploads cannot pass the limit;
 * a refused file is removed from R2 again.
 */
export async function addAttachment(
	deps: AttachmentDeps,
	personId: number,
	requestId: number,
	upload: { bytes: Uint8Array; fileName: string | null },
): Promise<AddAttachmentResult> {
	const { db, bucket, now } = deps;
	if (upload.bytes.byteLength === 0) return refused("ATTACHMENT_TYPE", "檔案是空的，請重新選擇。");
	if (upload.bytes.byteLength > MAX_ATTACHMENT_BYTES)
		return refused("ATTACHMENT_TOO_LARGE", "檔案超過 5 MB，請縮小或改拍一張較小的照片。");
	const kind = sniffAttachment(upload.bytes);
	if (!kind) return refused("ATTACHMENT_TYPE", "只接受照片（JPG、PNG、WebP、HEIC）或 PDF 檔。");
	const request = await db
		.select({ status: leaveRequests.status, unitId: leaveRequests.unitId })
		.from(leaveRequests)
		.where(and(eq(leaveRequests.id, requestId), eq(leaveRequests.personId, personId)))
		.get();
	if (!request) return refused("NOT_FOUND", "找不到這張假單。");
	if (request.status !== "pending")
		return refused("LEAVE_NOT_PENDING", notPendingMessage(request.status, "補附檔案"));

	const r2Key = `leave/${requestId}/${randomToken(18)}`;
	const fileName = displayFileName(upload.fileName, kind);
	await bucket.put(r2Key, upload.bytes, { httpMetadata: { contentType: kind.contentType } });
	const stillOpen = and(
		eq(leaveRequests.id, requestId),
		eq(leaveRequests.personId, personId),
		eq(leaveRequests.status, "pending"),
		sql`(SELECT COUNT(*) FROM leave_attachments WHERE leave_request_id = ${requestId}) < ${MAX_ATTACHMENTS}`,
	);
	const [inserted] = await db.batch([
		insertIf(
			db,
			leaveAttachments,
			{
				leaveRequestId: requestId,
				r2Key,
				fileName,
				contentType: kind.contentType,
				size: upload.bytes.byteLength,
				createdAt: now,
			},
			{ from: leaveRequests, where: stillOpen },
		),
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "line_user",
				actorId: `person:${personId}`,
				unitId: request.unitId,
				action: "leave.attachment_added",
				entityType: "leave_request",
				entityId: String(requestId),
				after: JSON.stringify({ fileName, contentType: kind.contentType, size: upload.bytes.byteLength }),
			},
			{ from: leaveAttachments, where: eq(leaveAttachments.r2Key, r2Key) },
		),
	]);
	const row = await db
		.select({ id: leaveAttachments.id })
		.from(leaveAttachments)
		.where(eq(leaveAttachments.r2Key, r2Key))
		.get();
	if (inserted.meta.changes === 1 && row)
		return {
			ok: true,
			attachment: { id: row.id, fileName, contentType: kind.contentType, size: upload.bytes.byteLength },
		};
	await bucket.delete(r2Key);
	const now2 = await db
		.select({ status: leaveRequests.status })
		.from(leaveRequests)
		.where(eq(leaveRequests.id, requestId))
		.get();
	return !now2 || now2.status === "pending"
		? refused("ATTACHMENT_LIMIT", `每張假單最多附 ${MAX_ATTACHMENTS} 個檔案。`)
		: refused("LEAVE_NOT_PENDING", notPendingMessage(now2.status, "補附檔案"));
}

/** The files of some requests, by request id. */
export async function attachmentsOf(db: Db, requestIds: number[]): Promise<Map<number, AttachmentView[]>> {
	const byRequest = new Map<number, AttachmentView[]>();
	const rows = await selectInChunks(requestIds, (chunk) =>
		db
			.select()
			.from(leaveAttachments)
			.where(inArray(leaveAttachments.leaveRequestId, chunk))
			.orderBy(leaveAttachments.id),
	);
	for (const r of rows) {
		const list = byRequest.get(r.leaveRequestId) ?? [];
		list.push({ id: r.id, fileName: r.fileName, contentType: r.contentType, size: r.size });
		byRequest.set(r.leaveRequestId, list);
	}
	return byRequest;
}

/** Who may read a file: the trainee who filed the request, or staff of a unit (null: the agency). */
export type AttachmentReader = { personId: number } | { unitId: number | null };

/** A file and its metadata, or null when it does not exist for this reader (never a hint why). */
export async function readAttachment(
	deps: Omit<AttachmentDeps, "now">,
	reader: AttachmentReader,
	requestId: number,
	attachmentId: number,
): Promise<{ body: ReadableStream; fileName: string; contentType: string; size: number } | null> {
	const { db, bucket } = deps;
	const scope =
		"personId" in reader
			? eq(leaveRequests.personId, reader.personId)
			: reader.unitId === null
				? undefined
				: eq(leaveRequests.unitId, reader.unitId);
	const row = await db
		.select({ attachment: leaveAttachments })
		.from(leaveAttachments)
		.innerJoin(leaveRequests, eq(leaveRequests.id, leaveAttachments.leaveRequestId))
		.where(and(eq(leaveAttachments.id, attachmentId), eq(leaveRequests.id, requestId), scope))
		.get();
	if (!row) return null;
	const object = await bucket.get(row.attachment.r2Key);
	if (!object) return null;
	const { fileName, contentType, size } = row.attachment;
	return { body: object.body, fileName, contentType, size };
}
