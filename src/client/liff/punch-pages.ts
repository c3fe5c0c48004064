// 掃描 and QR CODE (線上簽到退) for trainees and teachers: punch with the session's QR (camera, LINE's
// scanner, or the 6-digit code under it), or show one's own personal QR for staff to scan.
import { ApiError, api, messageOf } from "./api";
import { CameraError, canUseLineScanner, scanWithLine, startCameraScan } from "./camera";
import { button, h, homeLink, role, show } from "./dom";
import {
	ACTION_LABEL,
	clockOffset,
	type PunchAction,
	type PunchResult,
	renewDelay,
	resultText,
	secondsLeft,
	shortCodeOf,
	tokenFromScan,
} from "./punch-logic";

const TICKET_KEY = "tl-scan-ticket";
const TICKET_ERROR_KEY = "tl-scan-ticket-error";
const TICKET_LIFE_MS = 120_000;

type StoredTicket = { ticket: string; until: number };

/**
 * Opened from a phone camera (…/scan?t=TOKEN): before LIFF signs in, the QR token is exchanged for a
 * scan ticket (2 minutes) kept in sessionStorage, so a slow LINE login does not let the QR expire.
 * The token leaves the address bar at once.
 */
export async function takeScanTicket(): Promise<void> {
	const params = new URLSearchParams(location.search);
	const token = params.get("t");
	if (token === null) return;
	params.delete("t");
	const rest = params.toString();
	history.replaceState(history.state, "", `${location.pathname}${rest ? `?${rest}` : ""}${location.hash}`);
	sessionStorage.removeItem(TICKET_KEY);
	sessionStorage.removeItem(TICKET_ERROR_KEY);
	try {
		const res = await fetch("/api/qr/ticket", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ token: tokenFromScan(token) ?? token }),
		});
		const body = (await res.json().catch(() => null)) as {
			ticket?: string;
			error?: { message?: string };
		} | null;
		if (res.ok && body?.ticket) {
			const stored: StoredTicket = { ticket: body.ticket, until: Date.now() + TICKET_LIFE_MS };
			sessionStorage.setItem(TICKET_KEY, JSON.stringify(stored));
		} else
			sessionStorage.setItem(
				TICKET_ERROR_KEY,
				body?.error?.message ?? `系統暫時無法使用（${res.status}），請稍後再試。`,
			);
	} catch {
		sessionStorage.setItem(TICKET_ERROR_KEY, "無法連線，請確認網路後再掃一次。");
	}
}

function storedTicket(): string | null {
	const raw = sessionStorage.getItem(TICKET_KEY);
	if (!raw) return null;
	try {
		const stored = JSON.parse(raw) as StoredTicket;
		if (stored.until > Date.now()) return stored.ticket;
	} catch {}
	sessionStorage.removeItem(TICKET_KEY);
	return null;
}

type Code = { token: string } | { ticket: string } | { code: string };

async function punch(action: PunchAction, code: Code): Promise<void> {
	show(h("h1", {}, ACTION_LABEL[action]), h("p", { class: "loading" }, `${ACTION_LABEL[action]}中，請稍候…`));
	try {
		const result = await api<PunchResult>("/api/liff/punch", {
			method: "POST",
			body: JSON.stringify({ role, action, ...code }),
		});
		if ("ticket" in code) sessionStorage.removeItem(TICKET_KEY);
		showResult(true, resultText(result), result.repeated);
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		// The server has answered: a ticket is used up or refused either way.
		if ("ticket" in code && err instanceof ApiError && err.status !== 0)
			sessionStorage.removeItem(TICKET_KEY);
		showResult(false, messageOf(err));
	}
}

function showResult(ok: boolean, message: string, repeated = false): void {
	show(
		h(
			"section",
			{ class: `punch-result ${ok ? (repeated ? "repeated" : "ok") : "failed"}`, role: "status" },
			h("div", { class: "punch-mark", "aria-hidden": "true" }, ok ? "✓" : "✕"),
			h("p", { class: "punch-message" }, message),
		),
		button("再掃一次", () => void scanPage()),
		h("p", {}, homeLink()),
	);
}

/** 掃描: choose 簽到 or 簽退 first; only then the camera opens. */
export async function scanPage(): Promise<void> {
	const ticketError = sessionStorage.getItem(TICKET_ERROR_KEY);
	if (ticketError) {
		sessionStorage.removeItem(TICKET_ERROR_KEY);
		return showResult(false, ticketError);
	}
	const ticket = storedTicket();
	show(
		h("h1", {}, "掃描"),
		ticket
			? h("p", { class: "notice", role: "status" }, "已讀取簽到 QR Code，請選擇要簽到或簽退。")
			: h("p", { class: "lead" }, "請先選擇要簽到或簽退，再將鏡頭對準訓練單位提供的 QR Code。"),
		h(
			"div",
			{ class: "action-choice" },
			...(["check_in", "check_out"] as const).map((action) =>
				button(
					ACTION_LABEL[action],
					() => void (ticket ? punch(action, { ticket }) : openScanner(action)),
					`big-action ${action}`,
				),
			),
		),
		ticket ? h("span") : h("p", { class: "hint" }, "按下後才會開啟相機，請允許使用相機。"),
		h("p", {}, homeLink()),
	);
}

