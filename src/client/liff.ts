// The LIFF page app: signs in with LIFF, calls /api/liff with the ID token, renders the page.
// Expired tokens are refreshed by signing in again; what the person typed is kept meanwhile.

type Liff = {
	init(config: { liffId: string }): Promise<void>;
	isLoggedIn(): boolean;
	login(config?: { redirectUri?: string }): void;
	getIDToken(): string | null;
	closeWindow(): void;
};
declare const liff: Liff;

type Role = "trainee" | "teacher";
const ROLE_LABEL: Record<Role, string> = { trainee: "學員", teacher: "教師" };

const app = document.getElementById("app") as HTMLElement;
const role = app.dataset.role as Role;
const base = app.dataset.base ?? "";
const DRAFT_KEY = `tl-draft:${location.pathname}`;

class ApiError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly status: number,
	) {
		super(message);
	}
}

function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Partial<Record<string, string>> = {},
	...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value);
	for (const child of children) if (child) node.append(child);
	return node;
}

function show(...nodes: Node[]): void {
	app.replaceChildren(...nodes);
	restoreDraft();
}

function showError(message: string, retry?: () => void): void {
	show(
		h("h1", {}, "發生問題"),
		h("p", { class: "alert", role: "alert" }, message),
		retry ? button("重新整理", retry) : h("span"),
		h("p", { class: "hint" }, "若一直無法使用，請撥客服專線 0800-777-888。"),
	);
}

function button(label: string, onClick: () => void, className = "primary"): HTMLButtonElement {
	const b = h("button", { type: "button", class: className }, label);
	b.addEventListener("click", onClick);
	return b;
}

/** Form fields of the current page survive a sign-in round trip (sessionStorage, this tab only). */
function saveDraft(): void {
	const values: Record<string, string> = {};
	for (const field of app.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
		"[name]",
	)) {
		if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) {
			if (field.checked) values[`${field.name}=${field.value}`] = "on";
		} else values[field.name] = field.value;
	}
	sessionStorage.setItem(DRAFT_KEY, JSON.stringify(values));
}

function restoreDraft(): void {
	const saved = sessionStorage.getItem(DRAFT_KEY);
	if (!saved) return;
	const values = JSON.parse(saved) as Record<string, string>;
	for (const field of app.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
		"[name]",
	)) {
		if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) {
			if (values[`${field.name}=${field.value}`]) field.checked = true;
		} else if (values[field.name] !== undefined) field.value = values[field.name] as string;
	}
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
	const headers = new Headers(init.headers);
	headers.set("authorization", `Bearer ${liff.getIDToken() ?? ""}`);
	if (init.body) headers.set("content-type", "application/json");
	let res: Response;
	try {
		res = await fetch(path, { ...init, headers });
	} catch {
		throw new ApiError("OFFLINE", "無法連線，請確認網路後再試一次。", 0);
	}
	const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
	if (res.ok) return body as T;
	const error = body?.error ?? {
		code: "HTTP_ERROR",
		message: `系統暫時無法使用（${res.status}），請稍後再試。`,
	};
	if (error.code === "ID_TOKEN_EXPIRED") {
		saveDraft();
		liff.login({ redirectUri: location.href });
		throw new ApiError(error.code, "登入已逾時，正在重新登入…", res.status);
	}
	throw new ApiError(error.code, error.message, res.status);
}

type Identity = { role: Role; name: string; nationalIdMasked: string; boundAt: number };
type Me = { activeRole: Role | null; identities: Identity[] };

function rocDate(instant: number): string {
	const parts = new Intl.DateTimeFormat("en-CA", {
		timeZone: "Asia/Taipei",
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
	})
		.format(new Date(instant))
		.split("-");
	return `${Number(parts[0]) - 1911}/${parts[1]}/${parts[2]}`;
}

const MENU: Record<Role, [string, string][]> = {
	trainee: [
		["我的課程", "/courses"],
		["我的課表", "/timetable"],
		["我要請假", "/leave/new"],
		["請假節次", "/leave"],
		["掃描", "/scan"],
		["QR CODE", "/qr"],
		["設定與身分", "/settings"],
	],
	teacher: [
		["授課節次", "/sessions"],
		["顯示簽到QR", "/sessions"],
		["掃描學員QR", "/scan-trainees"],
		["掃描", "/scan"],
		["QR CODE", "/qr"],
		["設定與身分", "/settings"],
	],
};

