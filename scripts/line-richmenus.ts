// npm run line:richmenus — provisions the rich menus on the LINE channel named by the environment:
//   LINE_CHANNEL_ACCESS_TOKEN=… LIFF_ID_TRAINEE=… LIFF_ID_TEACHER=… npm run line:richmenus
// Safe to run again. LINE_API_BASE / LINE_API_DATA_BASE may point at another server, e.g. the dev
// emulator of `npm start` (LINE_API_BASE=http://localhost:8787 LINE_API_DATA_BASE=http://localhost:8787
// LINE_CHANNEL_ACCESS_TOKEN=dev-channel-access-token), which gives the menus its own stable ids.
import { readFileSync } from "node:fs";
import { settingsOf } from "../src/env";
import { provisionRichMenus } from "../src/line/rich-menu-provisioning";
import { RICH_MENU_IMAGES, RICH_MENU_NAMES, type RichMenuName } from "../src/line/rich-menus";

const env = process.env as unknown as Env;
const missing = ["LINE_CHANNEL_ACCESS_TOKEN", "LIFF_ID_TRAINEE", "LIFF_ID_TEACHER"].filter(
	(k) => !process.env[k],
);
if (missing.length) {
	console.error(`Set ${missing.join(", ")} (the LINE channel's access token and the two LIFF app ids).`);
	process.exit(2);
}
const images = Object.fromEntries(
	RICH_MENU_NAMES.map((name) => [name, new Uint8Array(readFileSync(`static/${RICH_MENU_IMAGES[name]}`))]),
) as Record<RichMenuName, Uint8Array>;

const results = await provisionRichMenus({
	channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN,
	settings: { ...settingsOf(env), isDevelopment: false },
	images,
	log: (line) => console.log(line),
});
console.log(
	results.some((r) => r.created)
		? "New menus are live for new users and on every switch of identity; users linked before keep their menu until then."
		: "Nothing to change: the rich menus are up to date.",
);
