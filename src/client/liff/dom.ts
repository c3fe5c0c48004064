// The page shell every LIFF page renders into: the #app element, its role and base path, tiny DOM
// helpers, and drafts that keep what was typed across a sign-in round trip.

export type Role = "trainee" | "teacher";
export const ROLE_LABEL: Record<Role, string> = { trainee: "學員", teacher: "教師" };

export const app = document.getElementById("app") as HTMLElement;
export const role = app.dataset.role as Role;
export const base = app.dataset.base ?? "";
export const DRAFT_KEY = `tl-draft:${location.pathname}`;
/** Where a session's console API lives: 教師專區 (LIFF) or the dashboard, which reuses these pages. */
export const consoleApi = app.dataset.consoleApi ?? "/api/liff/teacher";
export const homeLabel = app.dataset.homeLabel ?? "回教師專區";

export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Partial<Record<string, string>> = {},
	...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value);
	for (const child of children) if (child) node.append(child);
	return node;
}

export function show(...nodes: Node[]): void {
	app.replaceChildren(...nodes);
	restoreDraft();
}

export function button(label: string, onClick: () => void, className = "primary"): HTMLButtonElement {
	const b = h("button", { type: "button", class: className }, label);
	b.addEventListener("click", onClick);
	return b;
}

export function showError(message: string, retry?: () => void): void {
	show(
		h("h1", {}, "發生問題"),
		h("p", { class: "alert", role: "alert" }, message),
		retry ? button("重新整理", retry) : h("span"),
		h("p", { class: "hint" }, "若一直無法使用，請撥客服專線 0800-777-888。"),
	);
}

/** A link back to the role's home page. */
export const homeLink = () => h("a", { href: `${base}/` }, `回${ROLE_LABEL[role]}專區`);

/** Form fields of the current page survive a sign-in round trip (sessionStorage, this tab only). */
export function saveDraft(): void {
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

export function restoreDraft(): void {
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
