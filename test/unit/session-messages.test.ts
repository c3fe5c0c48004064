// The 停課 notice a trainee with leave on a cancelled session gets: what it says, within LINE's limits.
import { describe, expect, it } from "vitest";
import type { Settings } from "../../src/env";
import { lineMessageProblems } from "../../src/line/message-limits";
import { sessionCancelledMessages } from "../../src/line/session-messages";

const settings: Settings = {
	isDevelopment: false,
	publicBaseUrl: "https://training-line.example",
	lineApiBase: "https://api.line.me",
	lineApiDataBase: "https://api-data.line.me",
	lineAccessBase: "https://access.line.me",
	lineLoginChannelId: "1650000000",
	liffIdTrainee: "1650000000-trainee",
	liffIdTeacher: "1650000000-teacher",
};

const session = {
	className: "智慧製造設備維護班",
	date: "2026-03-02",
	// 07:30–08:30 Taipei: the previous UTC day, shown as the Taipei day and time.
	startsAt: Date.parse("2026-03-01T23:30:00Z"),
	endsAt: Date.parse("2026-03-02T00:30:00Z"),
	subject: "晨間安全講習",
	reason: "颱風停課",
};

describe("sessionCancelledMessages", () => {
	it("names the class, Taipei date and time and subject, and says no leave is needed", () => {
		const [message] = sessionCancelledMessages(settings, session);
		expect(message).toMatchObject({ type: "text" });
		expect((message as { text: string }).text).toBe(
			[
				"停課通知",
				"班級：智慧製造設備維護班",
				"日期：115/03/02（一）",
				"時間：07:30–08:30",
				"課程：晨間安全講習",
				"停課原因：颱風停課",
				"這堂課已停課，您不需要為這堂課請假，這堂課也不計入您的請假時數。",
			].join("\n"),
		);
		expect(JSON.stringify(message)).toContain("https://liff.line.me/1650000000-trainee/leave");
	});

	it("stays within LINE's limits with the longest names and reason", () => {
		const long = sessionCancelledMessages(settings, {
			...session,
			className: "班".repeat(300),
			subject: "課".repeat(300),
			reason: "🌀".repeat(300),
		});
		expect(lineMessageProblems(long)).toEqual([]);
		expect((long[0] as { text: string }).text).toContain(`停課原因：${"🌀".repeat(199)}…`);
	});
});
