// What the bot says (zh-TW), as LINE message objects. Pure builders: no I/O, no decisions.
import type { messagingApi } from "@line/bot-sdk";
import { LINE_ROLE_LABELS, type LineRole } from "../domain/roles";
import type { Settings } from "../env";
import { liffUrl } from "./liff-urls";
import type { LineMessage } from "./line-api";
import { encodePostback, type FaqTopic, type Postback } from "./postback";

export const HOTLINE = "0800-777-888";

type QuickReplyItem = messagingApi.QuickReplyItem;

const postbackAction = (label: string, data: Postback, displayText = label): messagingApi.PostbackAction => ({
	type: "postback",
	label,
	data: encodePostback(data),
	displayText,
});
const uriAction = (label: string, uri: string): messagingApi.URIAction => ({ type: "uri", label, uri });
const quick = (label: string, data: Postback): QuickReplyItem => ({
	type: "action",
	action: postbackAction(label, data),
});

/** The short menu offered under most answers. */
function mainQuickReplies(): messagingApi.QuickReply {
	return {
		items: [
			quick("身分認證", { a: "identity" }),
			quick("常見問題", { a: "faq" }),
			quick("聯絡客服", { a: "support" }),
		],
	};
}

const text = (body: string, withMenu = false): messagingApi.TextMessage => ({
	type: "text",
	text: body,
	...(withMenu ? { quickReply: mainQuickReplies() } : {}),
});

function buttons(
	altText: string,
	title: string | undefined,
	body: string,
	actions: messagingApi.Action[],
): messagingApi.TemplateMessage {
	return {
		type: "template",
		altText,
		template: { type: "buttons", ...(title ? { title } : {}), text: body, actions },
	};
}

export function welcome(): LineMessage[] {
	return [
		text(
			"歡迎加入 Training LINE！這是勞動部勞動力發展署職業訓練課程的官方帳號。\n\n" +
				"第一次使用請先完成身分綁定：點選下方選單的「身分認證」→「綁定帳號」，選擇學員或教師，再依連結完成認證。" +
				"綁定後就能線上請假、查詢課表及簽到退。",
			true,
		),
	];
}

export function welcomeBack(role: LineRole): LineMessage[] {
	return [
		text(
			`歡迎回來！您目前的身分是${LINE_ROLE_LABELS[role]}，下方選單可進入【${LINE_ROLE_LABELS[role]}專區】。`,
			true,
		),
	];
}

export function identityMenu(): LineMessage[] {
	return [
		buttons("身分認證：綁定帳號、切換身分、常見問題", "身分認證", "請選擇要進行的項目", [
			postbackAction("綁定帳號", { a: "bind" }),
			postbackAction("切換身分", { a: "switch" }),
			postbackAction("常見問題", { a: "faq" }),
		]),
	];
}

export function chooseRoleToBind(): LineMessage[] {
	return [
		buttons("請選擇要綁定的身分：學員或教師", "綁定帳號", "請選擇您要綁定的身分", [
			postbackAction("學員", { a: "bind", role: "trainee" }, "綁定學員身分"),
			postbackAction("教師", { a: "bind", role: "teacher" }, "綁定教師身分"),
		]),
	];
}

/** The one-time binding link (valid 10 minutes, single use). */
export function bindingLink(role: LineRole, url: string, validMinutes: number): LineMessage[] {
	return [
		buttons(
			`${LINE_ROLE_LABELS[role]}身分綁定連結（${validMinutes} 分鐘內有效）`,
			`綁定${LINE_ROLE_LABELS[role]}身分`,
			`請在 ${validMinutes} 分鐘內點選下方按鈕完成綁定。連結只能使用一次，請勿轉傳給他人。`,
			[uriAction("前往綁定", url)],
		),
	];
}

export function alreadyBound(role: LineRole): LineMessage[] {
	return [
		text(
			`您已綁定${LINE_ROLE_LABELS[role]}身分，不需要再綁定。若換了新手機或新的 LINE 帳號，可以直接重新綁定，舊帳號會自動解除。`,
			true,
		),
	];
}

export function chooseRoleToSwitch(active: LineRole): LineMessage[] {
	const option = (role: LineRole) =>
		postbackAction(
			role === active ? `${LINE_ROLE_LABELS[role]}（目前）` : LINE_ROLE_LABELS[role],
			{ a: "switch", role },
			`切換為${LINE_ROLE_LABELS[role]}`,
		);
	return [
		buttons("切換身分：學員或教師", "切換身分", `目前身分：${LINE_ROLE_LABELS[active]}。要切換成哪個身分？`, [
			option("trainee"),
			option("teacher"),
		]),
	];
}

export function switched(role: LineRole): LineMessage[] {
	return [text(`已切換為${LINE_ROLE_LABELS[role]}身分，下方選單已更新為【${LINE_ROLE_LABELS[role]}專區】。`)];
}

export function bindOtherRoleFirst(bound: LineRole): LineMessage[] {
	const other: LineRole = bound === "trainee" ? "teacher" : "trainee";
	return [
		buttons(
			`您目前只綁定了${LINE_ROLE_LABELS[bound]}身分`,
			"切換身分",
			`您目前只綁定了${LINE_ROLE_LABELS[bound]}身分。若您也是${LINE_ROLE_LABELS[other]}，請先綁定${LINE_ROLE_LABELS[other]}身分，之後就能在兩個身分間切換。`,
			[postbackAction(`綁定${LINE_ROLE_LABELS[other]}身分`, { a: "bind", role: other })],
		),
	];
}

