// LINE notices about a trainee's leave request (zh-TW).

import type { LeaveStatus } from "../domain/leave-status";
import { formatRocDate } from "../domain/roc-date";
import type { Settings } from "../env";
import { liffUrl } from "./liff-urls";
import type { LineMessage } from "./line-api";

const HEADLINE: Partial<Record<LeaveStatus, string>> = {
	approved: "您的假單已通過",
	rejected: "您的假單未通過",
	revoked: "您的假單已被訓練單位撤銷",
	expired: "您的假單已逾期未審核",
};

export function leaveResultMessages(
	settings: Settings,
	request: { firstDate: string; lastDate: string; hours: number; typeName: string },
	status: LeaveStatus,
	remark: string | null,
): LineMessage[] {
	const period =
		request.firstDate === request.lastDate
			? formatRocDate(request.firstDate)
			: `${formatRocDate(request.firstDate)}～${formatRocDate(request.lastDate)}`;
	const lines = [
		HEADLINE[status] ?? "您的假單狀態已更新",
		`假別：${request.typeName}`,
		`時段：${period}（共 ${request.hours} 小時）`,
		...(remark ? [`審核備註：${remark}`] : []),
		...(status === "expired" ? ["如仍需請假，請聯繫訓練單位。"] : []),
	];
	return [
		{
			type: "text",
			text: lines.join("\n"),
			quickReply: {
				items: [
					{
						type: "action",
						action: { type: "uri", label: "查看請假節次", uri: liffUrl(settings, "trainee", "/leave") },
					},
				],
			},
		},
	];
}
