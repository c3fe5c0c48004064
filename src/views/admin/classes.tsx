// 班級: the unit's classes with a search by code or name and pages of 50.
import type { FC } from "hono/jsx";
import { formatRocDate } from "../../domain/roc-date";
import { CLASS_LIST_PAGE, type ClassListItem } from "../../services/class-overview";
import type { StaffMember } from "../../services/staff-auth";
import { AdminLayout, Notice } from "./layout";

export type ClassListView = {
	staff: StaffMember;
	unitName: string;
	q: string;
	page: number;
	items: ClassListItem[];
	total: number;
	error?: string | undefined;
};

export const period = (from: string, to: string) => `${formatRocDate(from)}～${formatRocDate(to)}`;

export const ClassListPage: FC<ClassListView> = (v) => {
	const allUnits = v.staff.unitId === null;
	const pages = Math.max(1, Math.ceil(v.total / CLASS_LIST_PAGE));
	const href = (page: number) => {
		const params = new URLSearchParams();
		if (v.q) params.set("q", v.q);
		if (page > 1) params.set("page", String(page));
		const query = params.toString();
		return `/admin/classes${query ? `?${query}` : ""}`;
	};
	return (
		<AdminLayout title="班級" staff={v.staff} unitName={v.unitName} current="/admin/classes">
			{v.error && <Notice kind="error">{v.error}</Notice>}
			<form method="get" action="/admin/classes" class="filters" aria-label="搜尋班級">
				<label>
					班級代碼或名稱
					<input
						type="search"
						class="search"
						name="q"
						value={v.q}
						maxlength={100}
						placeholder="例如 115-01 或 設備維護"
					/>
				</label>
				<button type="submit">搜尋</button>
				{v.q && <a href="/admin/classes">清除搜尋</a>}
			</form>
			{v.items.length === 0 ? (
				<p>{v.q ? `找不到符合「${v.q}」的班級。` : "目前沒有班級。"}</p>
			) : (
				<table class="grid">
					<thead>
						<tr>
							<th scope="col">班級代碼</th>
							<th scope="col">班級名稱</th>
							{allUnits && <th scope="col">訓練單位</th>}
							<th scope="col">計畫</th>
							<th scope="col">訓練期間</th>
							<th scope="col">在訓人數</th>
						</tr>
					</thead>
					<tbody>
						{v.items.map((c) => (
							<tr>
								<td>
									<a href={`/admin/classes/${c.id}`}>{c.code}</a>
								</td>
								<td>
									<a href={`/admin/classes/${c.id}`}>{c.name}</a>
								</td>
								{allUnits && <td>{c.unitName}</td>}
								<td>{c.planName}</td>
								<td>{period(c.startDate, c.endDate)}</td>
								<td class="count">{c.enrolled}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<nav class="pager" aria-label="分頁">
				{v.page > 1 && <a href={href(v.page - 1)}>上一頁</a>}
				<span>
					共 {v.total} 班，第 {v.page} / {pages} 頁
				</span>
				{v.page < pages && <a href={href(v.page + 1)}>下一頁</a>}
			</nav>
		</AdminLayout>
	);
};
