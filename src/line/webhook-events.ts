// Shapes of LINE webhook bodies and events that the product reads, validated with zod. Fields it
// does not read pass through untouched (the stored payload is the event as LINE sent it).
import { z } from "zod";

const userSource = z.object({ type: z.literal("user"), userId: z.string().min(1).max(64) });
const groupSource = z.object({
	type: z.literal("group"),
	groupId: z.string(),
	userId: z.string().optional(),
});
const roomSource = z.object({ type: z.literal("room"), roomId: z.string(), userId: z.string().optional() });

export const lineEventSchema = z
	.object({
		type: z.string().min(1).max(64),
		webhookEventId: z.string().min(1).max(64),
		timestamp: z.number().int().nonnegative(),
		mode: z.enum(["active", "standby"]).default("active"),
		deliveryContext: z.object({ isRedelivery: z.boolean() }).default({ isRedelivery: false }),
		source: z.discriminatedUnion("type", [userSource, groupSource, roomSource]).optional(),
		replyToken: z.string().optional(),
	})
	.loose();
export type LineEvent = z.infer<typeof lineEventSchema>;

export const webhookBodySchema = z.object({
	destination: z.string().optional(),
	events: z.array(z.unknown()).max(500),
});

export const textMessageEventSchema = z.object({
	message: z.object({ type: z.literal("text"), text: z.string().max(5000) }),
});
export const postbackEventSchema = z.object({ postback: z.object({ data: z.string().max(300) }) });
export const accountLinkEventSchema = z.object({
	link: z.object({ result: z.enum(["ok", "failed"]), nonce: z.string().max(256) }),
});
