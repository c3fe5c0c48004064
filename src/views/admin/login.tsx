// 管理後台登入.
import type { FC } from "hono/jsx";
import { AdminLayout, Notice } from "./layout";

export const LoginPage: FC<{ error?: string; notice?: string; email?: string; next?: string }> = ({
	error,
	notice,
	email,
	next,
}) => (
	<AdminLayout title="登入">
		<form method="post" action="/admin/login" class="card narrow">
			{error && <Notice kind="error">{error}</Notice>}
			{notice && <Notice>{notice}</Notice>}
			<input type="hidden" name="next" value={next ?? "/admin"} />
			<label class="field">
				電子郵件
				<input type="email" name="email" value={email ?? ""} autocomplete="username" required autofocus />
			</label>
			<label class="field">
				密碼
				<input type="password" name="password" autocomplete="current-password" required />
			</label>
			<button type="submit" class="primary">
				登入
			</button>
			<p>
				<a href="/admin/password/forgot">忘記密碼？</a>
			</p>
			<p class="hint">連續輸入錯誤 5 次，帳號將暫停登入 15 分鐘。</p>
		</form>
	</AdminLayout>
);
