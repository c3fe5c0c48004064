// The LIFF page app: signs in with LIFF, calls /api/liff with the ID token, renders the page of the
// path. Expired tokens are refreshed by signing in again; what the person typed is kept meanwhile.
// The pages live in liff/: account (home, 設定與身分), leave (學員專區), punch (掃描, QR CODE) and
// teacher (教師專區: sessions, display, scanner, 出缺勤).
import { comingLater, home, myIdentity, notBound, settings } from "./liff/account-pages";
import { ApiError } from "./liff/api";
import { app, base, DRAFT_KEY, h, type Role, role, showError } from "./liff/dom";
import { courses, leaveDetail, leaveList, leaveNew, timetablePage } from "./liff/leave-pages";
import { qrPage, scanPage, takeScanTicket } from "./liff/punch-pages";
import { liff } from "./liff/sdk";
import { attendancePage, displayPage, scannerPage, teacherHome } from "./liff/teacher-pages";

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
	// 教師專區 home lists the sessions (顯示簽到QR, 掃描學員QR, 出缺勤 per session) above these.
	teacher: [
		["掃描", "/scan"],
		["QR CODE", "/qr"],
		["設定與身分", "/settings"],
	],
};

async function teacherStart(): Promise<void> {
	const mine = await myIdentity();
	if (mine) await teacherHome(mine.name, MENU.teacher);
}

const PAGES: Record<string, () => Promise<void> | void> = {
	"/settings": settings,
	"/scan": scanPage,
	"/qr": qrPage,
	...(role === "trainee"
		? {
				"": () => home(MENU.trainee),
				"/": () => home(MENU.trainee),
				"/courses": courses,
				"/timetable": timetablePage,
				"/leave": () => leaveList(),
				"/leave/new": () => leaveNew(),
			}
		: {
				"": teacherStart,
				"/": teacherStart,
				// The rich menu's 顯示簽到QR and 掃描學員QR: pick the session on the home list.
				"/sessions": teacherStart,
				"/scan-trainees": teacherStart,
			}),
};

const TEACHER_SESSION_PAGES: Record<string, (id: string) => Promise<void>> = {
	display: displayPage,
	scanner: scannerPage,
	attendance: attendancePage,
};

function pageFor(path: string): () => Promise<void> | void {
	const detail = /^\/leave\/(\d+)$/.exec(path);
	if (role === "trainee" && detail) return () => leaveDetail(detail[1] as string);
	const session = /^\/sessions\/(\d{1,12})\/(display|scanner|attendance)$/.exec(path);
	const sessionPage = session && TEACHER_SESSION_PAGES[session[2] as string];
	if (role === "teacher" && session && sessionPage) return () => sessionPage(session[1] as string);
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
		const path = location.pathname.slice(base.length);
		// A session QR opened from a phone camera: take its token before a (slow) LINE login.
		if (path === "/scan") await takeScanTicket();
		await liff.init({ liffId: app.dataset.liffId ?? "" });
		if (!liff.isLoggedIn()) {
			liff.login({ redirectUri: location.href });
			return;
		}
		await pageFor(path)();
		flash();
		sessionStorage.removeItem(DRAFT_KEY);
	} catch (err) {
		if (err instanceof ApiError && err.code === "ID_TOKEN_EXPIRED") return;
		if (err instanceof ApiError && err.code === "NOT_BOUND") return notBound();
		showError(err instanceof Error ? err.message : "頁面載入失敗。", () => location.reload());
	}
}

void start();
