// The last step of binding: LINE's accountLink event. With result "ok" and the nonce of an open
// request of this same LINE user, the binding is created and the request consumed in one D1 batch.
// A person keeps at most one LINE account per role: binding from a new account moves it, and the
// old account is told.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { insertIf } from "../db/batch";
import { auditLog, bindingRequests, lineBindings, lineUsers } from "../db/schema";
import { LINE_ROLE_LABELS, type LineRole } from "../domain/roles";
import { liffUrl } from "../line/liff-urls";
import type { LineMessage } from "../line/line-api";
import { menuForRole } from "../line/rich-menus";
import { log } from "../log";
import type { BindingRequest } from "./binding";
import type { Answer } from "./conversation";
import type { AccountLinkHandler, LineEventDeps } from "./line-events";
import { lineUserState } from "./line-users";
import { enqueue } from "./outbox";

const retryHint: LineMessage[] = [
	{
		type: "text",
		text: "LINE 帳號連動未完成，沒有綁定任何身分。\n請在您自己的 LINE 點選下方選單「身分認證」→「綁定帳號」重新領取綁定連結，並用收到連結的同一個 LINE 帳號開啟；若一直失敗，可參考「常見問題」。",
	},
];

function linked(deps: LineEventDeps, role: LineRole): LineMessage[] {
	return [
		{
			type: "template",
			altText: "已將LINE與Training LINE連動",
			template: {
				type: "buttons",
				text: `已將LINE與Training LINE連動。\n您現在可以使用【${LINE_ROLE_LABELS[role]}專區】了。`,
				actions: [
					{ type: "uri", label: `進入${LINE_ROLE_LABELS[role]}專區`, uri: liffUrl(deps.settings, role, "/") },
				],
			},
		},
	];
}

async function queueMenu(deps: LineEventDeps, userId: string, role: LineRole | null): Promise<number> {
	return enqueue(
		deps.db,
		{ channel: "line_rich_menu", recipient: userId, payload: { menu: menuForRole(role) } },
		deps.now,
	);
}

/** Whether this LINE user holds the request's binding, i.e. an earlier event with this nonce completed it. */
async function completedBefore(
	deps: LineEventDeps,
	userId: string,
	request: BindingRequest,
): Promise<boolean> {
	if (!request.personId) return false;
	const row = await deps.db
		.select({ id: lineBindings.id })
		.from(lineBindings)
		.where(
			and(
				eq(lineBindings.lineUserId, userId),
				eq(lineBindings.role, request.role),
				eq(lineBindings.personId, request.personId),
			),
		)
		.get();
	return !!row;
}

/**
 * A refused accountLink is logged (no nonce, no personal data) and answered with how to retry.
 * A second event for a nonce this same user already completed (a racing duplicate) gets no answer:
 * the user was told 「已將LINE與Training LINE連動」 once, and telling them it failed would be wrong.
 */
async function refuse(
	deps: LineEventDeps,
	reason: string,
	request: BindingRequest | undefined,
	userId?: string,
): Promise<Answer> {
	log.warn("account_link_refused", { reason, requestId: request?.id ?? null });
	const duplicate =
		reason === "used_nonce" && request && userId && (await completedBefore(deps, userId, request));
	return { messages: duplicate ? [] : retryHint, outboxIds: [] };
}

export const completeAccountLink: AccountLinkHandler = async (deps, userId, link): Promise<Answer> => {
	const { db, now } = deps;
	if (link.result !== "ok") return refuse(deps, "result_failed", undefined);
	const request = await db.select().from(bindingRequests).where(eq(bindingRequests.nonce, link.nonce)).get();
	const refusal = !request
		? "unknown_nonce"
		: request.lineUserId !== userId
			? "other_users_nonce"
			: request.usedAt
				? "used_nonce"
				: request.voidedAt
					? "voided_request"
					: (request.nonceExpiresAt ?? 0) <= now
						? "expired_nonce"
						: !request.personId || !request.verifiedAt
							? "unverified_request"
							: null;
	if (refusal || !request?.personId) return refuse(deps, refusal ?? "unverified_request", request, userId);
	const { personId, role } = request;

	const previous = await db
		.select({ lineUserId: lineBindings.lineUserId })
		.from(lineBindings)
		.where(
			and(
				eq(lineBindings.personId, personId),
				eq(lineBindings.role, role),
				ne(lineBindings.lineUserId, userId),
			),
		)
		.get();
	const stillOpen = sql`EXISTS (SELECT 1 FROM binding_requests WHERE id = ${request.id} AND used_at IS NULL)`;
	const unused = and(eq(bindingRequests.id, request.id), isNull(bindingRequests.usedAt));
	// One batch (one transaction): every write happens only while the request is unused, and the
	// request is marked used last, so an accountLink event racing on the same nonce writes nothing.
	const [, , , , , consumed] = await db.batch([
		// The person's binding for this role held by another LINE account moves here…
		db
			.delete(lineBindings)
			.where(and(eq(lineBindings.personId, personId), eq(lineBindings.role, role), stillOpen)),
		// …and whoever this account was bound to for this role before is replaced.
		db
			.delete(lineBindings)
			.where(and(eq(lineBindings.lineUserId, userId), eq(lineBindings.role, role), stillOpen)),
		insertIf(
			db,
			lineBindings,
			{ lineUserId: userId, role, personId, boundAt: now },
			{ from: bindingRequests, where: unused },
		),
		db
			.update(lineUsers)
			.set({ activeRole: role, updatedAt: now })
			.where(and(eq(lineUsers.userId, userId), stillOpen)),
		insertIf(
			db,
			auditLog,
			{
				at: now,
				actorType: "line_user",
				actorId: userId,
				action: previous ? "line_binding.moved" : "line_binding.created",
				entityType: "person",
				entityId: String(personId),
				before: previous ? JSON.stringify({ lineUserId: previous.lineUserId, role }) : null,
				after: JSON.stringify({ lineUserId: userId, role }),
			},
			{ from: bindingRequests, where: unused },
		),
		db.update(bindingRequests).set({ usedAt: now }).where(unused),
	]);
	if (consumed.meta.changes !== 1) return refuse(deps, "used_nonce", request, userId);
	log.info("account_linked", { requestId: request.id, role, moved: !!previous });

	const outboxIds = [await queueMenu(deps, userId, role)];
	if (previous) {
		// The old account keeps its other identity, if any; its menu follows.
		const old = await lineUserState(db, previous.lineUserId);
		await db
			.update(lineUsers)
			.set({ activeRole: old.activeRole, updatedAt: now })
			.where(eq(lineUsers.userId, previous.lineUserId));
		outboxIds.push(await queueMenu(deps, previous.lineUserId, old.activeRole));
		outboxIds.push(
			await enqueue(
				db,
				{
					channel: "line_push",
					recipient: previous.lineUserId,
					payload: {
						messages: [
							{
								type: "text",
								text: `您的${LINE_ROLE_LABELS[role]}身分已綁定到另一個 LINE 帳號，這個帳號已解除該身分的綁定。\n若不是您本人操作，請立即聯繫訓練單位或撥打客服專線 0800-777-888。`,
							},
						],
					},
					dedupeKey: `binding-moved:${request.id}`,
				},
				now,
			),
		);
	}
	return { messages: linked(deps, role), outboxIds };
};
