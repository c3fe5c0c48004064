// 教師專區: my sessions today and coming, a session's attendance (出缺勤), the projector display of
// its rotating QR with the live count, and the staff scanner for trainees' personal QR codes.
import { ApiError, api, messageOf } from "./api";
import { CameraError, canUseLineScanner, scanWithLine, startCameraScan } from "./camera";
import { app, base, button, consoleApi, h, homeLabel, show } from "./dom";
import { clock, rocOf, weekdayOf } from "./format";
import {
	ACTION_LABEL,
	backoffMs,
	clockOffset,
	type PunchAction,
	type PunchResult,
	recentFilter,
	scannerText,
	secondsLeft,
	spacedCode,
	tokenFromScan,
} from "./punch-logic";

type TeacherSession = {
	id: number;
	date: string;
	startsAt: number;
	endsAt: number;
	subject: string;
	room: string | null;
	cancelled: boolean;
	class: { id: number; code: string; name: string; location: string | null };
	qrRotationSeconds: number;
};
type LiveState = {
	sessionId: number;
	checkedIn: number;
	expected: number;
	recent: { name: string; at: number }[];
};

const sessionPath = (id: number, page: string) => `${base}/sessions/${id}/${page}`;
const sessionTitle = (s: TeacherSession) =>
	`${rocOf(s.date)}（${weekdayOf(s.date).slice(1)}）${clock(s.startsAt)}–${clock(s.endsAt)}`;

/** 教師專區 home: today's and coming sessions, each with its three tools, and my own punch pages. */
export async function teacherHome(name: string, menu: [string, string][]): Promise<void> {
	const { today, sessions } = await api<{ today: string; sessions: TeacherSession[] }>(
		`${consoleApi}/sessions`,
	);
	const now = Date.now();
	const days = new Map<string, TeacherSession[]>();
	for (const s of sessions) days.set(s.date, [...(days.get(s.date) ?? []), s]);
	const card = (s: TeacherSession) => {
		const ended = s.endsAt <= now;
		const live = s.startsAt <= now && !ended;
		return h(
			"li",
			{ class: `teacher-session${live ? " live" : ""}`, "data-session-id": String(s.id) },
			h(
				"div",
				{ class: "session-info" },
				h("strong", {}, `${clock(s.startsAt)}–${clock(s.endsAt)}　${s.subject}`),
				h("span", { class: "hint" }, `${s.class.name}${s.room ? `・${s.room}` : ""}`),
			),
			s.cancelled
				? h("span", { class: "badge absent" }, "停課")
				: live
					? h("span", { class: "badge present" }, "上課中")
					: ended
						? h("span", { class: "badge" }, "已結束")
						: h("span"),
			s.cancelled
				? h("span")
				: h(
						"nav",
						{ class: "session-tools", "aria-label": `${s.subject} 的功能` },
						h("a", { class: "tool", href: sessionPath(s.id, "display") }, "顯示簽到QR"),
						h("a", { class: "tool", href: sessionPath(s.id, "scanner") }, "掃描學員QR"),
						h("a", { class: "tool", href: sessionPath(s.id, "attendance") }, "出缺勤"),
					),
		);
	};
	show(
		h("h1", {}, "教師專區"),
		h("p", { class: "lead" }, `${name} 老師您好！`),
		h(
			"nav",
			{ class: "menu-grid", "aria-label": "我的簽到退" },
			...menu.map(([label, path]) => h("a", { class: "menu-item", href: `${base}${path}` }, label)),
		),
		h("h2", { class: "section-title" }, "授課節次"),
		...[...days].map(([date, list]) =>
			h(
				"section",
				{ class: `day${date === today ? " today" : ""}` },
				h("h2", {}, `${rocOf(date)}（${weekdayOf(date).slice(1)}）${date === today ? "　今天" : ""}`),
				h("ul", { class: "sessions" }, ...list.map(card)),
			),
		),
		days.size ? h("span") : h("p", { class: "card" }, "今天起兩週內沒有您的授課節次。"),
	);
}

const backLink = () => h("p", {}, h("a", { href: `${base}/` }, homeLabel));

// ── 出缺勤 ───────────────────────────────────────────────────────────────────────────────────

type AttendanceLine = {
	personId: number;
	seatNo: number | null;
	name: string;
	checkInAt: number | null;
	checkOutAt: number | null;
	status: string;
	statusLabel: string;
};

