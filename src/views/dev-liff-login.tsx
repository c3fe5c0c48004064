// Development: LINE Login for the mock LIFF — pick which demo LINE user is signed in.
import type { FC } from "hono/jsx";

export const LiffLoginPage: FC<{
	redirect: string;
	users: { userId: string; label: string }[];
	current: string | null;
}> = ({ redirect, users, current }) => (
	<html lang="zh-Hant-TW">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<title>LINE Login（本機模擬）</title>
			<link rel="icon" href="data:," />
			<link rel="stylesheet" href="/css/pages.css" />
			<script src="/app/dev-liff-login.js" defer></script>
		</head>
		<body>
			<main class="page" data-redirect={redirect} data-current={current ?? ""} id="login">
				<p class="hint">LINE Login（本機模擬）</p>
				<h1>以哪個 LINE 使用者登入？</h1>
				<div class="form">
					{users.map((u) => (
						<button
							type="button"
							class={u.userId === current ? "primary" : "secondary"}
							data-user-id={u.userId}
						>
							{u.label}
						</button>
					))}
				</div>
			</main>
		</body>
	</html>
);
