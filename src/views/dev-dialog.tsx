// LINE's account-link consent screen and its result, as the development emulator shows them.
import type { FC } from "hono/jsx";

const Shell: FC<{ title: string; children?: unknown }> = ({ title, children }) => (
	<html lang="zh-Hant-TW">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<title>{title}</title>
			<link rel="icon" href="data:," />
			<link rel="stylesheet" href="/css/pages.css" />
		</head>
		<body class="line-dialog">
			<main class="page">
				<p class="emulated">LINE（本機模擬）</p>
				{children as never}
			</main>
		</body>
	</html>
);

export const DialogPage: FC<{ linkToken: string; nonce: string }> = ({ linkToken, nonce }) => (
	<Shell title="帳號連結 - LINE">
		<h1>帳號連結</h1>
		<p class="lead">「Training LINE」想要將您的 LINE 帳號與服務帳號連結。</p>
		<form method="post" action="/dialog/bot/accountLink" class="form">
			<input type="hidden" name="linkToken" value={linkToken} />
			<input type="hidden" name="nonce" value={nonce} />
			<button type="submit" name="decision" value="allow" class="primary">
				連結帳號
			</button>
			<button type="submit" name="decision" value="cancel" class="secondary">
				取消
			</button>
		</form>
	</Shell>
);

export const DialogDone: FC<{ ok: boolean; message: string }> = ({ ok, message }) => (
	<Shell title="帳號連結 - LINE">
		<h1>{ok ? "連結完成" : "未完成連結"}</h1>
		<p class="lead" data-result={ok ? "ok" : "failed"}>
			{message}
		</p>
		<p>
			<a href="/__dev">回到本機 LINE 模擬器</a>
		</p>
	</Shell>
);
