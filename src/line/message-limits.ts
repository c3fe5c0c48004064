// LINE's documented limits on the message objects this product sends. The emulator refuses what
// LINE would refuse (400), and a unit test runs every message builder through it.
import type { messagingApi } from "@line/bot-sdk";

const chars = (s: string | undefined) => [...(s ?? "")].length;

function actionProblems(action: messagingApi.Action, where: string): string[] {
	const problems: string[] = [];
	const label = (action as { label?: string }).label;
	if (label !== undefined && chars(label) > 20) problems.push(`${where}: label over 20 characters`);
	if (action.type === "postback") {
		const postback = action as messagingApi.PostbackAction;
		if (chars(postback.data) > 300) problems.push(`${where}: postback data over 300 characters`);
		if (chars(postback.displayText) > 300) problems.push(`${where}: displayText over 300 characters`);
	}
	if (action.type === "uri" && chars((action as messagingApi.URIAction).uri) > 1000) {
		problems.push(`${where}: uri over 1000 characters`);
	}
	return problems;
}

function flexProblems(component: unknown, where: string): string[] {
	if (!component || typeof component !== "object") return [];
	const node = component as {
		action?: messagingApi.Action;
		contents?: unknown[];
		body?: unknown;
		header?: unknown;
		footer?: unknown;
	};
	return [
		...(node.action ? actionProblems(node.action, where) : []),
		...(node.contents ?? []).flatMap((c, i) => flexProblems(c, `${where}.contents[${i}]`)),
		...[node.header, node.body, node.footer].flatMap((part) => flexProblems(part, where)),
	];
}

/** Every way these messages break LINE's limits; empty when LINE would accept them. */
export function lineMessageProblems(messages: messagingApi.Message[]): string[] {
	const problems: string[] = [];
	if (messages.length === 0 || messages.length > 5) problems.push("1 to 5 messages per request");
	messages.forEach((message, m) => {
		const at = `messages[${m}]`;
		const items = message.quickReply?.items ?? [];
		if (items.length > 13) problems.push(`${at}: more than 13 quick replies`);
		items.forEach((item, i) => {
			if (item.action) problems.push(...actionProblems(item.action, `${at}.quickReply[${i}]`));
		});
		if (message.type === "text") {
			const text = (message as messagingApi.TextMessage).text;
			if (chars(text) === 0 || chars(text) > 5000) problems.push(`${at}: text must be 1 to 5000 characters`);
		} else if (message.type === "template") {
			const template = message as messagingApi.TemplateMessage;
			if (chars(template.altText) > 400) problems.push(`${at}: altText over 400 characters`);
			const body = template.template;
			if (body.type === "buttons") {
				const b = body as messagingApi.ButtonsTemplate;
				if (chars(b.title) > 40) problems.push(`${at}: title over 40 characters`);
				const limit = b.title || b.thumbnailImageUrl ? 60 : 160;
				if (chars(b.text) > limit) problems.push(`${at}: text over ${limit} characters`);
				if (b.actions.length === 0 || b.actions.length > 4) problems.push(`${at}: 1 to 4 actions`);
				b.actions.forEach((a, i) => {
					problems.push(...actionProblems(a, `${at}.actions[${i}]`));
				});
			}
		} else if (message.type === "flex") {
			const flex = message as messagingApi.FlexMessage;
			if (chars(flex.altText) > 400) problems.push(`${at}: altText over 400 characters`);
			problems.push(...flexProblems(flex.contents, `${at}.contents`));
		}
	});
	return problems;
}
