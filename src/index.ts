// Worker entry: composes the Hono app, the cron dispatcher and the SessionRoom Durable Object.
import { createApp } from "./app";
import { runScheduled } from "./jobs/schedule";

export { SessionRoom } from "./durable/session-room";

const app = createApp();

export default {
	fetch: app.fetch,
	async scheduled(controller, env, ctx) {
		ctx.waitUntil(runScheduled(controller.cron, env, controller.scheduledTime));
	},
} satisfies ExportedHandler<Env>;
