// The LIFF page app: signs in with LIFF, calls /api/liff with the ID token, renders the page.
// Expired tokens are refreshed by signing in again; what the person typed is kept meanwhile.

type Liff = {
	init(config: { liffId: string }): Promise<void>;
	isLoggedIn(): boolean;
	login(config?: { redirectUri?: string }): void;
	isInClient(): boolean;
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
	if (typeof init.body === "string") headers.set("content-type", "application/json");
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
		// liff.login() is not available in LINE's in-app browser; there a reload lets liff.init()
		// fetch a fresh token. The draft waits in sessionStorage either way.
		if (liff.isInClient()) location.reload();
		else liff.login({ redirectUri: location.href });
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

// ── 學員專區 ─────────────────────────────────────────────────────────────────────

type Session = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	hours: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	status: string;
	statusLabel: string;
	leave: { requestId: number; typeName: string; status: string; statusLabel: string } | null;
};
type LeaveView = {
	id: number;
	status: string;
	statusLabel: string;
	typeName: string;
	remark: string | null;
	reviewRemark: string | null;
	submittedAt: number;
	firstDate: string;
	lastDate: string;
	hours: number;
	sessions: { id: number; date: string; startsAt: number; endsAt: number; subject: string }[];
	withdrawUntil: number | null;
	attachments: Attachment[];
};
type Attachment = { id: number; fileName: string; contentType: string; size: number };

const MAX_FILES = 3;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A file picker for proof files (no name attribute: drafts never touch file inputs). */
function proofPicker(): HTMLInputElement {
	return h("input", { type: "file", accept: "image/*,application/pdf", multiple: "", class: "proof" });
}

/** Why these files cannot be sent, checked before anything is uploaded; null when they can. */
function proofProblem(files: File[], already = 0): string | null {
	if (files.length + already > MAX_FILES) return `每張假單最多附 ${MAX_FILES} 個檔案。`;
	const big = files.find((f) => f.size > MAX_FILE_BYTES);
	return big ? `「${big.name}」超過 5 MB，請縮小或改拍一張較小的照片。` : null;
}

/** Uploads files one by one; returns the message of the first that failed, or null. */
async function uploadProofs(requestId: number, files: File[]): Promise<string | null> {
	for (const file of files) {
		try {
			await api(`/api/liff/trainee/leave/${requestId}/attachments`, {
				method: "POST",
				headers: { "x-file-name": encodeURIComponent(file.name) },
				body: file,
			});
		} catch (err) {
			const reason = err instanceof Error ? err.message.replace(/。$/, "") : "請稍後再試";
			return `「${file.name}」未能上傳：${reason}`;
		}
	}
	return null;
}

/** Opens a proof file: it needs the ID token, so it is fetched and shown from memory. */
async function openProof(requestId: number, file: Attachment, into: HTMLElement): Promise<void> {
	const res = await fetch(`/api/liff/trainee/leave/${requestId}/attachments/${file.id}`, {
		headers: { authorization: `Bearer ${liff.getIDToken() ?? ""}` },
	}).catch(() => null);
	if (!res?.ok) return alert("檔案暫時無法開啟，請稍後再試。");
	const url = URL.createObjectURL(await res.blob());
	if (file.contentType.startsWith("image/"))
		into.replaceChildren(h("img", { src: url, alt: file.fileName, class: "proof-image" }));
	else
		into.replaceChildren(
			h("a", { href: url, download: file.fileName, class: "button-link" }, `下載 ${file.fileName}`),
		);
}

function proofList(r: LeaveView): HTMLElement {
	if (r.attachments.length === 0) return h("dd", {}, "（無）");
	return h(
		"dd",
		{},
		...r.attachments.map((file) => {
			const view = h("div");
			return h(
				"div",
				{ class: "proof-item" },
				`${file.fileName}（${Math.max(1, Math.round(file.size / 1024))} KB）`,
				button("查看", () => void openProof(r.id, file, view), "link"),
				view,
			);
		}),
	);
}

