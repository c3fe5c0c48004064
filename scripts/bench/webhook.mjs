// Scenario (b), a webhook burst: 2,000 signed POST /webhook/line, one event each, as LINE sends them
// when a class opens the chat at once. 10% are redeliveries (deliveryContext.isRedelivery): 160 repeat
// an event already delivered (must not be handled again), 40 carry an event whose first delivery
// never arrived (must be handled once, answered by push since a redelivered reply token is stale).
// The acknowledgement is timed; then, once the Worker has handled everything in waitUntil, D1 and the
// LINE emulator's log are counted: each event stored once, handled once, answered exactly once.
import { createHmac } from "node:crypto";
import { devVars, lineUserId, round, sleep } from "../lib/bench.mjs";
import { PUNCH_PEOPLE } from "./punch.mjs";

export const WEBHOOK_REQUESTS = 2_000;
const REPEATS = 160;
const FIRST_LOST = 40;
const ORIGINALS = WEBHOOK_REQUESTS - REPEATS - FIRST_LOST;
const LOGICAL = ORIGINALS + FIRST_LOST;
const ID_PREFIX = "BENCHWH";
/** Unbound users: LINE user ids no data set uses. */
const UNBOUND_BASE = 0x100000;

const eventId = (n) => `${ID_PREFIX}${String(n).padStart(6, "0")}`;

/**
 * The logical events, one user each (so a user's count is the event's): bound trainees of the punch
 * data set asking 請假 or 簽到 or coming back after unblocking (answer + rich-menu link), and new
 * users following or writing before they bind.
 */
function logicalEvents() {
	const kinds = ["bound-leave", "bound-punch", "bound-follow", "unbound-follow", "unbound-text"];
	let bound = 0;
	let unbound = 0;
	return Array.from({ length: LOGICAL }, (_, n) => {
		const kind = kinds[n % kinds.length];
		const userId = kind.startsWith("bound") ? lineUserId(++bound) : lineUserId(UNBOUND_BASE + ++unbound);
		if (bound > PUNCH_PEOPLE) throw new Error("more bound events than bound trainees");
		return { n, id: eventId(n), kind, userId };
	});
}

function eventBody(e, timestamp, isRedelivery) {
	const base = {
		webhookEventId: e.id,
		timestamp,
		mode: "active",
		deliveryContext: { isRedelivery },
		source: { type: "user", userId: e.userId },
		// The emulator's reply tokens name their user; the event id makes each one unique.
		replyToken: `dev.${e.userId}.${e.id}`,
	};
	const text = (t) => ({
		...base,
		type: "message",
		message: { type: "text", id: String(e.n), quoteToken: "q", text: t },
	});
	switch (e.kind) {
		case "bound-leave":
			return text("請假");
		case "bound-punch":
			return text("簽到");
		case "bound-follow":
			return { ...base, type: "follow", follow: { isUnblocked: true } };
		case "unbound-follow":
			return { ...base, type: "follow", follow: { isUnblocked: false } };
		default:
			return text("你好");
	}
}

/** The order of the 2,000 deliveries: originals in order, each redelivery well after its original. */
function deliveries(events) {
	const order = events.slice(0, ORIGINALS).map((e) => ({ e, redelivery: false, firstLost: false }));
	// Repeats of originals spread over the burst, 50–150 deliveries after the original.
	for (let j = REPEATS - 1; j >= 0; j--) {
		const o = Math.floor((j * (ORIGINALS - 200)) / REPEATS);
		order.splice(Math.min(order.length, o + 50 + ((j * 37) % 100)), 0, {
			e: events[o],
			redelivery: true,
			firstLost: false,
		});
	}
	for (let j = FIRST_LOST - 1; j >= 0; j--)
		order.splice(Math.floor((j * order.length) / FIRST_LOST), 0, {
			e: events[ORIGINALS + j],
			redelivery: true,
			firstLost: true,
		});
	return order;
}

const sign = (body) => createHmac("sha256", devVars.LINE_CHANNEL_SECRET).update(body).digest("base64");