async function openScanner(action: PunchAction): Promise<void> {
	if (canUseLineScanner()) {
		try {
			const text = await scanWithLine();
			if (text === null) return scanPage();
			return usePunchText(action, text);
		} catch {
			// LINE's scanner could not open: the browser camera is the next choice.
		}
	}
	const video = h("video", { class: "camera", playsinline: "", muted: "", "aria-label": "相機畫面" });
	const status = h("p", { class: "hint", role: "status" }, "正在開啟相機…");
	let camera: { stop(): void } | null = null;
	let done = false;
	const leave = (next: () => void) => {
		done = true;
		camera?.stop();
		next();
	};
	show(
		h("h1", {}, `掃描${ACTION_LABEL[action]}`),
		h("div", { class: "camera-box" }, video, h("div", { class: "camera-frame", "aria-hidden": "true" })),
		status,
		button("無法掃描？輸入 QR Code 下方數字", () => leave(() => codeForm(action)), "link"),
		button("取消", () => leave(() => void scanPage()), "secondary"),
	);
	try {
		camera = await startCameraScan(video, (text) => {
			if (done) return;
			const token = tokenFromScan(text);
			if (!token) {
				status.textContent = "這不是簽到用的 QR Code，請對準訓練單位提供的 QR Code。";
				return;
			}
			leave(() => void punch(action, { token }));
		});
		if (done) camera.stop();
		else status.textContent = "請將 QR Code 放進框內，讀取後會自動送出。";
	} catch (err) {
		if (done) return;
		codeForm(action, err instanceof CameraError ? err.message : "相機暫時無法開啟。");
	}
}

function usePunchText(action: PunchAction, text: string): Promise<void> | void {
	const token = tokenFromScan(text);
	if (!token) return showResult(false, "這不是 Training LINE 的簽到 QR Code。");
	return punch(action, { token });
}

/** The fallback: the 6 digits under the session's QR. */
function codeForm(action: PunchAction, problem?: string): void {
	const input = h("input", {
		name: "code",
		inputmode: "numeric",
		autocomplete: "one-time-code",
		maxlength: "7",
		placeholder: "例：123456",
		class: "code-input",
		"aria-label": "QR Code 下方的 6 位數字",
	});
	const message = h("p", { class: "alert", role: "alert", hidden: "" });
	const submit = () => {
		const code = shortCodeOf(input.value);
		if (!code) {
			message.textContent = "請輸入 QR Code 下方的 6 位數字。";
			message.hidden = false;
			return;
		}
		void punch(action, { code });
	};
	input.addEventListener("keydown", (e) => {
		if (e.key === "Enter") submit();
	});
	show(
		h("h1", {}, `輸入數字${ACTION_LABEL[action]}`),
		problem ? h("p", { class: "alert", role: "alert" }, problem) : h("span"),
		h("label", { class: "field" }, "QR Code 下方的 6 位數字", input),
		message,
		button(`確定${ACTION_LABEL[action]}`, submit),
		button("改用相機掃描", () => void openScanner(action), "secondary"),
		h("p", {}, homeLink()),
	);
	input.focus();
}

// ── QR CODE: my personal code for staff to scan ──────────────────────────────────────────────

const RENEW_LEAD_MS = 10_000;
const OFFLINE_MESSAGE = "網路連線中斷，無法顯示 QR Code，請確認網路後重試";

export async function qrPage(): Promise<void> {
	const box = h("div", { class: "qr-box personal", "aria-label": "我的簽到 QR Code", role: "img" });
	const countdown = h("p", { class: "qr-countdown", role: "timer" });
	const problem = h("p", { class: "alert", role: "alert", hidden: "" });
	const retry = button("重試", () => void renew(), "secondary");
	retry.hidden = true;
	let code: { expiresAt: number; offset: number } | null = null;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let renewing = false;

	const hideCode = (message: string) => {
		code = null;
		box.replaceChildren();
		box.hidden = true;
		countdown.textContent = "";
		problem.textContent = message;
		problem.hidden = false;
		retry.hidden = false;
	};
	const renew = async () => {
		if (renewing) return;
		if (!navigator.onLine) return hideCode(OFFLINE_MESSAGE);
		renewing = true;
		try {
			const r = await api<{ svg: string; expiresAt: number; serverNow: number }>(
				`/api/liff/me/qr?role=${role}`,
			);
			code = { expiresAt: r.expiresAt, offset: clockOffset(r.serverNow, Date.now()) };
			box.innerHTML = r.svg;
			box.hidden = false;
			problem.hidden = true;
			retry.hidden = true;
		} catch (err) {
			if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
			hideCode(err instanceof ApiError && err.code === "OFFLINE" ? OFFLINE_MESSAGE : messageOf(err));
		} finally {
			renewing = false;
		}
		tick();
	};
	const tick = () => {
		clearTimeout(timer);
		if (!code || !document.body.contains(box)) return;
		const now = Date.now();
		const left = secondsLeft(code.expiresAt, code.offset, now);
		if (left <= 0) return hideCode("QR Code 已過期，請按「重試」產生新的 QR Code。");
		countdown.textContent = `${left} 秒後自動更新`;
		if (
			document.visibilityState === "visible" &&
			renewDelay(code.expiresAt, code.offset, now, RENEW_LEAD_MS) === 0
		)
			void renew();
		// Ticks on even server seconds; a renewal that hangs still hides the code when it expires.
		timer = setTimeout(tick, 1000 - ((now + code.offset) % 1000) + 20);
	};
	window.addEventListener("offline", () => hideCode(OFFLINE_MESSAGE));
	window.addEventListener("online", () => void renew());
	document.addEventListener("visibilitychange", () => {
		if (document.visibilityState === "visible") tick();
	});

	show(
		h("h1", {}, "我的 QR CODE"),
		h("p", { class: "lead" }, "請出示給訓練單位掃描，完成簽到或簽退。"),
		box,
		countdown,
		problem,
		retry,
		h("p", { class: "hint" }, "QR Code 約每分鐘更新一次；截圖或轉傳的 QR Code 無法使用。"),
		h("p", {}, homeLink()),
	);
	box.hidden = true;
	countdown.textContent = "正在產生 QR Code…";
	await renew();
}