export function bindFirst(what: string): LineMessage[] {
	return [
		buttons(`請先完成身分綁定才能${what}`, undefined, `請先完成身分綁定，才能${what}。`, [
			postbackAction("綁定帳號", { a: "bind" }),
			postbackAction("常見問題", { a: "faq" }),
		]),
	];
}

export function leaveShortcuts(settings: Settings): LineMessage[] {
	return [
		buttons("線上請假：我要請假、請假節次", "線上請假", "請選擇：", [
			uriAction("我要請假", liffUrl(settings, "trainee", "/leave/new")),
			uriAction("請假節次（查詢／銷假）", liffUrl(settings, "trainee", "/leave")),
		]),
	];
}

export function punchShortcuts(settings: Settings, role: LineRole): LineMessage[] {
	return [
		buttons(
			"線上簽到退：掃描或出示 QR CODE",
			undefined,
			"「掃描」：先選簽到或簽退，再掃訓練單位的 QR Code。\n「QR CODE」：出示個人 QR Code 給訓練單位掃描。",
			[
				uriAction("掃描", liffUrl(settings, role, "/scan")),
				uriAction("QR CODE", liffUrl(settings, role, "/qr")),
			],
		),
	];
}

export type UnitContact = { name: string; phone: string | null; email: string | null };

export function support(units: UnitContact[]): LineMessage[] {
	const unitLines = units.map(
		(u) => `・${u.name}${u.phone ? `　電話 ${u.phone}` : ""}${u.email ? `　${u.email}` : ""}`,
	);
	return [
		text(
			[
				"客服管道：",
				`・勞動力發展署客服專線 ${HOTLINE}`,
				...(unitLines.length ? ["・您的訓練單位：", ...unitLines] : ["・您參訓的訓練單位行政人員"]),
				"",
				"系統每月第一個週日 00:00–06:00 進行維護，期間操作可能較慢。",
			].join("\n"),
			true,
		),
	];
}

const FAQ_LABELS: Record<FaqTopic, string> = {
	"web-login": "要我輸入 LINE 帳號密碼",
	"private-mode": "無痕／私密瀏覽",
	"cannot-link": "無法與 LINE 連動",
	reinstall: "換瀏覽器仍無法綁定",
	pc: "用電腦輔助綁定",
	browser: "按鈕沒有反應",
};

const FAQ_ANSWERS: Record<FaqTopic, string> = {
	"web-login":
		"請勿使用 LINE 的網頁版登入。若畫面要求輸入 LINE 帳號密碼，請【不要輸入】，直接點選畫面下方的【使用LINE應用程式登入】，即可繼續綁定。",
	"private-mode":
		"請勿使用無痕視窗或私密瀏覽模式。請確認手機開啟網頁的預設為【一般模式】，或改用其他瀏覽器，再重新點選綁定連結。",
	"cannot-link":
		"出現「無法與 LINE 連動」時：\n1. 回到這裡重新領取新的綁定連結（身分認證 → 綁定帳號）\n2. 瀏覽器可能不支援 LINE 綁定，請更換其他瀏覽器\n3. 手機效能過低時，請清除瀏覽器 cookie、關閉多餘分頁並重新開機後再試",
	reinstall:
		"若切換瀏覽器後還是無法綁定，可嘗試將 LINE 刪除後重新安裝。\n特別注意：若擔心 LINE 帳號資料不見，請勿使用此方式，請改用電腦輔助綁定或聯繫客服。",
	pc: "可以用電腦輔助綁定：流程與手機相同，登入 LINE 時用手機掃描電腦畫面上的 QR Code 即可。\n特別注意：請使用自己常用的電腦，勿使用陌生設備，以免帳號被盜用。",
	browser:
		"若點擊按鈕沒有反應，請改用其他瀏覽器：可複製綁定連結到其他瀏覽器開啟，或更換手機的預設瀏覽器後再試。綁定連結 10 分鐘內有效，過期請重新領取。",
};

export function faqMenu(): LineMessage[] {
	const topics = Object.keys(FAQ_LABELS) as FaqTopic[];
	return [
		{
			type: "flex",
			altText: "LINE@帳號綁定常見問題",
			contents: {
				type: "bubble",
				body: {
					type: "box",
					layout: "vertical",
					spacing: "sm",
					contents: [
						{ type: "text", text: "綁定常見問題", weight: "bold", size: "lg" },
						{ type: "text", text: "請點選您遇到的狀況：", size: "sm", color: "#666666", wrap: true },
						...topics.map(
							(topic): messagingApi.FlexComponent => ({
								type: "button",
								style: "secondary",
								height: "sm",
								action: postbackAction(FAQ_LABELS[topic], { a: "faq", topic }),
							}),
						),
					],
				},
			},
		},
	];
}

export function faqAnswer(topic: FaqTopic): LineMessage[] {
	return [text(FAQ_ANSWERS[topic], true)];
}

export function shortMenu(): LineMessage[] {
	return [
		text(
			"您好！我可以協助：身分認證與綁定、線上請假、簽到退、常見問題。請點選下方選項，或輸入「請假」、「簽到」、「客服」。",
			true,
		),
	];
}

export function oneToOneOnly(): LineMessage[] {
	return [text("Training LINE 只在一對一聊天中提供服務，請加入好友後直接私訊使用。")];
}

export function unknownAction(): LineMessage[] {
	return [text("這個按鈕已失效，請使用下方選單重新操作。", true)];
}