export async function webhookScenario(bench) {
	const events = logicalEvents();
	const order = deliveries(events);
	if (order.length !== WEBHOOK_REQUESTS) throw new Error(`built ${order.length} deliveries`);
	const sentAs = new Map(); // id → the event as first sent, so a redelivery repeats it exactly
	const started = Date.now();

	const post = (event) => {
		const body = JSON.stringify({ destination: "Ubenchbot", events: [event] });
		return {
			method: "POST",
			path: "/webhook/line",
			options: {
				headers: { "content-type": "application/json", "x-line-signature": sign(body) },
				rawBody: body,
			},
		};
	};
	const redelivered = (event) => ({ ...event, deliveryContext: { isRedelivery: true } });
	const check = (res) => (res.text.trim() === "{}" ? undefined : "body is not {}");
	const unacknowledged = [];
	const figures = await bench.load(
		"POST /webhook/line (ack)",
		WEBHOOK_REQUESTS,
		(i) => {
			const { e, redelivery, firstLost } = order[i];
			const sent = sentAs.get(e.id);
			if (sent) return post(redelivered(sent));
			// A first-lost event was first tried by LINE a few minutes ago.
			const event = eventBody(e, firstLost ? Date.now() - 3 * 60_000 : Date.now(), redelivery);
			sentAs.set(e.id, event);
			return post(event);
		},
		{ check, onFailure: (i) => unacknowledged.push(order[i].e.id) },
	);
	// LINE redelivers an event its delivery did not get a 2xx for (wrangler dev's proxy drops a
	// connection now and then under load): so does the bench, once, after the burst.
	const retried = [...new Set(unacknowledged)];
	if (retried.length)
		await bench.load(`  redelivery of ${retried.length} unacknowledged`, retried.length, (i) =>
			post(redelivered(sentAs.get(retried[i]))),
		);
	// Handling runs in waitUntil after each answer: wait until no event is left unhandled (at most 90 s).
	const statusCounts = () =>
		Object.fromEntries(
			bench
				.query(
					`SELECT status, COUNT(*) AS n FROM webhook_events WHERE webhook_event_id LIKE '${ID_PREFIX}%' GROUP BY status`,
				)
				.map((r) => [r.status, r.n]),
		);
	let statuses = statusCounts();
	for (let i = 0, last = ""; i < 30; i++) {
		const pending = (statuses.received ?? 0) + (statuses.failed ?? 0);
		const key = JSON.stringify(statuses);
		if (pending === 0 || (key === last && i >= 10)) break;
		last = key;
		await sleep(3_000);
		statuses = statusCounts();
	}

	// The acknowledgement alone, once the burst is handled: deliveries of events already stored have
	// nothing to handle, so no waitUntil work competes with them as it does with the burst's acks.
	const stored0 = [...sentAs.values()];
	const ackOnly = await bench.load(
		"POST /webhook/line (ack, nothing to handle)",
		500,
		(i) => post(redelivered(stored0[(i * 7) % stored0.length])),
		{ check },
	);

	// Stored: one row per webhookEventId (its primary key); lost = a logical event without its row.
	const stored = new Map(
		bench
			.query(
				`SELECT webhook_event_id AS id, status FROM webhook_events WHERE webhook_event_id LIKE '${ID_PREFIX}%'`,
			)
			.map((r) => [r.id, r.status]),
	);
	const lostEvents = events.filter((e) => !stored.has(e.id)).length;
	const unhandled = events.filter((e) => stored.has(e.id) && stored.get(e.id) !== "done").length;
	// The answers as queued (outbox rows keyed "answer:<webhookEventId>") and as LINE received them
	// (the emulator's log: a reply names the event in its token, a push carries its outbox row's
	// retry key). An event answered 0 times lost its answer; answered twice, the user saw it twice.
	const queued = new Map(
		bench
			.query(
				`SELECT substr(dedupe_key, 8) AS id, COUNT(*) AS n FROM outbox WHERE dedupe_key LIKE 'answer:${ID_PREFIX}%' GROUP BY dedupe_key`,
			)
			.map((r) => [r.id, r.n]),
	);
	// "reply:" + "dev." + the 33-character user id + "." is 44 characters; the event id follows.
	const received = bench.query(
		`SELECT substr(retry_key, 45) AS id, 'reply' AS kind FROM emulator_log
		  WHERE kind = 'reply' AND retry_key LIKE 'reply:dev.%.${ID_PREFIX}%'
		 UNION ALL
		 SELECT substr(o.dedupe_key, 8), 'push' FROM emulator_log l JOIN outbox o ON o.retry_key = l.retry_key
		  WHERE l.kind = 'push' AND o.dedupe_key LIKE 'answer:${ID_PREFIX}%'`,
	);
	// An answer LINE did not get yet may still be waiting in the outbox for its retry (the 5-minute
	// cron): not lost, but not delivered either; counted apart.
	const waiting = new Set(
		bench
			.query(
				`SELECT substr(dedupe_key, 8) AS id FROM outbox WHERE dedupe_key LIKE 'answer:${ID_PREFIX}%' AND status = 'pending'`,
			)
			.map((r) => r.id),
	);
	const perEvent = new Map();
	for (const r of received) perEvent.set(r.id, (perEvent.get(r.id) ?? 0) + 1);
	const [{ n: allMessages, last }] = bench.query(
		`SELECT COUNT(*) AS n, MAX(at) AS last FROM emulator_log WHERE kind IN ('reply', 'push') AND at >= ${started}`,
	);
	const unattributed = allMessages - received.length; // a message to a user that no answer row explains
	const unanswered = events.filter((e) => !perEvent.has(e.id));
	const awaitingRetry = unanswered.filter((e) => waiting.has(e.id)).length;
	const messagesLost = unanswered.length - awaitingRetry;
	const messagesDuplicated =
		[...perEvent.values()].reduce((n, c) => n + Math.max(0, c - 1), 0) +
		[...queued.values()].reduce((n, c) => n + Math.max(0, c - 1), 0) +
		unattributed;
	const byPush = received.filter((r) => r.kind === "push").length;
	// Users back after unblocking also get their rich menu linked: one outbox row each.
	const followers = events.filter((e) => e.kind === "bound-follow");
	const menus = bench.query(
		`SELECT recipient, COUNT(*) AS n, SUM(status = 'sent') AS sent FROM outbox
		  WHERE channel = 'line_rich_menu' AND created_at >= ${started} GROUP BY recipient`,
	);
	const menuUsers = new Set(followers.map((e) => e.userId));
	const menusLost = followers.filter((e) => !menus.some((m) => m.recipient === e.userId)).length;
	const menusDuplicated = menus.reduce((n, m) => n + (menuUsers.has(m.recipient) ? m.n - 1 : m.n), 0);
	const drainedSeconds = last ? round((last - started) / 1000, 1) : null;

	console.log(
		`D1: ${stored.size} events stored for ${LOGICAL} logical (${WEBHOOK_REQUESTS} deliveries: ${REPEATS} repeats, ` +
			`${FIRST_LOST} redeliveries of a lost first delivery); by status ${JSON.stringify(statuses)}`,
	);
	console.log(
		`answers: ${queued.size} queued, ${received.length} received by LINE (${received.length - byPush} replies, ` +
			`${byPush} pushes), ${awaitingRetry} waiting in the outbox for a retry, ${unattributed} unexplained; ` +
			`last one ${drainedSeconds} s after the burst began`,
	);
	console.log(
		`rich-menu links for ${followers.length} returning users: ${menus.length} users, lost ${menusLost}, duplicated ${menusDuplicated}`,
	);
	console.log(
		`events lost ${lostEvents}, unhandled ${unhandled}; messages lost ${messagesLost + menusLost}, duplicated ${messagesDuplicated + menusDuplicated}`,
	);
	return {
		figures,
		ackOnly,
		counts: {
			deliveries: WEBHOOK_REQUESTS,
			unacknowledged: retried.length,
			repeats: REPEATS,
			firstLost: FIRST_LOST,
			logical: LOGICAL,
			stored: stored.size,
			done: statuses.done ?? 0,
			lost: lostEvents,
			unhandled,
			// A repeat handled again would show as a second answer (or rich-menu link) of its event.
			duplicated: messagesDuplicated + menusDuplicated,
			messages: {
				expected: LOGICAL + followers.length,
				answers: received.length,
				byPush,
				awaitingRetry,
				richMenus: menus.length,
				lost: messagesLost + menusLost,
				duplicated: messagesDuplicated + menusDuplicated,
			},
			drainedSeconds,
		},
	};
}
