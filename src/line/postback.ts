// Postback data of rich menus and buttons: a short query string, parsed strictly on the way in.
import { z } from "zod";
import { LINE_ROLES } from "../domain/roles";

export const FAQ_TOPICS = ["web-login", "private-mode", "cannot-link", "reinstall", "pc", "browser"] as const;
export type FaqTopic = (typeof FAQ_TOPICS)[number];

const role = z.enum(LINE_ROLES);

const postbackSchema = z.discriminatedUnion("a", [
	z.object({ a: z.literal("identity") }),
	z.object({ a: z.literal("bind"), role: role.optional() }),
	z.object({ a: z.literal("switch"), role: role.optional() }),
	z.object({ a: z.literal("faq"), topic: z.enum(FAQ_TOPICS).optional() }),
	z.object({ a: z.literal("support") }),
]);

export type Postback = z.infer<typeof postbackSchema>;

export function encodePostback(postback: Postback): string {
	const entries: [string, string][] = Object.entries(postback).filter(([, v]) => typeof v === "string");
	return new URLSearchParams(entries).toString();
}

/** null for data this version does not understand (old buttons in a chat history, forged data). */
export function decodePostback(data: string): Postback | null {
	const parsed = postbackSchema.safeParse(Object.fromEntries(new URLSearchParams(data)));
	return parsed.success ? parsed.data : null;
}
