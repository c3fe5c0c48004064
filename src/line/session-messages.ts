// LINE notice to a trainee whose leave covered a session that was cancelled (停課), zh-TW.
import { formatRocDate } from "../domain/roc-date";
import { taipeiTime, weekdayLabel } from "../domain/taipei-time";
import type { Settings } from "../env";
import { liffUrl } from "./liff-urls";
import type { LineMessage } from "./line-api";

/** LINE refuses text messages over 5,000 characters; a reason is at most 200 and names far less. */
const clip = (text: string, max: number) =>
	[...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text;

export function sessionCancelledMessages(
	settings: Settings,
	session: {
		className: string;
		date: string;
		startsAt: number;
		endsAt: number;
		subject: string;
		reason: string;
	},
): LineMessage[] {
	const lines = [
		"停課通知",
		`班級：${clip(session.className, 100)}`,
		`日期：${formatRocDate(session.date)}（${weekdayLabel(session.date).slice(1)}）`,
		`時間：${taipeiTime(session.startsAt)}–${taipeiTime(session.endsAt)}`,
		`課程：${clip(session.subject, 100)}`,
		`停課原因：${clip(session.reason, 200)}`,
		"這堂課已停課，您不需要為這堂課請假，這堂課也不計入您的請假時數。",
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