export async function attendancePage(id: string): Promise<void> {
	const { session, people } = await api<{ session: TeacherSession; people: AttendanceLine[] }>(
		`${consoleApi}/sessions/${id}/attendance`,
	);
	const counts = new Map<string, { label: string; n: number }>();
	for (const p of people)
		counts.set(p.status, { label: p.statusLabel, n: (counts.get(p.status)?.n ?? 0) + 1 });
	const checkedIn = people.filter((p) => p.checkInAt !== null).length;
	show(
		h("h1", {}, "出缺勤"),
		h(
			"section",
			{ class: "card" },
			h("h2", {}, `${session.subject}`),
			h("p", {}, `${session.class.name}　${sessionTitle(session)}`),
			h("p", { class: "attendance-total" }, `已簽到 ${checkedIn} / ${people.length}`),
			h(
				"div",
				{ class: "status-summary" },
				...[...counts].map(([status, c]) => h("span", { class: `badge att-${status}` }, `${c.label} ${c.n}`)),
			),
		),
		people.length
			? h(
					"ul",
					{ class: "attendance-list" },
					...people.map((p) =>
						h(
							"li",
							{ class: "attendance-row", "data-status": p.status },
							h("span", { class: "seat" }, p.seatNo === null ? "—" : String(p.seatNo)),
							h(
								"div",
								{ class: "session-info" },
								h("strong", {}, p.name),
								h(
									"span",
									{ class: "hint" },
									`簽到 ${p.checkInAt === null ? "—" : clock(p.checkInAt)}・簽退 ${p.checkOutAt === null ? "—" : clock(p.checkOutAt)}`,
								),
							),
							h("span", { class: `badge att-${p.status}` }, p.statusLabel),
						),
					),
				)
			: h("p", {}, "這個班級目前沒有學員。"),
		button("重新整理", () => void attendancePage(id), "secondary"),
		h(
			"p",
			{ class: "secondary-actions" },
			h("a", { href: sessionPath(session.id, "display") }, "顯示簽到QR"),
			h("a", { href: sessionPath(session.id, "scanner") }, "掃描學員QR"),
			h("a", { href: `${base}/` }, homeLabel),
		),
	);
}

// ── 顯示簽到QR: the projector display ──────────────────────────────────────────────────────────

type SessionQr = {
	session: TeacherSession;
	svg: string;
	url: string;
	shortCode: string;
	serverNow: number;
	windowEndsAt: number;
	rotationSeconds: number;
	live: LiveState | null;
};

const PING_MS = 25_000;

