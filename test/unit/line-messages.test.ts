// Every message the bot can send stays within LINE's limits (LINE answers 400 otherwise).
import { describe, expect, it } from "vitest";
import type { Settings } from "../../src/env";
import { lineMessageProblems } from "../../src/line/message-limits";
import * as say from "../../src/line/messages";
import { decodePostback, encodePostback, FAQ_TOPICS } from "../../src/line/postback";

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

const everyMessage = {
	welcome: say.welcome(),
	welcomeBackTrainee: say.welcomeBack("trainee"),
	identityMenu: say.identityMenu(),
	chooseRoleToBind: say.chooseRoleToBind(),
	bindingLink: say.bindingLink("teacher", `https://training-line.example/bind?t=${"x".repeat(400)}`, 10),
	alreadyBound: say.alreadyBound("trainee"),
	chooseRoleToSwitch: say.chooseRoleToSwitch("teacher"),
	switched: say.switched("teacher"),
	bindOtherRoleFirstTrainee: say.bindOtherRoleFirst("trainee"),
	bindOtherRoleFirstTeacher: say.bindOtherRoleFirst("teacher"),
	bindFirst: say.bindFirst("線上請假"),
	leaveShortcuts: say.leaveShortcuts(settings),
	punchShortcuts: say.punchShortcuts(settings, "trainee"),
	support: say.support([
		{ name: "北區職業訓練示範中心", phone: "02-2345-6789", email: "north@unit.example" },
	]),
	supportUnbound: say.support([]),
	faqMenu: say.faqMenu(),
	shortMenu: say.shortMenu(),
	oneToOneOnly: say.oneToOneOnly(),
	unknownAction: say.unknownAction(),
	...Object.fromEntries(FAQ_TOPICS.map((topic) => [`faq:${topic}`, say.faqAnswer(topic)])),
};

describe("bot messages", () => {
	it.each(Object.entries(everyMessage))("%s is within LINE's limits", (_, messages) => {
		expect(lineMessageProblems(messages)).toEqual([]);
	});

	it("the checker catches what LINE refuses", () => {
		expect(
			lineMessageProblems([
				{
					type: "template",
					altText: "x",
					template: {
						type: "buttons",
						title: "有標題",
						text: "字".repeat(61),
						actions: [{ type: "message", label: "a", text: "a" }],
					},
				},
			]),
		).toEqual(["messages[0]: text over 60 characters"]);
		expect(lineMessageProblems([{ type: "text", text: "" }])).toHaveLength(1);
	});

	it("quotes the manual's FAQ: web login, private mode, reinstall, PC with QR", () => {
		const all = FAQ_TOPICS.map((t) => JSON.stringify(say.faqAnswer(t))).join("");
		for (const phrase of [
			"使用LINE應用程式登入",
			"一般模式",
			"重新安裝",
			"掃描電腦畫面上的 QR Code",
			"更換其他瀏覽器",
		]) {
			expect(all).toContain(phrase);
		}
	});
});

describe("postback data", () => {
	it("round-trips and refuses what it does not know", () => {
		expect(decodePostback(encodePostback({ a: "bind", role: "teacher" }))).toEqual({
			a: "bind",
			role: "teacher",
		});
		expect(decodePostback("a=bind&role=admin")).toBeNull();
		expect(decodePostback("a=drop-tables")).toBeNull();
		expect(decodePostback("")).toBeNull();
	});
});
