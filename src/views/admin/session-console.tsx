// The shell of the dashboard's session pages (顯示簽到QR, 掃描學員QR, 出缺勤): the page app is the same
// as 教師專區's, told to use the dashboard's API and links.
import type { FC } from "hono/jsx";
import { PageHead } from "../page-head";

export const SessionConsoleShell: FC<{ title: string }> = ({ title }) => (
	<html lang="zh-Hant-TW">
		<PageHead
			title={`${title}｜Training LINE 管理後台`}
			stylesheet="/css/pages.css"
			deferred="/app/admin-console.js"
		/>
		<body>
			<main
				class="page"
				id="app"
				data-role="teacher"
				data-base="/admin"
				data-console-api="/admin/api"
				data-home-label="回管理後台"
				aria-live="polite"
			>
				<p class="loading">載入中，請稍候…</p>
				<noscript>
					<p class="alert">這個頁面需要開啟 JavaScript。</p>
				</noscript>
			</main>
		</body>
	</html>
);