export async function displayPage(id: string): Promise<void> {
	const first = await api<SessionQr>(`${consoleApi}/sessions/${id}/qr`);
	document.body.classList.add("projector");
	const s = first.session;
	const qr = h("div", { class: "qr-box display", role: "img", "aria-label": "簽到 QR Code" });
	const code = h("p", { class: "short-code", "aria-label": "QR Code 下方數字" });
	const countdown = h("p", { class: "qr-countdown", role: "timer" });
	const problem = h("p", { class: "alert display-problem", role: "alert", hidden: "" });
	const count = h("p", { class: "live-count" });
	const recent = h("ol", { class: "recent", "aria-label": "最新簽到" });
	const connection = h("p", { class: "live-status" }, "即時人數連線中…");
	const fullscreen = button(
		"全螢幕",
		() => void document.documentElement.requestFullscreen?.().catch(() => undefined),
		"secondary",
	);

	let current: { endsAt: number; offset: number } | null = null;
	let qrTimer: ReturnType<typeof setTimeout> | undefined;
	let failures = 0;

	const showLive = (state: LiveState | null) => {
		if (!state) return;
		count.replaceChildren("已簽到 ", h("strong", {}, String(state.checkedIn)), ` / ${state.expected}`);
		const latest = state.recent.slice(0, 6);
		recent.replaceChildren(
			...(latest.length
				? latest.map((r) => h("li", {}, h("span", {}, r.name), h("time", {}, clock(r.at))))
				: [h("li", { class: "hint" }, "尚無學員簽到")]),
		);
	};
	const hideQr = (message: string) => {
		current = null;
		qr.replaceChildren();
		qr.classList.add("hidden-code");
		code.textContent = "";
		countdown.textContent = "";
		problem.textContent = message;
		problem.hidden = false;
	};
	const apply = (r: SessionQr) => {
		current = { endsAt: r.windowEndsAt, offset: clockOffset(r.serverNow, Date.now()) };
		qr.innerHTML = r.svg;
		qr.classList.remove("hidden-code");
		qr.dataset.url = r.url;
		code.textContent = spacedCode(r.shortCode);
		problem.hidden = true;
		showLive(r.live);
	};
	const refresh = async () => {
		clearTimeout(qrTimer);
		if (!document.body.contains(qr)) return;
		try {
			if (!navigator.onLine) throw new ApiError("OFFLINE", "", 0);
			apply(await api<SessionQr>(`${consoleApi}/sessions/${id}/qr`));
			failures = 0;
		} catch (err) {
			if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
			failures++;
			hideQr(
				err instanceof ApiError && err.code === "OFFLINE"
					? "網路連線中斷，無法顯示 QR Code，請確認網路；恢復後會自動更新。"
					: messageOf(err),
			);
			qrTimer = setTimeout(() => void refresh(), Math.min(backoffMs(failures - 1), 10_000));
			return;
		}
		tick();
	};
	const tick = () => {
		clearTimeout(qrTimer);
		if (!current) return;
		const now = Date.now();
		const left = secondsLeft(current.endsAt, current.offset, now);
		if (left <= 0) {
			// The window ended: the server decides the next code.
			void refresh();
			return;
		}
		countdown.textContent = `${left} 秒後換新 QR Code`;
		qrTimer = setTimeout(tick, Math.min(1000, current.endsAt - (now + current.offset)) + 20);
	};

	show(
		h(
			"div",
			{ class: "display-page" },
			h(
				"header",
				{ class: "display-head" },
				h("h1", {}, s.class.name),
				h("p", {}, `${s.subject}　${sessionTitle(s)}${s.room ? `　${s.room}` : ""}`),
			),
			h(
				"div",
				{ class: "display-body" },
				h("div", { class: "display-qr" }, qr, code, countdown, problem),
				h(
					"aside",
					{ class: "display-side" },
					h("p", { class: "display-how" }, "開啟 LINE「掃描」或手機相機掃描 QR Code，選擇簽到或簽退"),
					count,
					h("h2", { class: "recent-title" }, "最新簽到"),
					recent,
					connection,
					h(
						"p",
						{ class: "display-tools" },
						fullscreen,
						h("a", { href: sessionPath(s.id, "attendance") }, "出缺勤"),
						h("a", { href: `${base}/` }, homeLabel),
					),
				),
			),
		),
	);
	count.textContent = "已簽到 — / —";
	apply(first);
	tick();
	window.addEventListener("online", () => void refresh());
	window.addEventListener("offline", () =>
		hideQr("網路連線中斷，無法顯示 QR Code，請確認網路；恢復後會自動更新。"),
	);
	keepScreenOn();
	connectLive(id, showLive, (text) => {
		connection.textContent = text;
	});
}

/** Keeps a projector laptop's screen from sleeping where the browser allows it. */
function keepScreenOn(): void {
	const wakeLock = (navigator as unknown as { wakeLock?: { request(type: "screen"): Promise<unknown> } })
		.wakeLock;
	const ask = () => void wakeLock?.request("screen").catch(() => undefined);
	ask();
	document.addEventListener("visibilitychange", () => {
		if (document.visibilityState === "visible") ask();
	});
}

