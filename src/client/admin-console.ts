// The dashboard's session pages (顯示簽到QR, 掃描學員QR, 出缺勤): the same pages as 教師專區, signed
// in by the staff cookie instead of LIFF, with the console API under /admin/api.
import { messageOf } from "./liff/api";
import { showError } from "./liff/dom";
import { attendancePage, displayPage, scannerPage } from "./liff/teacher-pages";

const PAGES: Record<string, (id: string) => Promise<void>> = {
	display: displayPage,
	scanner: scannerPage,
	attendance: attendancePage,
};

const match = /^\/admin\/sessions\/(\d+)\/(display|scanner|attendance)$/.exec(location.pathname);
const page = match ? PAGES[match[2] as string] : undefined;
if (match && page)
	page(match[1] as string).catch((err: unknown) => showError(messageOf(err), () => location.reload()));
else showError("找不到這個頁面。");
