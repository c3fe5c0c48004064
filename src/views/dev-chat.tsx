// The /__dev chat emulator page: a phone-shaped LINE chat with the user's rich menu.
import type { FC } from "hono/jsx";

type Props = { users: { userId: string; label: string }[] };

export const DevChatPage: FC<Props> = ({ users }) => (
	<html lang="zh-Hant-TW">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<title>Training LINE — 本機 LINE 模擬器</title>
			<link rel="icon" href="data:," />
			<link rel="stylesheet" href="/dev/chat.css" />
			<script src="/app/dev-chat.js" defer></script>
		</head>
		<body>
			<header class="bar">
				<strong>本機 LINE 模擬器</strong>
				<span class="hint">開發模式：訊息以正確簽章送到 /webhook/line，這裡顯示 Bot 的回覆與推播。</span>
			</header>
			<main class="layout">
				<nav class="users" aria-label="示範 LINE 使用者">
					<h2>選擇 LINE 使用者</h2>
					<ul>
						{users.map((u) => (
							<li>
								<button type="button" class="user" data-user-id={u.userId}>
									{u.label}
									<small>{u.userId}</small>
								</button>
							</li>
						))}
						<li>
							<button type="button" class="user" data-new-user="1">
								＋ 新的 LINE 使用者
								<small>隨機 userId，可用來試綁定</small>
							</button>
						</li>
					</ul>
					<div class="actions">
						<button type="button" id="follow">
							加入好友（follow）
						</button>
						<button type="button" id="unfollow">
							封鎖（unfollow）
						</button>
					</div>
				</nav>
				<section class="phone" aria-live="polite">
					<div class="chat-title" id="chat-title">
						Training LINE
					</div>
					<ol class="chat" id="chat">
						<li class="note">請先在左側選擇一位 LINE 使用者。</li>
					</ol>
					<div class="quick-replies" id="quick-replies"></div>
					<form class="composer" id="composer">
						<input
							id="text"
							name="text"
							autocomplete="off"
							placeholder="輸入訊息，例如：請假、簽到、客服"
							disabled
						/>
						<button type="submit" disabled>
							傳送
						</button>
					</form>
					<div class="rich-menu" id="rich-menu" hidden>
						<div class="rich-menu-image" id="rich-menu-image"></div>
						<div class="chat-bar" id="chat-bar"></div>
					</div>
				</section>
				<aside class="inbox" aria-label="簡訊與電子郵件收件匣">
					<h2>簡訊／郵件收件匣</h2>
					<p class="hint">開發模式不會真的寄出簡訊或郵件，綁定驗證碼會出現在這裡。</p>
					<ol id="inbox" class="inbox-list"></ol>
				</aside>
			</main>
		</body>
	</html>
);