/** The live counter: a WebSocket with a fresh ticket each time, ping every 25 s, reconnect with backoff. */
function connectLive(
	id: string,
	onState: (state: LiveState) => void,
	onStatus: (text: string) => void,
): void {
	let attempt = 0;
	const retry = () => {
		const delay = backoffMs(attempt++);
		onStatus(`即時人數連線中斷，${Math.round(delay / 1000)} 秒後重新連線…`);
		setTimeout(() => void open(), delay);
	};
	const open = async () => {
		let path: string;
		try {
			path = (await api<{ path: string }>(`${consoleApi}/sessions/${id}/live-ticket`, { method: "POST" }))
				.path;
		} catch (err) {
			if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
			return retry();
		}
		const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`);
		let ping: ReturnType<typeof setInterval> | undefined;
		ws.addEventListener("open", () => {
			attempt = 0;
			onStatus("即時更新中");
			app.dataset.live = "open";
			ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_MS);
		});
		ws.addEventListener("message", (event) => {
			if (typeof event.data !== "string" || event.data === "pong") return;
			try {
				onState(JSON.parse(event.data) as LiveState);
			} catch {}
		});
		ws.addEventListener("close", () => {
			clearInterval(ping);
			app.dataset.live = "closed";
			retry();
		});
	};
	void open();
}

// ── 掃描學員QR: the staff scanner ──────────────────────────────────────────────────────────────

const SAME_CODE_MS = 3_000;

export async function scannerPage(id: string): Promise<void> {
	const { session } = await api<{ session: TeacherSession }>(`${consoleApi}/sessions/${id}/attendance`);
	const heading = h(
		"p",
		{ class: "lead" },
		`${session.subject}　${session.class.name}　${sessionTitle(session)}`,
	);
	show(
		h("h1", {}, "掃描學員QR"),
		heading,
		h("p", {}, "請選擇要為學員簽到或簽退，再將學員的「QR CODE」畫面對準鏡頭。"),
		h(
			"div",
			{ class: "action-choice" },
			...(["check_in", "check_out"] as const).map((action) =>
				button(ACTION_LABEL[action], () => void scanTrainees(session, action), `big-action ${action}`),
			),
		),
		backLink(),
	);
}

let audio: AudioContext | null = null;
function beep(ok: boolean): void {
	try {
		const context = audio;
		if (!context) return;
		const osc = context.createOscillator();
		const gain = context.createGain();
		osc.frequency.value = ok ? 1046 : 330;
		gain.gain.setValueAtTime(0.2, context.currentTime);
		gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.15);
		osc.connect(gain).connect(context.destination);
		osc.start();
		osc.stop(context.currentTime + 0.16);
	} catch {}
}

async function scanTrainees(session: TeacherSession, action: PunchAction): Promise<void> {
	// Created on the button press (a user gesture), so phones allow the beep.
	try {
		const Ctx =
			window.AudioContext ??
			(window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
		audio ??= Ctx ? new Ctx() : null;
		void audio?.resume();
	} catch {}
	const seen = recentFilter(SAME_CODE_MS);
	const panel = h(
		"div",
		{ class: "scan-panel", role: "status", "aria-live": "assertive" },
		"請對準學員的 QR Code",
	);
	const log = h("ol", { class: "scan-log", "aria-label": "掃描紀錄" });
	const video = h("video", { class: "camera", playsinline: "", muted: "", "aria-label": "相機畫面" });
	const cameraBox = h(
		"div",
		{ class: "camera-box" },
		video,
		h("div", { class: "camera-frame", "aria-hidden": "true" }),
	);
	let camera: { stop(): void } | null = null;
	let stopped = false;
	const stop = () => {
		stopped = true;
		camera?.stop();
	};

	const flash = (kind: "ok" | "repeated" | "failed", text: string) => {
		panel.className = `scan-panel ${kind}`;
		panel.textContent = text;
		log.prepend(h("li", { class: kind }, text));
		while (log.children.length > 8) log.lastElementChild?.remove();
	};
	// A token that was recorded is not sent again (the server would call it used): the trainee's
	// next personal code gives the calm 「已簽到過」 instead.
	const recorded = new Set<string>();
	const handle = async (text: string) => {
		const token = tokenFromScan(text);
		if (!token || recorded.has(token) || seen(token, Date.now())) return;
		recorded.add(token);
		try {
			const result = await api<PunchResult>(`${consoleApi}/sessions/${session.id}/scan`, {
				method: "POST",
				body: JSON.stringify({ action, token }),
			});
			flash(result.repeated ? "repeated" : "ok", scannerText(result));
			beep(true);
		} catch (err) {
			if (err instanceof ApiError && (err.code === "OFFLINE" || err.status >= 500)) recorded.delete(token);
			if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
			flash("failed", messageOf(err));
			beep(false);
		}
	};

	show(
		h("h1", {}, `掃描學員QR・${ACTION_LABEL[action]}`),
		h("p", { class: "hint" }, `${session.subject}　${sessionTitle(session)}`),
		cameraBox,
		panel,
		log,
		button(
			"結束掃描",
			() => {
				stop();
				void scannerPage(String(session.id));
			},
			"secondary",
		),
		backLink(),
	);

	if (canUseLineScanner()) {
		// LINE's scanner reads one code at a time: open it again after each.
		cameraBox.hidden = true;
		while (!stopped && document.body.contains(panel)) {
			let text: string | null;
			try {
				text = await scanWithLine();
			} catch {
				break;
			}
			if (text === null) {
				stop();
				return scannerPage(String(session.id));
			}
			await handle(text);
		}
		if (stopped) return;
		cameraBox.hidden = false;
	}
	try {
		camera = await startCameraScan(video, (text) => {
			if (!stopped) void handle(text);
		});
		if (stopped) camera.stop();
	} catch (err) {
		cameraBox.hidden = true;
		flash("failed", err instanceof CameraError ? err.message : "相機暫時無法開啟，請再試一次。");
	}
}
