// Pages of both roles: the home menu, 設定與身分, and the states when nothing else can be shown.
import { api, run } from "./api";
import { base, button, h, homeLink, ROLE_LABEL, type Role, role, show } from "./dom";
import { rocDate } from "./format";
import { liff } from "./sdk";

type Identity = { role: Role; name: string; nationalIdMasked: string; boundAt: number };
type Me = { activeRole: Role | null; identities: Identity[] };

export function notBound(): void {
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

/** The signed-in person's identity of this page's role, or null (and the 尚未綁定 page). */
export async function myIdentity(): Promise<Identity | null> {
	const me = await api<Me>("/api/liff/me");
	const mine = me.identities.find((i) => i.role === role) ?? null;
	if (!mine) notBound();
	return mine;
}

export async function home(menu: [string, string][]): Promise<void> {
	const mine = await myIdentity();
	if (!mine) return;
	show(
		h("h1", {}, `${ROLE_LABEL[role]}專區`),
		h("p", { class: "lead" }, `${mine.name} 您好！`),
		h(
			"nav",
			{ class: "menu-grid", "aria-label": `${ROLE_LABEL[role]}專區功能` },
			...menu.map(([label, path]) => h("a", { class: "menu-item", href: `${base}${path}` }, label)),
		),
	);
}

export async function settings(): Promise<void> {
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
		homeLink(),
	);
}

export function comingLater(): void {
	show(h("h1", {}, "這個功能即將開放"), h("p", { class: "lead" }, "此頁面將在後續版本提供。"), homeLink());
}
