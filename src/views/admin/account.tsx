// 我的帳號: the signed-in member's details and password change.
import type { FC } from "hono/jsx";
import { STAFF_ROLE_LABELS } from "../../domain/roles";
import { MIN_PASSWORD_LENGTH, type StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

export const AccountPage: FC<{
	staff: StaffMember;
	unitName: string;
	message?: { kind: "ok" | "error"; text: string } | undefined;
}> = ({ staff, unitName, message }) => (
	<AdminLayout title="我的帳號" staff={staff} unitName={unitName}>
		{message && <Notice kind={message.kind}>{message.text}</Notice>}
		<dl class="card detail-list narrow">
			<dt>姓名</dt>
			<dd>{staff.name}</dd>
			<dt>電子郵件</dt>
			<dd>{staff.email}</dd>
			<dt>角色</dt>
			<dd>{STAFF_ROLE_LABELS[staff.role]}</dd>
			<dt>單位</dt>
			<dd>{unitName}</dd>
		</dl>
		<form method="post" action="/admin/account/password" class="card narrow">
			<h2>變更密碼</h2>
			<label class="field">
				目前的密碼
				<input type="password" name="current" autocomplete="current-password" required />
			</label>
			<label class="field">
				新密碼（至少 {MIN_PASSWORD_LENGTH} 個字元）
				<input
					type="password"
					name="next"
					autocomplete="new-password"
					minlength={MIN_PASSWORD_LENGTH}
					required
				/>
			</label>
			<button type="submit" class="primary">
				變更密碼
			</button>
			<p class="hint">變更後，其他電腦或瀏覽器上的登入會被登出。</p>
		</form>
	</AdminLayout>
);
