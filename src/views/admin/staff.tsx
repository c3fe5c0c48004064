// 帳號管理: the accounts an admin manages (search, unit filter, pages of 50) and the new-account form.
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { STAFF_ROLE_LABELS, type StaffRole } from "../../domain/roles";
import { STAFF_STATUS_LABELS, type StaffStatus, staffStatus } from "../../domain/staff-password";
import { taipeiDate, taipeiTime } from "../../domain/taipei-time";
import { STAFF_LIST_PAGE, type StaffAccount, type UnitFilter } from "../../services/staff-accounts";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

/** Taipei date (ROC) and time of an instant. */
export const when = (instant: number) => `${formatRocDate(taipeiDate(instant))} ${taipeiTime(instant)}`;

const STATUS_CLASS: Record<StaffStatus, string> = {
	active: "status approved",
	pending_password: "status pending",
	disabled: "status rejected",
};

export const StaffStatusLabel: FC<{ account: Pick<StaffAccount, "disabledAt" | "hasPassword"> }> = ({
	account,
}) => {
	const status = staffStatus(account);
	return <span class={STATUS_CLASS[status]}>{STAFF_STATUS_LABELS[status]}</span>;
};

export const unitLabel = (account: { unitId: number | null; unitName: string | null }) =>
	account.unitId === null ? "勞動力發展署" : (account.unitName ?? "");

export type StaffListView = {
	staff: StaffMember;
	unitName: string;
	q: string;
	unit: UnitFilter;
	units: { id: number; name: string }[];
	page: number;
	items: StaffAccount[];
	total: number;
	error?: string | undefined;
};

export const StaffListPage: FC<StaffListView> = (v) => {
	const agency = v.staff.role === "agency_admin";
	const pages = Math.max(1, Math.ceil(v.total / STAFF_LIST_PAGE));
	const href = (page: number) => {
		const params = new URLSearchParams();
		if (v.q) params.set("q", v.q);
		if (v.unit !== undefined) params.set("unit", String(v.unit));
		if (page > 1) params.set("page", String(page));
		const query = params.toString();
		return `/admin/staff${query ? `?${query}` : ""}`;
	};
	return (
		<AdminLayout title="帳號管理" staff={v.staff} unitName={v.unitName} current="/admin/staff">
			{v.error && <Notice kind="error">{v.error}</Notice>}
			<p>
				<a href="/admin/staff/new">＋ 新增帳號</a>
			</p>
			<form method="get" action="/admin/staff" class="filters" aria-label="搜尋帳號">
				<label>
					姓名或電子郵件
					<input
						type="search"
						class="search"
						name="q"
						value={v.q}
						maxlength={100}
						placeholder="例如 王 或 @unit"
					/>
				</label>
				{agency && (
					<label>
						單位
						<select name="unit">
							<option value="" selected={v.unit === undefined}>
								全部
							</option>
							<option value="agency" selected={v.unit === "agency"}>
								勞動力發展署
							</option>
							{v.units.map((u) => (
								<option value={String(u.id)} selected={v.unit === u.id}>
									{u.name}
								</option>
							))}
						</select>
					</label>
				)}
				<button type="submit">搜尋</button>
				{(v.q || v.unit !== undefined) && <a href="/admin/staff">清除條件</a>}
			</form>
			{v.items.length === 0 ? (
				<p>{v.q ? `找不到符合「${v.q}」的帳號。` : "沒有符合條件的帳號。"}</p>
			) : (
				<table class="grid staff-list">
					<thead>
						<tr>
							<th scope="col">姓名</th>
							<th scope="col">電子郵件</th>
							<th scope="col">角色</th>
							<th scope="col">單位</th>
							<th scope="col">狀態</th>
							<th scope="col">最近登入</th>
						</tr>
					</thead>
					<tbody>
						{v.items.map((a) => (
							<tr>
								<td class="remark">
									<a href={`/admin/staff/${a.id}`}>{a.name}</a>
									{a.id === v.staff.id && <span class="muted">（您）</span>}
								</td>
								<td class="remark">{a.email}</td>
								<td>{STAFF_ROLE_LABELS[a.role]}</td>
								<td class="remark">{unitLabel(a)}</td>
								<td>
									<StaffStatusLabel account={a} />
								</td>
								<td>{a.lastLoginAt ? when(a.lastLoginAt) : <span class="muted">尚未登入</span>}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<nav class="pager" aria-label="分頁">
				{v.page > 1 && <a href={href(v.page - 1)}>上一頁</a>}
				<span>
					共 {v.total} 個帳號，第 {v.page} / {pages} 頁
				</span>
				{v.page < pages && <a href={href(v.page + 1)}>下一頁</a>}
			</nav>
		</AdminLayout>
	);
};

export type NewStaffValues = { name: string; email: string; role: string; unitId: string };

export const NewStaffPage: FC<{
	staff: StaffMember;
	unitName: string;
	roles: StaffRole[];
	units: { id: number; name: string }[];
	values?: NewStaffValues;
	error?: string | undefined;
}> = ({ staff, unitName, roles, units, values, error }) => {
	const agency = staff.role === "agency_admin";
	const v = values ?? { name: "", email: "", role: "unit_staff", unitId: "" };
	return (
		<AdminLayout title="新增帳號" staff={staff} unitName={unitName} current="/admin/staff">
			<p class="back">
				<a href="/admin/staff">← 回帳號管理</a>
			</p>
			<form method="post" action="/admin/staff" class="card narrow">
				{error && <Notice kind="error">{error}</Notice>}
				<label class="field">
					姓名
					<input name="name" value={v.name} maxlength={50} required autocomplete="off" />
				</label>
				<label class="field">
					電子郵件（登入帳號）
					<input type="email" name="email" value={v.email} maxlength={254} required autocomplete="off" />
				</label>
				<label class="field">
					角色
					<select name="role">
						{roles.map((r) => (
							<option value={r} selected={v.role === r}>
								{STAFF_ROLE_LABELS[r]}
							</option>
						))}
					</select>
				</label>
				{agency ? (
					<label class="field">
						訓練單位
						<select name="unitId">
							<option value="" selected={v.unitId === ""}>
								（勞發署管理者不選單位）
							</option>
							{units.map((u) => (
								<option value={String(u.id)} selected={v.unitId === String(u.id)}>
									{u.name}
								</option>
							))}
						</select>
					</label>
				) : (
					<p>
						訓練單位：<strong>{unitName}</strong>
					</p>
				)}
				<button type="submit" class="primary">
					建立帳號並寄送設定密碼連結
				</button>
				<p class="hint">
					建立後，系統會寄一封含設定密碼連結的電子郵件給對方（72 小時內有效，只能使用一次）。
				</p>
			</form>
		</AdminLayout>
	);
};

/** Unit staff have no 帳號管理. */
export const StaffForbidden: FC<{ staff: StaffMember; unitName: string }> = ({ staff, unitName }) => (
	<AdminLayout title="沒有權限" staff={staff} unitName={unitName}>
		<p>帳號管理只開放給單位管理者與勞發署管理者。需要新增或停用帳號，請洽您的單位管理者。</p>
		<p>
			<a href="/admin">回今日</a>
		</p>
	</AdminLayout>
);
