// The last step of binding: LINE's accountLink event. With result "ok" and the nonce of an open
// request of this same LINE user, the binding is created and the request consumed in one D1 batch.
// A person keeps at most one LINE account per role: binding from a new account moves it, and the
// old account is told.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { bindingRequests, lineBindings, lineUsers } from "../db/schema";
import { LINE_ROLE_LABELS, type LineRole } from "../domain/roles";
import { liffUrl } from "../line/liff-urls";
import type { LineMessage } from "../line/line-api";
import { menuForRole } from "../line/rich-menus";
import { log } from "../log";
import { auditStatement } from "./audit";
import type { Answer } from "./conversation";
import type { AccountLinkHandler, LineEventDeps } from "./line-events";
import { lineUserState } from "./line-users";
import { enqueue } from "./outbox";

const retryHint: LineMessage[] = [
	{
		type: "text",
		text: "LINE 帳號連動未完成，沒有綁定任何身分。\n請點選下方選單「身分認證」→「綁定帳號」重新領取綁定連結再試一次；若一直失敗，可參考「常見問題」。",
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

export const completeAccountLink: AccountLinkHandler = async (deps, userId, link): Promise<Answer> => {
	const { db, now } = deps;
	if (link.result !== "ok") {
		log.warn("account_link_refused", { reason: "result_failed" });
		return { messages: retryHint, outboxIds: [] };
	}
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
	if (refusal || !request?.personId) {
		log.warn("account_link_refused", { reason: refusal, requestId: request?.id ?? null });
		return { messages: retryHint, outboxIds: [] };
	}
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
	// One batch (one transaction): the moves and the insert only happen while the request is unused,
	// and the request is marked used in the same breath, so a replay binds nothing.
	const [, , , consumed] = await db.batch([
		// The person's binding for this role held by another LINE account moves here…
		db
			.delete(lineBindings)
			.where(and(eq(lineBindings.personId, personId), eq(lineBindings.role, role), stillOpen)),
		// …and whoever this account was bound to for this role before is replaced.
		db
			.delete(lineBindings)
			.where(and(eq(lineBindings.lineUserId, userId), eq(lineBindings.role, role), stillOpen)),
		db.insert(lineBindings).select(
			db
				.select({
					// NULL lets SQLite assign the row id; drizzle wants every column, in table order.
					id: sql<number>`NULL`.as("id"),
					lineUserId: sql<string>`${userId}`.as("line_user_id"),
					role: bindingRequests.role,
					personId: sql<number>`${personId}`.as("person_id"),
					boundAt: sql<number>`${now}`.as("bound_at"),
				})
				.from(bindingRequests)
				.where(and(eq(bindingRequests.id, request.id), isNull(bindingRequests.usedAt))),
		),
		db
			.update(bindingRequests)
			.set({ usedAt: now })
			.where(and(eq(bindingRequests.id, request.id), isNull(bindingRequests.usedAt))),
		db.update(lineUsers).set({ activeRole: role, updatedAt: now }).where(eq(lineUsers.userId, userId)),
		auditStatement(db, {
			at: now,
			actorType: "line_user",
			actorId: userId,
			action: previous ? "line_binding.moved" : "line_binding.created",
			entityType: "person",
			entityId: String(personId),
			before: previous ? { lineUserId: previous.lineUserId, role } : null,
			after: { lineUserId: userId, role },
		}),
	]);
	if (consumed.meta.changes !== 1) {
		log.warn("account_link_refused", { reason: "used_nonce", requestId: request.id });
		return { messages: retryHint, outboxIds: [] };
	}
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
