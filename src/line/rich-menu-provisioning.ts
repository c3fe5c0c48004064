// Creates the three rich menus at LINE (validate, create, upload image, alias, default = unbound).
// Idempotent: a menu's name carries a hash of its definition and image, so running again finds the
// same menus and only repairs what is missing (an image, an alias pointing elsewhere).
import { HTTPFetchError } from "@line/bot-sdk";
import type { Settings } from "../env";
import { createLineClients } from "./line-api";
import {
	RICH_MENU_ALIASES,
	RICH_MENU_NAMES,
	type RichMenuName,
	richMenuDefinitions,
	richMenuRequest,
} from "./rich-menus";

export type ProvisionResult = {
	name: RichMenuName;
	richMenuId: string;
	created: boolean;
	imageUploaded: boolean;
	aliasChanged: boolean;
};

async function shortHash(parts: (string | Uint8Array)[]): Promise<string> {
	const encoder = new TextEncoder();
	const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : p));
	const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let offset = 0;
	for (const c of chunks) {
		all.set(c, offset);
		offset += c.length;
	}
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
	return Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

const isNotFound = (err: unknown) => err instanceof HTTPFetchError && err.status === 404;

export async function provisionRichMenus(options: {
	channelAccessToken: string;
	settings: Settings;
	images: Record<RichMenuName, Uint8Array>;
	log?: (line: string) => void;
}): Promise<ProvisionResult[]> {
	const { settings, images } = options;
	const say = options.log ?? (() => {});
	const { api: client, blob } = createLineClients(options.channelAccessToken, settings);
	const definitions = richMenuDefinitions(settings);
	const existing = (await client.getRichMenuList()).richmenus;
	const results: ProvisionResult[] = [];

	for (const name of RICH_MENU_NAMES) {
		const unnamed = richMenuRequest(definitions[name], "");
		const menuName = `training-line-${name}-${await shortHash([JSON.stringify(unnamed), images[name]])}`;
		const request = { ...unnamed, name: menuName };
		await client.validateRichMenuObject(request);

		const found = existing.find((m) => m.name === menuName);
		const richMenuId = found?.richMenuId ?? (await client.createRichMenu(request)).richMenuId;
		let imageUploaded = false;
		const hasImage = found
			? await blob.getRichMenuImageWithHttpInfo(richMenuId).then(
					() => true,
					(err) => {
						if (isNotFound(err)) return false;
						throw err;
					},
				)
			: false;
		if (!hasImage) {
			await blob.setRichMenuImage(richMenuId, new Blob([images[name]], { type: "image/png" }));
			imageUploaded = true;
		}

		const aliasId = RICH_MENU_ALIASES[name];
		let aliasChanged = false;
		const alias = await client.getRichMenuAlias(aliasId).catch((err) => {
			if (isNotFound(err)) return null;
			throw err;
		});
		if (!alias) {
			await client.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId });
			aliasChanged = true;
		} else if (alias.richMenuId !== richMenuId) {
			await client.updateRichMenuAlias(aliasId, { richMenuId });
			aliasChanged = true;
		}
		say(
			`${name}: ${richMenuId}${found ? "" : " (created)"}${imageUploaded ? ", image uploaded" : ""}${aliasChanged ? `, alias ${aliasId} set` : ""}`,
		);
		results.push({ name, richMenuId, created: !found, imageUploaded, aliasChanged });
	}

	const unbound = results.find((r) => r.name === "unbound");
	if (unbound) await client.setDefaultRichMenu(unbound.richMenuId);
	say("default rich menu: unbound");
	return results;
}
