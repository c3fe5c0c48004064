// Public pages of the password links: set a password through a link, the link that cannot be used,
// and 忘記密碼 (ask for a reset link).
import type { FC } from "hono/jsx";
import { MIN_PASSWORD_LENGTH, type PasswordLinkPurpose } from "../../domain/staff-password";
import { AdminLayout, Notice } from "./layout";

export const SetPasswordPage: FC<{
	token: string;
	email: string;
	purpose: PasswordLinkPurpose;
	error?: string | undefined;
}> = ({ token, email, purpose, error }) => (
	<AdminLayout title={purpose === "first" ? "設定密碼" : "重新設定密碼"}>
		<form method="post" action="/admin/password/set" class="card narrow">
			{error && <Notice kind="error">{error}</Notice>}
			<input type="hidden" name="token" value={token} />
			<p>
				登入帳號：<strong>{email}</strong>
			</p>
			<label class="field">
				新密碼（至少 {MIN_PASSWORD_LENGTH} 個字元）
				<input
					type="password"
					name="password"
					autocomplete="new-password"
					minlength={MIN_PASSWORD_LENGTH}
					maxlength={200}
					required
					autofocus
				/>
			</label>
			<label class="field">
				再輸入一次新密碼
				<input
					type="password"
					name="confirm"
					autocomplete="new-password"
					minlength={MIN_PASSWORD_LENGTH}
					maxlength={200}
					required
				/>
			</label>
			<button type="submit" class="primary">
				設定密碼
			</button>
			<p class="hint">密碼不能與電子郵件相同。設定後，其他電腦或瀏覽器上的登入會被登出。</p>
		</form>
	</AdminLayout>
);

const UNUSABLE: Record<"invalid" | "used" | "expired", { title: string; text: string }> = {
	invalid: {
		title: "連結無效",
		text: "這個連結不正確，可能複製時少了幾個字。請直接點選電子郵件中的連結，或重新申請。",
	},
	used: { title: "連結已使用過", text: "這個連結已經用來設定過密碼，不能再使用。" },
	expired: {
		title: "連結已失效",
		text: "這個連結已過期，或已寄出更新的連結而失效。",
	},
};

export const UnusableLinkPage: FC<{ reason: "invalid" | "used" | "expired" }> = ({ reason }) => (
	<AdminLayout title={UNUSABLE[reason].title}>
		<div class="card narrow">
			<Notice kind="error">{UNUSABLE[reason].text}</Notice>
			<p>
				已設定過密碼的人可以直接<a href="/admin/login">登入</a>；忘記密碼請用
				<a href="/admin/password/forgot">忘記密碼</a>重新申請連結，或請單位管理者重新寄送。
			</p>
		</div>
	</AdminLayout>
);

export const ForgotPasswordPage: FC<{ email?: string; error?: string | undefined }> = ({ email, error }) => (
	<AdminLayout title="忘記密碼">
		<form method="post" action="/admin/password/forgot" class="card narrow">
			{error && <Notice kind="error">{error}</Notice>}
			<p>輸入您登入管理後台用的電子郵件，我們會寄一封重新設定密碼的連結給您。</p>
			<label class="field">
				電子郵件
				<input
					type="email"
					name="email"
					value={email ?? ""}
					autocomplete="username"
					maxlength={254}
					required
					autofocus
				/>
			</label>
			<button type="submit" class="primary">
				寄送重設密碼連結
			</button>
			<p>
				<a href="/admin/login">回登入</a>
			</p>
		</form>
	</AdminLayout>
);

/** The same answer whether or not the e-mail has an account. */
export const ResetRequestedPage: FC<{ development: boolean }> = ({ development }) => (
	<AdminLayout title="請查看您的電子郵件">
		<div class="card narrow">
			<Notice>
				如果這個電子郵件有管理後台帳號，我們已寄出重新設定密碼的連結，1 小時內有效。
				幾分鐘內沒有收到，請檢查垃圾郵件，或洽單位管理者。
			</Notice>
			{development && (
				<p class="hint">
					開發模式：郵件不會真的寄出，請到 <a href="/__dev">/__dev</a> 的「簡訊／郵件收件匣」查看。
				</p>
			)}
			<p>
				<a href="/admin/login">回登入</a>
			</p>
		</div>
	</AdminLayout>
);
