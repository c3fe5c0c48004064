// The HTML shell of every LIFF page: it loads the LIFF SDK (LINE's, or the emulator's mock in
// development) and the page app, which signs in and renders. Never a blank page: the shell shows
// a loading state, and a message if JavaScript is off.
import type { FC } from "hono/jsx";
import { LINE_ROLE_LABELS, type LineRole } from "../domain/roles";
import { PageHead } from "./page-head";

export const LIFF_SDK_URL = "https://static.line-scdn.net/liff/edge/2/sdk.js";

export const LiffShell: FC<{ role: LineRole; liffId: string; base: string; development: boolean }> = ({
	role,
	liffId,
	base,
	development,
}) => (
	<html lang="zh-Hant-TW">
		<PageHead
			title={`${LINE_ROLE_LABELS[role]}專區｜Training LINE`}
			stylesheet="/css/pages.css"
			scripts={[development ? "/app/liff-mock.js" : LIFF_SDK_URL]}
			deferred="/app/liff.js"
		/>
		<body>
			<header class="top">
				<span class="brand">Training LINE</span>
				<span>{LINE_ROLE_LABELS[role]}專區</span>
			</header>
			<main class="page" id="app" data-role={role} data-liff-id={liffId} data-base={base} aria-live="polite">
				<p class="loading">載入中，請稍候…</p>
				<noscript>
					<p class="alert">
						這個頁面需要開啟 JavaScript。請使用 LINE 內建瀏覽器，或在瀏覽器設定中開啟 JavaScript。
					</p>
				</noscript>
			</main>
			<footer class="foot">
				客服專線 <a href="tel:0800777888">0800-777-888</a>
			</footer>
		</body>
	</html>
);
