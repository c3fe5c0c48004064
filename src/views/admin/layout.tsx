// The dashboard's frame: header with the unit and the member, navigation, and the page.
import type { Child, FC } from "hono/jsx";
import { STAFF_ROLE_LABELS } from "../../domain/roles";
import type { StaffMember } from "../../services/staff-auth";

const NAV: [string, string][] = [
	["/admin", "今日"],
	["/admin/leave", "請假審核"],
];

export const AdminLayout: FC<{
	title: string;
	staff?: StaffMember;
	unitName?: string;
	current?: string;
	children?: Child;
}> = ({ title, staff, unitName, current, children }) => (
	<html lang="zh-Hant-TW">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="robots" content="noindex" />
			<title>{`${title}｜Training LINE 管理後台`}</title>
			<link rel="icon" href="data:," />
			<link rel="stylesheet" href="/css/admin.css" />
			<script src="/app/admin.js" defer></script>
		</head>
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
					{NAV.map(([href, label]) => (
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