function notBound(): void {
	show(
		h("h1", {}, `尚未綁定${ROLE_LABEL[role]}身分`),
		h(
			"p",
			{ class: "alert" },
			`請回到 Training LINE 聊天室，點選「身分認證」→「綁定帳號」→「${ROLE_LABEL[role]}」完成綁定後再開啟。`,
		),
		button("關閉", () => liff.closeWindow(), "secondary"),
	);
}

async function home(): Promise<void> {
	const me = await api<Me>("/api/liff/me");
	const mine = me.identities.find((i) => i.role === role);
	if (!mine) return notBound();
	show(
		h("h1", {}, `${ROLE_LABEL[role]}專區`),
		h("p", { class: "lead" }, `${mine.name} 您好！`),
		h(
			"nav",
			{ class: "menu-grid", "aria-label": `${ROLE_LABEL[role]}專區功能` },
			...MENU[role].map(([label, path]) => h("a", { class: "menu-item", href: `${base}${path}` }, label)),
		),
	);
}

async function settings(): Promise<void> {
	const me = await api<Me>("/api/liff/me");
	const list = h("ul", { class: "identity-list" });
	for (const identity of me.identities) {
		const active = me.activeRole === identity.role;
		const item = h(
			"li",
			{ class: "identity", "data-role": identity.role },
			h("strong", {}, `${ROLE_LABEL[identity.role]}${active ? "（目前身分）" : ""}`),
			h("span", {}, `${identity.name}　${identity.nationalIdMasked}`),
			h("span", { class: "hint" }, `綁定日期 ${rocDate(identity.boundAt)}`),
		);
		if (!active) {
			item.append(
				button(
					`切換為${ROLE_LABEL[identity.role]}`,
					async () => {
						await run(() =>
							api("/api/liff/me/active-role", {
								method: "PUT",
								body: JSON.stringify({ role: identity.role }),
							}),
						);
						await settings();
					},
					"secondary",
				),
			);
		}
		item.append(
			button(
				`解除${ROLE_LABEL[identity.role]}身分綁定`,
				async () => {
					if (!confirm(`確定要解除${ROLE_LABEL[identity.role]}身分的綁定嗎？解除後需重新綁定才能使用。`))
						return;
					await run(() => api(`/api/liff/me/bindings/${identity.role}`, { method: "DELETE" }));
					await settings();
				},
				"link danger",
			),
		);
		list.append(item);
	}
	show(
		h("h1", {}, "設定與身分"),
		me.identities.length
			? list
			: h(
					"p",
					{ class: "alert" },
					"您目前沒有綁定任何身分。請回到 Training LINE 聊天室點選「身分認證」→「綁定帳號」。",
				),
		h("p", { class: "hint" }, "切換身分後，LINE 聊天室下方的選單會一起更新。"),
		h("a", { href: `${base}/` }, `回${ROLE_LABEL[role]}專區`),
	);
}

async function run(action: () => Promise<unknown>): Promise<void> {
	try {
		await action();
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		alert(err instanceof Error ? err.message : "操作失敗，請稍後再試。");
	}
}

function comingLater(): void {
	show(
		h("h1", {}, "這個功能即將開放"),
		h("p", { class: "lead" }, "此頁面將在後續版本提供。"),
		h("a", { href: `${base}/` }, `回${ROLE_LABEL[role]}專區`),
	);
}

const PAGES: Record<string, () => Promise<void> | void> = { "": home, "/": home, "/settings": settings };

async function start(): Promise<void> {
	try {
		await liff.init({ liffId: app.dataset.liffId ?? "" });
		if (!liff.isLoggedIn()) {
			liff.login({ redirectUri: location.href });
			return;
		}
		const page = PAGES[location.pathname.slice(base.length)] ?? comingLater;
		await page();
		sessionStorage.removeItem(DRAFT_KEY);
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		if (err instanceof ApiError && err.code === "NOT_BOUND") return notBound();
		showError(err instanceof Error ? err.message : "頁面載入失敗。", () => location.reload());
	}
}

void start();
