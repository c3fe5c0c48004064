// The three rich menus (unbound, trainee, teacher): layout and actions in code, images in static/.
// Provisioned by `npm run line:richmenus`; linked per user on the server when a role changes.
import type { messagingApi } from "@line/bot-sdk";
import type { LineRole } from "../domain/roles";
import type { Settings } from "../env";
import { liffUrl } from "./liff-urls";
import { encodePostback } from "./postback";

export const RICH_MENU_NAMES = ["unbound", "trainee", "teacher"] as const;
export type RichMenuName = (typeof RICH_MENU_NAMES)[number];

/** Aliases LINE knows the menus by; the server resolves an alias to the current rich menu id. */
export const RICH_MENU_ALIASES: Record<RichMenuName, string> = {
	unbound: "training-line-unbound",
	trainee: "training-line-trainee",
	teacher: "training-line-teacher",
};

/** Image files under static/ (2500×843 for the unbound menu, 2500×1686 for the others). */
export const RICH_MENU_IMAGES: Record<RichMenuName, string> = {
	unbound: "richmenu/unbound.png",
	trainee: "richmenu/trainee.png",
	teacher: "richmenu/teacher.png",
};

export type MenuButton = { label: string; action: messagingApi.Action };

export type RichMenuDefinition = {
	name: RichMenuName;
	size: { width: 2500; height: 843 | 1686 };
	chatBarText: string;
	/** Row-major buttons; the grid has `columns` columns. */
	columns: number;
	buttons: MenuButton[];
};

export function menuForRole(role: LineRole | null): RichMenuName {
	return role ?? "unbound";
}

const postback = (label: string, data: Parameters<typeof encodePostback>[0]): MenuButton => ({
	label,
	action: { type: "postback", label, data: encodePostback(data), displayText: label },
});
const link = (label: string, uri: string): MenuButton => ({ label, action: { type: "uri", label, uri } });

export function richMenuDefinitions(settings: Settings): Record<RichMenuName, RichMenuDefinition> {
	const trainee = (path: string) => liffUrl(settings, "trainee", path);
	const teacher = (path: string) => liffUrl(settings, "teacher", path);
	return {
		unbound: {
			name: "unbound",
			size: { width: 2500, height: 843 },
			chatBarText: "身分認證",
			columns: 3,
			buttons: [
				postback("身分認證", { a: "identity" }),
				postback("常見問題", { a: "faq" }),
				postback("聯絡客服", { a: "support" }),
			],
		},
		trainee: {
			name: "trainee",
			size: { width: 2500, height: 1686 },
			chatBarText: "學員專區",
			columns: 3,
			buttons: [
				link("我的課程", trainee("/courses")),
				link("我的課表", trainee("/timetable")),
				link("我要請假", trainee("/leave/new")),
				link("掃描", trainee("/scan")),
				link("QR CODE", trainee("/qr")),
				postback("身分認證", { a: "identity" }),
			],
		},
		teacher: {
			name: "teacher",
			size: { width: 2500, height: 1686 },
			chatBarText: "教師專區",
			columns: 3,
			buttons: [
				link("教師專區", teacher("/")),
				link("顯示簽到QR", teacher("/sessions")),
				link("掃描學員QR", teacher("/scan-trainees")),
				link("掃描", teacher("/scan")),
				link("QR CODE", teacher("/qr")),
				postback("身分認證", { a: "identity" }),
			],
		},
	};
}

export type MenuArea = {
	label: string;
	bounds: { x: number; y: number; width: number; height: number };
	action: messagingApi.Action;
};

/** The menu's buttons laid out as an even grid over its image. */
export function menuAreas(definition: RichMenuDefinition): MenuArea[] {
	const { width, height } = definition.size;
	const rows = Math.ceil(definition.buttons.length / definition.columns);
	const cellWidth = Math.floor(width / definition.columns);
	const cellHeight = Math.floor(height / rows);
	return definition.buttons.map((button, i) => {
		const col = i % definition.columns;
		const row = Math.floor(i / definition.columns);
		return {
			label: button.label,
			bounds: {
				x: col * cellWidth,
				y: row * cellHeight,
				// The last column and row absorb the rounding so the grid covers the whole image.
				width: col === definition.columns - 1 ? width - col * cellWidth : cellWidth,
				height: row === rows - 1 ? height - row * cellHeight : cellHeight,
			},
			action: button.action,
		};
	});
}

/** The LINE API request body of a menu. */
export function richMenuRequest(definition: RichMenuDefinition, name: string): messagingApi.RichMenuRequest {
	return {
		size: definition.size,
		selected: false,
		name,
		chatBarText: definition.chatBarText,
		areas: menuAreas(definition).map(({ bounds, action }) => ({ bounds, action })),
	};
}
