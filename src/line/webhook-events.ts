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

/** An event that failed the schema: stored as unreadable (never handled), not silently dropped. */
export type UnreadableEvent = { webhookEventId: string; type: string; payload: unknown; error: string };

/** Where and why the schema failed; zod's messages name paths and expected types, not values. */
const describeIssues = (error: z.ZodError) =>
	error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; ");

/**
 * Splits a body's events into readable ones and unreadable ones that carry an id to be kept under;
 * `unkeyed` counts those without a usable webhookEventId.
 */
export function readWebhookEvents(items: unknown[]): {
	events: LineEvent[];
	unreadable: UnreadableEvent[];
	unkeyed: number;
} {
	const events: LineEvent[] = [];
	const unreadable: UnreadableEvent[] = [];
	let unkeyed = 0;
	for (const item of items) {
		const parsed = lineEventSchema.safeParse(item);
		if (parsed.success) {
			events.push(parsed.data);
			continue;
		}
		const fields = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
		const id = fields.webhookEventId;
		if (typeof id !== "string" || id.length === 0 || id.length > 64) {
			unkeyed++;
			continue;
		}
		const type = typeof fields.type === "string" && fields.type ? fields.type : "unknown";
		unreadable.push({ webhookEventId: id, type, payload: item, error: describeIssues(parsed.error) });
	}
	return { events, unreadable, unkeyed };
}

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
