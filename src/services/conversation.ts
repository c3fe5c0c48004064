// What the bot answers to a postback or a text, given who the user is. Side effects (a new binding
// link, a role switch with its rich menu) happen here; sending the answer is the caller's job.
import { sql } from "drizzle-orm";
import { units } from "../db/schema";
import { toHalfWidth } from "../domain/half-width";
import type { LineRole } from "../domain/roles";
import type { Settings } from "../env";
import type { LineMessage } from "../line/line-api";
import * as say from "../line/messages";
import { decodePostback, type Postback } from "../line/postback";
import { type BindingLinkDeps, createBindingLink } from "./binding-link";
import { activateRole } from "./identity";
import { lineUserState } from "./line-users";

export type ConversationDeps = BindingLinkDeps & { settings: Settings };

/** The answer, plus outbox rows (rich-menu links) to deliver right after it. */
export type Answer = { messages: LineMessage[]; outboxIds: number[] };

const answer = (messages: LineMessage[], outboxIds: number[] = []): Answer => ({ messages, outboxIds });

export async function answerPostback(deps: ConversationDeps, userId: string, data: string): Promise<Answer> {
	const postback = decodePostback(data);
	if (!postback) return answer(say.unknownAction());
	return act(deps, userId, postback);
}

async function act(deps: ConversationDeps, userId: string, postback: Postback): Promise<Answer> {
	switch (postback.a) {
		case "identity":
			return answer(say.identityMenu());
		case "bind":
			return postback.role ? bind(deps, userId, postback.role) : answer(say.chooseRoleToBind());
		case "switch":
			return switchRole(deps, userId, postback.role);
		case "faq":
			return answer(postback.topic ? say.faqAnswer(postback.topic) : say.faqMenu());
		case "support":
			return answer(say.support(await unitContacts(deps, userId)));
	}
}

async function bind(deps: ConversationDeps, userId: string, role: LineRole): Promise<Answer> {
	const state = await lineUserState(deps.db, userId);
	if (state.roles.includes(role)) return answer(say.alreadyBound(role));
	const link = await createBindingLink(deps, userId, role);
	if (!link.ok) {
		return answer([
			{ type: "text", text: "暫時無法產生綁定連結，請稍後再試一次。若持續發生，請撥客服專線 0800-777-888。" },
		]);
	}
	return answer(say.bindingLink(role, link.url, Math.round((link.expiresAt - deps.now) / 60_000)));
}

async function switchRole(
	deps: ConversationDeps,
	userId: string,
	role: LineRole | undefined,
): Promise<Answer> {
	const state = await lineUserState(deps.db, userId);
	const [only] = state.roles;
	if (!only) return answer(say.bindFirst("切換身分"));
	if (state.roles.length === 1) {
		return answer(role === only ? say.switched(only) : say.bindOtherRoleFirst(only));
	}
	if (!role) return answer(say.chooseRoleToSwitch(state.activeRole ?? only));
	const id = await activateRole(deps.db, userId, role, deps.now);
	return id === null ? answer(say.bindFirst("切換身分")) : answer(say.switched(role), [id]);
}

const KEYWORDS: [RegExp, (deps: ConversationDeps, userId: string) => Promise<Answer>][] = [
	[
		/請假|銷假|假單/,
		async (deps, userId) => {
			const state = await lineUserState(deps.db, userId);
			if (!state.roles.includes("trainee")) return answer(say.bindFirst("線上請假"));
			return answer(say.leaveShortcuts(deps.settings));
		},
	],
	[
		/簽到|簽退|打卡|掃描|qr/i,
		async (deps, userId) => {
			const state = await lineUserState(deps.db, userId);
			if (!state.activeRole) return answer(say.bindFirst("簽到退"));
			return answer(say.punchShortcuts(deps.settings, state.activeRole));
		},
	],
	[/切換/, (deps, userId) => switchRole(deps, userId, undefined)],
	[/綁定|認證|身分|身份/, async () => answer(say.chooseRoleToBind())],
	[/客服|電話|聯絡|聯繫/, async (deps, userId) => answer(say.support(await unitContacts(deps, userId)))],
	[/常見問題|問題|幫助|help|faq/i, async () => answer(say.faqMenu())],
];

export async function answerText(deps: ConversationDeps, userId: string, text: string): Promise<Answer> {
	const normalized = toHalfWidth(text).trim();
	for (const [pattern, reply] of KEYWORDS) {
		if (pattern.test(normalized)) return reply(deps, userId);
	}
	return answer(say.shortMenu());
}

/** The contact of every unit where the user is a bound trainee or teacher. */
async function unitContacts(deps: ConversationDeps, userId: string): Promise<say.UnitContact[]> {
	return deps.db
		.select({ name: units.name, phone: units.contactPhone, email: units.contactEmail })
		.from(units)
		.where(
			sql`${units.id} IN (
				SELECT c.unit_id FROM line_bindings b
				JOIN enrollments e ON e.person_id = b.person_id JOIN classes c ON c.id = e.class_id
				WHERE b.line_user_id = ${userId}
				UNION
				SELECT c.unit_id FROM line_bindings b
				JOIN class_teachers t ON t.person_id = b.person_id JOIN classes c ON c.id = t.class_id
				WHERE b.line_user_id = ${userId})`,
		)
		.orderBy(units.name);
}