/** While a request is pending, more proof files can be added (up to the limit). */
function addProofs(r: LeaveView, reload: () => Promise<void>): HTMLElement[] {
	if (r.status !== "pending" || r.attachments.length >= MAX_FILES) return [];
	const picker = proofPicker();
	const message = h("p", { class: "alert", role: "alert", hidden: "" });
	const send = button(
		"上傳證明文件",
		async () => {
			const files = [...(picker.files ?? [])];
			const problem = files.length ? proofProblem(files, r.attachments.length) : "請先選擇檔案。";
			const failed = problem ?? (await uploadProofs(r.id, files));
			if (failed) {
				message.textContent = failed;
				message.hidden = false;
				return;
			}
			await reload();
		},
		"secondary",
	);
	return [
		h("label", { class: "field" }, `補上傳證明（照片或 PDF，每個 5 MB 內，最多 ${MAX_FILES} 個）`, picker),
		message,
		send,
	];
}

const WEEKDAYS = "日一二三四五六";
const rocOf = (date: string) => `${Number(date.slice(0, 4)) - 1911}/${date.slice(5, 7)}/${date.slice(8, 10)}`;
const weekdayOf = (date: string) => `週${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
const clock = (instant: number) =>
	new Intl.DateTimeFormat("zh-TW", {
		timeZone: "Asia/Taipei",
		hour: "2-digit",
		minute: "2-digit",
		hour12: false,
	}).format(new Date(instant));
const dateTime = (instant: number) => `${rocDate(instant)} ${clock(instant)}`;
const statusClass = (status: string) => `badge ${status}`;

async function courses(): Promise<void> {
	const o = await api<{
		class: {
			name: string;
			code: string;
			startDate: string;
			endDate: string;
			location: string | null;
			totalHours: number;
		};
		unit: {
			name: string;
			contactName: string | null;
			contactPhone: string | null;
			contactEmail: string | null;
		};
		hours: {
			attended: number;
			leave: number;
			absent: number;
			total: number;
			leaveWarning: { threshold: number; level: string };
		};
		support: { hotline: string };
		maintenance: { active: boolean; start: number; end: number };
	}>("/api/liff/trainee/overview");
	const warning =
		o.hours.leaveWarning.level === "ok"
			? null
			: h(
					"p",
					{ class: "alert", role: "alert" },
					o.hours.leaveWarning.level === "over"
						? `請假時數已達 ${o.hours.leave} 小時，超過計畫規定的 ${o.hours.leaveWarning.threshold} 小時，請盡快與訓練單位聯繫。`
						: `請假時數 ${o.hours.leave} 小時，已接近計畫規定的 ${o.hours.leaveWarning.threshold} 小時上限。`,
				);
	show(
		h("h1", {}, "我的課程"),
		o.maintenance.active
			? h("p", { class: "alert" }, "系統維護中（每月第一個週日 00:00–06:00），操作可能較慢，請假仍可送出。")
			: h("span"),
		h(
			"section",
			{ class: "card" },
			h("h2", {}, o.class.name),
			h("p", {}, `班級代碼 ${o.class.code}`),
			h(
				"p",
				{},
				`訓練期間 ${rocOf(o.class.startDate)}～${rocOf(o.class.endDate)}（結訓日 ${rocOf(o.class.endDate)}）`,
			),
			o.class.location ? h("p", {}, `上課地點 ${o.class.location}`) : h("span"),
		),
		h(
			"section",
			{ class: "card hours" },
			h("h2", {}, "目前時數"),
			h(
				"dl",
				{ class: "stats" },
				h("dt", {}, "已出席"),
				h("dd", {}, `${o.hours.attended} 小時`),
				h("dt", {}, "請假"),
				h("dd", {}, `${o.hours.leave} 小時`),
				h("dt", {}, "缺曠"),
				h("dd", {}, `${o.hours.absent} 小時`),
				h("dt", {}, "總時數"),
				h("dd", {}, `${o.hours.total} 小時`),
			),
			warning ?? h("span"),
		),
		h(
			"nav",
			{ class: "menu-grid" },
			h("a", { class: "menu-item", href: `${base}/leave/new` }, "我要請假"),
			h("a", { class: "menu-item", href: `${base}/timetable` }, "我的課表"),
		),
		h(
			"section",
			{ class: "card" },
			h("h2", {}, "需要協助？"),
			h("p", {}, `訓練單位：${o.unit.name}${o.unit.contactPhone ? `　${o.unit.contactPhone}` : ""}`),
			h("p", {}, `勞動力發展署客服專線 ${o.support.hotline}`),
			h("p", { class: "hint" }, "也可以在 Training LINE 聊天室輸入「客服」。"),
		),
	);
}

function sessionRow(s: Session, selectable = false): HTMLElement {
	const label = s.leave
		? `請假（${s.leave.typeName}，${s.leave.statusLabel}）`
		: s.cancelled
			? "停課"
			: s.statusLabel;
	const info = h(
		"div",
		{ class: "session-info" },
		h("strong", {}, `${clock(s.startsAt)}–${clock(s.endsAt)}　${s.subject}`),
		h("span", { class: "hint" }, `${s.hours} 小時${s.room ? `・${s.room}` : ""}`),
	);
	const badge = h("span", { class: statusClass(s.leave ? "leave" : s.status) }, label);
	if (!selectable) return h("li", { class: "session", "data-session-id": String(s.id) }, info, badge);
	const blocked = !!s.leave || s.cancelled;
	const box = h("input", {
		type: "checkbox",
		name: "session",
		value: String(s.id),
		...(blocked ? { disabled: "" } : {}),
	});
	return h("li", { class: "session" }, h("label", { class: "check" }, box, info, badge));
}

async function timetablePage(): Promise<void> {
	const tab = new URLSearchParams(location.search).get("tab") === "leave" ? "leave" : "sessions";
	const tabs = h(
		"nav",
		{ class: "tabs", role: "tablist" },
		h("a", { href: `${base}/timetable`, role: "tab", "aria-selected": String(tab === "sessions") }, "課表"),
		h(
			"a",
			{ href: `${base}/timetable?tab=leave`, role: "tab", "aria-selected": String(tab === "leave") },
			"請假節次",
		),
	);
	if (tab === "leave") return leaveList(tabs);
	const data = await api<{ today: string; sessions: Session[] }>("/api/liff/trainee/timetable");
	const days = new Map<string, Session[]>();
	for (const s of data.sessions) days.set(s.date, [...(days.get(s.date) ?? []), s]);
	show(
		h("h1", {}, "我的課表"),
		tabs,
		h("p", {}, h("a", { class: "button-link", href: `${base}/leave/new` }, "我要請假")),
		...[...days].map(([date, list]) =>
			h(
				"section",
				{ class: `day${date === data.today ? " today" : ""}` },
				h("h2", {}, `${rocOf(date)}（${weekdayOf(date).slice(1)}）${date === data.today ? "　今天" : ""}`),
				h("ul", { class: "sessions" }, ...list.map((s) => sessionRow(s))),
			),
		),
		days.size ? h("span") : h("p", {}, "這段期間沒有課程。"),
	);
}

async function leaveList(tabs?: HTMLElement): Promise<void> {
	const { requests } = await api<{ requests: LeaveView[] }>("/api/liff/trainee/leave");
	show(
		h("h1", {}, "請假節次"),
		tabs ?? h("span"),
		requests.length
			? h(
					"ul",
					{ class: "leave-list" },
					...requests.map((r) =>
						h(
							"li",
							{},
							h(
								"a",
								{ class: "leave-item", href: `${base}/leave/${r.id}` },
								h(
									"strong",
									{},
									`${r.typeName}　${rocOf(r.firstDate)}${r.lastDate !== r.firstDate ? `～${rocOf(r.lastDate)}` : ""}`,
								),
								h("span", { class: statusClass(r.status) }, r.statusLabel),
								h(
									"span",
									{ class: "hint" },
									`申請時間 ${dateTime(r.submittedAt)}・${r.sessions.length} 堂・${r.hours} 小時`,
								),
							),
						),
					),
				)
			: h("p", {}, "目前沒有請假紀錄。"),
		h("p", {}, h("a", { class: "button-link", href: `${base}/leave/new` }, "我要請假")),
	);
}

async function leaveDetail(id: string): Promise<void> {
	const { request: r } = await api<{ request: LeaveView }>(`/api/liff/trainee/leave/${id}`);
	const withdraw = r.withdrawUntil
		? [
				h("p", { class: "hint" }, `可撤銷至 ${dateTime(r.withdrawUntil - 1000)}`),
				button(
					"我要撤銷",
					async () => {
						if (!confirm("確定要撤銷這張假單嗎？撤銷後如仍需請假，需要重新申請。")) return;
						await run(() => api(`/api/liff/trainee/leave/${r.id}/withdraw`, { method: "POST" }));
						await leaveDetail(id);
					},
					"secondary",
				),
			]
		: [];
	show(
		h("h1", {}, "假單內容"),
		h(
			"dl",
			{ class: "detail" },
			h("dt", {}, "申請時間"),
			h("dd", {}, dateTime(r.submittedAt)),
			h("dt", {}, "假別"),
			h("dd", {}, r.typeName),
			h("dt", {}, "時段"),
			h(
				"dd",
				{},
				...r.sessions.map((s) =>
					h("div", {}, `${rocOf(s.date)} ${clock(s.startsAt)}–${clock(s.endsAt)} ${s.subject}`),
				),
				`共 ${r.hours} 小時`,
			),
			h("dt", {}, "審核結果"),
			h("dd", {}, h("span", { class: statusClass(r.status) }, r.statusLabel)),
			h("dt", {}, "備註"),
			h("dd", {}, r.remark ?? "（無）"),
			h("dt", {}, "審核備註"),
			h("dd", {}, r.reviewRemark ?? "（無）"),
			h("dt", {}, "證明文件"),
			proofList(r),
		),
		...addProofs(r, () => leaveDetail(id)),
		...withdraw,
		h("p", {}, h("a", { href: `${base}/timetable?tab=leave` }, "回請假節次")),
	);
}

async function leaveNew(day?: string): Promise<void> {
	const query = day ? `?date=${day}` : "";
	const o = await api<{
		date: string;
		today: string;
		classDays: string[];
		sessions: Session[];
		types: { code: string; name: string; planned: boolean }[];
		advanceNoticeDays: number;
	}>(`/api/liff/trainee/leave-options${query}`);
	const picker = h("select", { name: "date", "aria-label": "請假日期" });
	for (const d of o.classDays) {
		const option = h(
			"option",
			{ value: d },
			`${rocOf(d)}（${weekdayOf(d).slice(1)}）${d === o.today ? " 今天" : ""}`,
		);
		if (d === o.date) option.setAttribute("selected", "");
		picker.append(option);
	}
	picker.addEventListener("change", () => void leaveNew(picker.value));
	const list = h("ul", { class: "sessions" }, ...o.sessions.map((s) => sessionRow(s, true)));
	const carry = button("帶入勾選的課程", () => {
		const chosen = [...app.querySelectorAll<HTMLInputElement>("input[name=session]:checked")].map((b) =>
			Number(b.value),
		);
		if (chosen.length === 0) return alert("請先勾選要請假的課程（可多選）。");
		leaveForm(
			o,
			o.sessions.filter((s) => chosen.includes(s.id)),
		);
	});
	show(
		h("h1", {}, "我要請假"),
		h("label", { class: "field" }, "日期", picker),
		o.sessions.length ? list : h("p", {}, "這一天沒有課程。"),
		o.sessions.length
			? h("p", { class: "hint" }, "勾選需要請假的課程（可多選），再按「帶入勾選的課程」。")
			: h("span"),
		o.sessions.length ? carry : h("span"),
	);
}

function leaveForm(
	o: { types: { code: string; name: string; planned: boolean }[]; advanceNoticeDays: number },
	chosen: Session[],
): void {
	const clientKey = crypto.getRandomValues(new Uint32Array(4)).join("-");
	const type = h(
		"select",
		{ name: "typeCode", required: "" },
		h("option", { value: "" }, "請選擇假別"),
		...o.types.map((t) => h("option", { value: t.code }, t.name)),
	);
	const remark = h("textarea", {
		name: "remark",
		maxlength: "500",
		rows: "3",
		placeholder: "例：發燒就醫，將補附診斷證明",
	});
	const proofs = proofPicker();
	const message = h("p", { class: "alert", role: "alert", hidden: "" });
	const submit = button("確定", async () => {
		const files = [...(proofs.files ?? [])];
		const problem = type.value ? proofProblem(files) : "請選擇假別。";
		if (problem) {
			message.textContent = problem;
			message.hidden = false;
			return;
		}
		submit.disabled = true;
		submit.textContent = "送出中…";
		try {
			const result = await api<{ requestId: number; suggestion: string | null }>("/api/liff/trainee/leave", {
				method: "POST",
				body: JSON.stringify({
					sessionIds: chosen.map((s) => s.id),
					typeCode: type.value,
					remark: remark.value,
					clientKey,
				}),
			});
			const failed = await uploadProofs(result.requestId, files);
			sessionStorage.setItem(
				"tl-flash",
				[
					result.suggestion ? `假單已送出。${result.suggestion}` : "假單已送出，等待訓練單位審核。",
					failed ? `${failed}。可在「請假節次」的假單內容補上傳。` : "",
				].join(""),
			);
			location.href = `${base}/timetable`;
		} catch (err) {
			if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
			message.textContent = err instanceof Error ? err.message : "送出失敗，請稍後再試。";
			message.hidden = false;
			submit.disabled = false;
			submit.textContent = "確定";
		}
	});
	show(
		h("h1", {}, "填寫假單"),
		h(
			"ul",
			{ class: "sessions" },
			...chosen.map((s) =>
				h(
					"li",
					{ class: "session" },
					`${rocOf(s.date)} ${clock(s.startsAt)}–${clock(s.endsAt)} ${s.subject}`,
				),
			),
		),
		h("label", { class: "field" }, "假別 *", type),
		h("label", { class: "field" }, "備註", remark),
		h(
			"label",
			{ class: "field" },
			`證明文件（選填；照片或 PDF，每個 5 MB 內，最多 ${MAX_FILES} 個）`,
			proofs,
		),
		h("p", { class: "hint" }, `事假、公假等計畫性假別，建議至少提前 ${o.advanceNoticeDays} 天申請。`),
		message,
		submit,
		button("重新選擇課程", () => void leaveNew(chosen[0]?.date), "link"),
	);
}

function comingLater(): void {
	show(
		h("h1", {}, "這個功能即將開放"),
		h("p", { class: "lead" }, "此頁面將在後續版本提供。"),
		h("a", { href: `${base}/` }, `回${ROLE_LABEL[role]}專區`),
	);
}

const PAGES: Record<string, () => Promise<void> | void> = {
	"": home,
	"/": home,
	"/settings": settings,
	...(role === "trainee"
		? {
				"/courses": courses,
				"/timetable": timetablePage,
				"/leave": () => leaveList(),
				"/leave/new": () => leaveNew(),
			}
		: {}),
};

function pageFor(path: string): () => Promise<void> | void {
	const detail = /^\/leave\/(\d+)$/.exec(path);
	if (role === "trainee" && detail) return () => leaveDetail(detail[1] as string);
	return PAGES[path] ?? comingLater;
}

function flash(): void {
	const message = sessionStorage.getItem("tl-flash");
	if (!message) return;
	sessionStorage.removeItem("tl-flash");
	app.prepend(h("p", { class: "notice", role: "status" }, message));
}

async function start(): Promise<void> {
	try {
		await liff.init({ liffId: app.dataset.liffId ?? "" });
		if (!liff.isLoggedIn()) {
			liff.login({ redirectUri: location.href });
			return;
		}
		await pageFor(location.pathname.slice(base.length))();
		flash();
		sessionStorage.removeItem(DRAFT_KEY);
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		if (err instanceof ApiError && err.code === "NOT_BOUND") return notBound();
		showError(err instanceof Error ? err.message : "頁面載入失敗。", () => location.reload());
	}
}

void start();
