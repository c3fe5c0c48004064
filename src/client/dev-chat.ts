// Browser side of the /__dev LINE emulator: renders the bot's messages (text, buttons, confirm,
// flex, quick replies) and the user's rich menu, and sends what the user does to /__dev/api/send.

type Action = {
	type: string;
	label?: string;
	data?: string;
	displayText?: string;
	text?: string;
	uri?: string;
};
type Area = {
	label: string;
	bounds: { x: number; y: number; width: number; height: number };
	action: Action;
};
type Menu = {
	name: string;
	image: string;
	size: { width: number; height: number };
	chatBarText: string;
	areas: Area[];
};
type Entry = { id: number; at: number; kind: string; body: unknown };
type LineMessage = {
	type: string;
	text?: string;
	altText?: string;
	quickReply?: { items: { action: Action }[] };
	template?: { type: string; title?: string; text: string; actions: Action[] };
	contents?: FlexNode;
	originalContentUrl?: string;
};
type FlexNode = {
	type: string;
	layout?: string;
	contents?: FlexNode[];
	text?: string;
	weight?: string;
	size?: string;
	color?: string;
	action?: Action;
	style?: string;
	header?: FlexNode;
	body?: FlexNode;
	footer?: FlexNode;
};

const MENU_LABELS: Record<string, string> = {
	unbound: "身分認證選單",
	trainee: "學員專區",
	teacher: "教師專區",
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const chat = $<HTMLOListElement>("chat");
const quickReplies = $<HTMLDivElement>("quick-replies");
const composer = $<HTMLFormElement>("composer");
const input = $<HTMLInputElement>("text");

let userId: string | null = null;
let lastId = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function el<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	className?: string,
	text?: string,
): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

async function send(event: Record<string, unknown>): Promise<void> {
	if (!userId) return;
	const res = await fetch("/__dev/api/send", {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ userId, event }),
	});
	if (!res.ok) {
		const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
		note(`送出失敗：${body?.error?.message ?? res.status}`);
	}
	poll(300);
}

function perform(action: Action): void {
	if (action.type === "postback") {
		void send({ type: "postback", data: action.data ?? "", displayText: action.displayText ?? action.label });
	} else if (action.type === "message") {
		void send({ type: "text", text: action.text ?? action.label ?? "" });
	} else if (action.type === "uri" && action.uri) {
		// LIFF pages and the binding page open as LINE would: in a browser window of their own.
		window.open(action.uri, "_blank", "noopener");
	}
}

function actionButton(action: Action, className = "action"): HTMLButtonElement {
	const button = el("button", className, action.label ?? action.displayText ?? "…");
	button.type = "button";
	if (action.type === "uri") button.title = action.uri ?? "";
	button.addEventListener("click", () => perform(action));
	return button;
}

function renderFlex(node: FlexNode | undefined): HTMLElement | null {
	if (!node) return null;
	switch (node.type) {
		case "bubble": {
			const bubble = el("div", "flex-bubble");
			for (const part of [node.header, node.body, node.footer]) {
				const rendered = renderFlex(part);
				if (rendered) bubble.append(rendered);
			}
			return bubble;
		}
		case "box": {
			const box = el("div", `flex-box ${node.layout ?? "vertical"}`);
			for (const child of node.contents ?? []) {
				const rendered = renderFlex(child);
				if (rendered) box.append(rendered);
			}
			return box;
		}
		case "text": {
			const text = el(
				"p",
				`flex-text ${node.weight === "bold" ? "bold" : ""} size-${node.size ?? "md"}`,
				node.text,
			);
			if (node.color) text.style.color = node.color;
			return text;
		}
		case "button":
			return node.action ? actionButton(node.action, `action ${node.style ?? "link"}`) : null;
		case "separator":
			return el("hr", "flex-separator");
		default:
			return null;
	}
}

function renderMessage(message: LineMessage): HTMLElement {
	if (message.type === "text") return el("div", "bubble bot", message.text);
	if (message.type === "template" && message.template) {
		const card = el("div", "card");
		if (message.template.title) card.append(el("strong", "card-title", message.template.title));
		card.append(el("p", "card-text", message.template.text));
		const actions = el("div", message.template.type === "confirm" ? "card-actions row" : "card-actions");
		for (const action of message.template.actions) actions.append(actionButton(action));
		card.append(actions);
		return card;
	}
	if (message.type === "flex")
		return renderFlex(message.contents) ?? el("div", "bubble bot", message.altText);
	if (message.type === "image" && message.originalContentUrl) {
		const img = el("img", "image");
		img.src = message.originalContentUrl;
		img.alt = "圖片";
		return img;
	}
	return el("div", "bubble bot", `［${message.type} 訊息］${message.altText ?? ""}`);
}

function note(text: string): void {
	chat.append(el("li", "note", text));
	chat.scrollTop = chat.scrollHeight;
}

function showQuickReplies(message: LineMessage | undefined): void {
	quickReplies.replaceChildren();
	for (const item of message?.quickReply?.items ?? []) quickReplies.append(actionButton(item.action, "chip"));
}

