// 學員專區: 我的課程, 我的課表, 我要請假, 請假節次 and a request's details (線上請假).
import { ApiError, api, run } from "./api";
import { app, base, button, h, show } from "./dom";
import { clock, dateTime, rocOf, statusClass, weekdayOf } from "./format";
import { liff } from "./sdk";

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

export async function courses(): Promise<void> {
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
	// 停課 comes first: a trainee with leave over a cancelled session needs no leave for it.
	const label = s.cancelled
		? "停課"
		: s.leave
			? `請假（${s.leave.typeName}，${s.leave.statusLabel}）`
			: s.statusLabel;
	const info = h(
		"div",
		{ class: "session-info" },
		h("strong", {}, `${clock(s.startsAt)}–${clock(s.endsAt)}　${s.subject}`),
		h("span", { class: "hint" }, `${s.hours} 小時${s.room ? `・${s.room}` : ""}`),
	);
	const badge = h(
		"span",
		{ class: statusClass(s.cancelled ? "cancelled" : s.leave ? "leave" : s.status) },
		label,
	);
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

export async function timetablePage(): Promise<void> {
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

export async function leaveList(tabs?: HTMLElement): Promise<void> {
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

export async function leaveDetail(id: string): Promise<void> {
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

export async function leaveNew(day?: string): Promise<void> {
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
