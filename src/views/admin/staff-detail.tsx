// One account of 帳號管理: its details and the actions on it (send a password link, disable/enable).
import type { FC } from "hono/jsx";
import { STAFF_ROLE_LABELS } from "../../domain/roles";
import { linkState } from "../../domain/staff-password";
import type { StaffDetail } from "../../services/staff-accounts";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";
import { StaffStatusLabel, unitLabel, when } from "./staff";

const LinkSummary: FC<{ link: StaffDetail["lastLink"]; now: number }> = ({ link, now }) => {
	if (!link) return <span class="muted">尚未寄出</span>;
	const state = linkState(link, now);
	return (
		<span>
			{when(link.createdAt)} 寄出；
			{state === "used" && link.usedAt !== null
				? `已於 ${when(link.usedAt)} 使用`
				: state === "usable"
					? `${when(link.expiresAt)} 前有效`
					: "已失效"}
		</span>
	);
};

export const StaffDetailPage: FC<{
	staff: StaffMember;
	unitName: string;
	account: StaffDetail;
	now: number;
	/** `mailed`: the message says an e-mail went out (development shows where to read it). */
	message?: { kind: "ok" | "error"; text: string; mailed?: boolean } | undefined;
	development: boolean;
}> = ({ staff, unitName, account, now, message, development }) => {
	const self = account.id === staff.id;
	const disabled = account.disabledAt !== null;
	return (
		<AdminLayout title={account.name} staff={staff} unitName={unitName} current="/admin/staff">
			<p class="back">
				<a href="/admin/staff">← 回帳號管理</a>
			</p>
			{message && (
				<Notice kind={message.kind}>
					{message.text}
					{development && message.mailed && (
						<>
							{" "}
							（開發模式：郵件不會真的寄出，請到 <a href="/__dev">/__dev</a> 的「簡訊／郵件收件匣」查看。）
						</>
					)}
				</Notice>
			)}
			<dl class="card detail-list">
				<dt>姓名</dt>
				<dd>{account.name}</dd>
				<dt>電子郵件</dt>
				<dd>{account.email}</dd>
				<dt>角色</dt>
				<dd>{STAFF_ROLE_LABELS[account.role]}</dd>
				<dt>單位</dt>
				<dd>{unitLabel(account)}</dd>
				<dt>狀態</dt>
				<dd>
					<StaffStatusLabel account={account} />
					{disabled && account.disabledAt !== null && `（${when(account.disabledAt)} 停用）`}
				</dd>
				<dt>最近登入</dt>
				<dd>{account.lastLoginAt ? when(account.lastLoginAt) : "尚未登入"}</dd>
				<dt>設定密碼連結</dt>
				<dd>
					<LinkSummary link={account.lastLink} now={now} />
				</dd>
				<dt>建立時間</dt>
				<dd>{when(account.createdAt)}</dd>
			</dl>
			<div class="actions staff-actions">
				{!disabled && (
					<form method="post" action={`/admin/staff/${account.id}/password-link`}>
						<button type="submit" class="primary">
							{account.hasPassword ? "寄送重設密碼連結" : "寄送設定密碼連結"}
						</button>
					</form>
				)}
				{self ? (
					<p class="hint">這是您自己的帳號，不能停用；變更密碼請到「我的帳號」。</p>
				) : disabled ? (
					<form method="post" action={`/admin/staff/${account.id}/enable`}>
						<button type="submit">重新啟用帳號</button>
					</form>
				) : (
					<form method="post" action={`/admin/staff/${account.id}/disable`}>
						<button type="submit" class="danger">
							停用帳號
						</button>
					</form>
				)}
			</div>
			<p class="hint">
				{account.hasPassword
					? "寄出重設密碼連結後，舊密碼仍可使用，直到對方用連結設定新密碼（1 小時內有效）。"
					: "設定密碼連結 72 小時內有效，只能使用一次；再寄一次會讓先前的連結失效。"}
				停用後對方會立即被登出，也不能再登入或使用先前寄出的連結。
			</p>
		</AdminLayout>
	);
};