function renderEntry(entry: Entry): void {
	const time = new Date(entry.at).toLocaleTimeString("zh-TW", {
		hour: "2-digit",
		minute: "2-digit",
		timeZone: "Asia/Taipei",
	});
	if (entry.kind === "user_event") {
		const body = entry.body as { type: string; text: string | null };
		if (body.text) {
			const li = el("li", "from-user");
			li.append(el("div", "bubble user", body.text), el("time", "", time));
			chat.append(li);
		} else if (body.type === "follow" || body.type === "unfollow") {
			note(body.type === "follow" ? "已加入好友" : "已封鎖 Training LINE");
		}
		return;
	}
	if (entry.kind === "rich_menu") {
		const menu = (entry.body as { menu: string }).menu;
		note(`選單已切換為：${MENU_LABELS[menu] ?? menu}`);
		return;
	}
	const messages = entry.body as LineMessage[];
	const li = el("li", "from-bot");
	li.append(el("span", "sender", entry.kind === "push" ? "Training LINE（推播）" : "Training LINE"));
	for (const message of messages) li.append(renderMessage(message));
	li.append(el("time", "", time));
	chat.append(li);
	showQuickReplies(messages[messages.length - 1]);
}

function renderMenu(menu: Menu): void {
	const container = $<HTMLDivElement>("rich-menu");
	const image = $<HTMLDivElement>("rich-menu-image");
	container.hidden = false;
	container.dataset.menu = menu.name;
	image.style.backgroundImage = `url(${menu.image})`;
	image.style.aspectRatio = `${menu.size.width} / ${menu.size.height}`;
	image.replaceChildren(
		...menu.areas.map((area) => {
			const button = actionButton(area.action, "area");
			const { x, y, width, height } = area.bounds;
			Object.assign(button.style, {
				left: `${(x / menu.size.width) * 100}%`,
				top: `${(y / menu.size.height) * 100}%`,
				width: `${(width / menu.size.width) * 100}%`,
				height: `${(height / menu.size.height) * 100}%`,
			});
			button.setAttribute("aria-label", area.label);
			return button;
		}),
	);
	$<HTMLDivElement>("chat-bar").textContent = `${menu.chatBarText} ▾`;
}

async function refresh(): Promise<void> {
	if (!userId) return;
	const current = userId;
	const res = await fetch(`/__dev/api/chat?userId=${current}&after=${lastId}`);
	if (!res.ok || current !== userId) return;
	const data = (await res.json()) as { menu: Menu; entries: Entry[] };
	renderMenu(data.menu);
	for (const entry of data.entries) {
		renderEntry(entry);
		lastId = Math.max(lastId, entry.id);
	}
	if (data.entries.length) chat.scrollTop = chat.scrollHeight;
}

type InboxMessage = { id: number; at: number; kind: string; to: string; text: string };

async function refreshInbox(): Promise<void> {
	const res = await fetch("/__dev/api/inbox");
	if (!res.ok) return;
	const { messages } = (await res.json()) as { messages: InboxMessage[] };
	$<HTMLOListElement>("inbox").replaceChildren(
		...messages.map((m) => {
			const li = el("li", `inbox-item ${m.kind}`);
			const time = new Date(m.at).toLocaleTimeString("zh-TW", { timeZone: "Asia/Taipei" });
			li.append(
				el("strong", "", `${m.kind === "sms" ? "簡訊" : "郵件"} → ${m.to}`),
				el("time", "", time),
				el("p", "", m.text),
			);
			return li;
		}),
	);
}

function poll(delay = 1500): void {
	clearTimeout(timer);
	timer = setTimeout(async () => {
		await Promise.all([refresh(), refreshInbox()]).catch(() => note("無法連線到開發伺服器，稍後自動重試…"));
		poll();
	}, delay);
}

function select(id: string, label: string): void {
	userId = id;
	// LIFF pages opened from this chat sign in as this user (the mock LIFF reads the cookie).
	// biome-ignore lint/suspicious/noDocumentCookie: development tool; the Cookie Store API is missing in older browsers
	document.cookie = `tl_dev_user=${id}; path=/; SameSite=Lax; max-age=86400`;
	lastId = 0;
	chat.replaceChildren();
	quickReplies.replaceChildren();
	$<HTMLDivElement>("chat-title").textContent = `Training LINE — ${label}`;
	input.disabled = false;
	(composer.querySelector("button") as HTMLButtonElement).disabled = false;
	for (const b of document.querySelectorAll<HTMLButtonElement>("button.user")) {
		b.classList.toggle("selected", b.dataset.userId === id);
	}
	poll(0);
}

function randomUserId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return `U${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button.user")) {
	button.addEventListener("click", () => {
		if (button.dataset.newUser) {
			const id = randomUserId();
			button.dataset.userId = id;
			select(id, "新的 LINE 使用者");
			void send({ type: "follow" });
			return;
		}
		select(button.dataset.userId ?? "", button.firstChild?.textContent?.trim() ?? "");
	});
}
void refreshInbox();
$<HTMLButtonElement>("follow").addEventListener("click", () => void send({ type: "follow" }));
$<HTMLButtonElement>("unfollow").addEventListener("click", () => void send({ type: "unfollow" }));
composer.addEventListener("submit", (event) => {
	event.preventDefault();
	const text = input.value.trim();
	if (!text) return;
	input.value = "";
	void send({ type: "text", text });
});
