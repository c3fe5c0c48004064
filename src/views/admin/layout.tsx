// The dashboard's frame: header with the unit and the member, navigation, and the page.
import type { Child, FC } from "hono/jsx";
import { STAFF_ROLE_LABELS, type StaffRole } from "../../domain/roles";
import type { StaffMember } from "../../services/staff-auth";
import { PageHead } from "../page-head";

/** [href, label, the roles that see it (everyone when absent)]. */
const NAV: [string, string, StaffRole[]?][] = [
	["/admin", "今日"],
	["/admin/leave", "請假審核"],
	["/admin/classes", "班級"],
	["/admin/roster-import", "學員名冊匯入"],
	["/admin/timetable-import", "課表匯入"],
	["/admin/audit", "稽核紀錄", ["agency_admin", "unit_admin"]],
	["/admin/staff", "帳號管理", ["agency_admin", "unit_admin"]],
	["/admin/settings", "設定", ["agency_admin"]],
];

export const AdminLayout: FC<{
	title: string;
	staff?: StaffMember;
	unitName?: string;
	current?: string;
	children?: Child;
}> = ({ title, staff, unitName, current, children }) => (
	<html lang="zh-Hant-TW">
		<PageHead
			title={`${title}｜Training LINE 管理後台`}
			stylesheet="/css/admin.css"
			deferred="/app/admin.js"
		/>
		<body>
			<header class="admin-top">
				<a class="brand" href="/admin">
					Training LINE 管理後台
				</a>
				{staff && (
					<div class="who">
						<span>{unitName}</span>
						<span>
							{staff.name}（{STAFF_ROLE_LABELS[staff.role]}）
						</span>
						<a href="/admin/account">我的帳號</a>
						<form method="post" action="/admin/logout">
							<button type="submit" class="link">
								登出
							</button>
						</form>
					</div>
				)}
			</header>
			{staff && (
				<nav class="admin-nav" aria-label="主選單">
					{NAV.filter(([, , roles]) => !roles || roles.includes(staff.role)).map(([href, label]) => (
						<a href={href} aria-current={current === href ? "page" : undefined}>
							{label}
						</a>
					))}
				</nav>
			)}
			<main class="admin-page">
				<h1>{title}</h1>
				{children}
			</main>
		</body>
	</html>
);

export const Notice: FC<{ kind?: "ok" | "error"; children?: Child }> = ({ kind = "ok", children }) => (
	<p class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>
		{children}
	</p>
);

/** Another unit's record, or one that does not exist: the same answer, as a page. */
export const AdminNotFound: FC<{ staff: StaffMember; what: string }> = ({ staff, what }) => (
	<AdminLayout title="找不到資料" staff={staff}>
		<p>找不到{what}，或您沒有檢視的權限。</p>
		<p>
			<a href="/admin">回今日</a>
		</p>
	</AdminLayout>
);

/** An error on a dashboard page (a refused upload, a page that does not exist), for people. */
export const AdminErrorPage: FC<{ message: string; requestId: string }> = ({ message, requestId }) => (
	<AdminLayout title="無法完成">
		<Notice kind="error">{message}</Notice>
		<p>
			<a href="/admin">回今日</a>
		</p>
		<p class="hint">若需要協助，請提供這個代碼給客服：{requestId}</p>
	</AdminLayout>
);
