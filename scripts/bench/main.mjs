// The benchmark runner behind `npm run bench` (every scenario) and its subsets. Two server runs,
// each on a fresh local D1 of its own and with the bare route (GET /healthz, one D1 read) measured in
// the same run: "rush" for (a) punches, (b) the webhook burst and (c) the trainee's timetable pages;
// "dashboard" for the list pages, (d) the attendance matrix and (e) the bulk approval. Prints the
// figures as it goes, then a summary with the ratios to the bare route, the lost/duplicate counts
// and the issue's targets; the very last line is one JSON object with every figure.
import os from "node:os";
import { LEAVE_TYPE_CODES } from "../../src/domain/leave-types.ts";
import { createBench, guardProcess, MINUTE, round, unitAndPlan } from "../lib/bench.mjs";
import {
	bulkReviewScenario,
	dashboardData,
	listPagesScenario,
	matrixScenario,
	signIn,
} from "./dashboard.mjs";
import { punchData, punchScenario } from "./punch.mjs";
import { timetableData, timetableScenario } from "./timetable.mjs";
import { webhookScenario } from "./webhook.mjs";

export const SCENARIOS = ["a", "b", "c", "d", "e"];
const HARD_LIMIT = 15 * MINUTE;
const TARGETS = { punchRatio: 0.6, punchP99Ms: 100, webhookAckP99Ms: 50 };

const pick = ({ rps, p50, p99, errors, notSent }) => ({
	rps,
	p50,
	p99,
	errors,
	...(notSent ? { notSent } : {}),
});
const withRatio = (f, bare) => ({ ...pick(f), ratio: bare?.rps ? round(f.rps / bare.rps, 3) : null });
const loadAverage = () => os.loadavg().map((n) => round(n, 2));

/** The bare route of a run: warmed up first, then timed. */
async function bareRoute(bench, count) {
	const healthz = () => ({ method: "GET", path: "/healthz" });
	const { result, memory } = await bench.withMemory("bare", () =>
		bench.load("GET /healthz (bare, 1 D1 read)", count, healthz),
	);
	return { ...pick(result), peakMiB: memory.peakMiB };
}

async function rushRun(wanted, deadline) {
	const bench = createBench({
		name: "bench",
		port: Number(process.env.BENCH_PORT ?? "8795"),
		labelWidth: 44,
		sendUntil: deadline,
	});
	const out = {};
	try {
		await bench.ensurePortFree();
		const now = Date.now();
		const punch = punchData(now);
		const timetable = wanted.has("c") ? timetableData(now) : null;
		console.log(`\n── run "rush": fresh local D1 in ${bench.state}`);
		console.log(`   ${punch.summary}${timetable ? `; ${timetable.summary}` : ""}`);
		bench.freshDatabase([...unitAndPlan(now, LEAVE_TYPE_CODES), punch.sql, timetable?.sql ?? ""].join("\n"));
		await bench.startServer();
		out.loadAverage = loadAverage();
		out.idleMiB = bench.memoryNow();
		// Warm-up (compile, JWKS fetch): not timed.
		await bench.load("warm-up GET /healthz", 200, () => ({ method: "GET", path: "/healthz" }));
		console.log(`\nat ${bench.concurrency} keep-alive connections:`);

		if (wanted.has("a")) {
			console.log("\n(a) morning rush");
			const { result, memory } = await bench.withMemory("(a)", () => punchScenario(bench));
			out.a = { figures: result.figures, counts: result.counts, peakMiB: memory.peakMiB };
		}
		console.log("\nbare route");
		out.bare = await bareRoute(bench, 1_500);
		if (wanted.has("b")) {
			console.log("\n(b) webhook burst");
			const { result, memory } = await bench.withMemory("(b)", () => webhookScenario(bench));
			out.b = {
				figures: result.figures,
				ackOnly: result.ackOnly,
				counts: result.counts,
				peakMiB: memory.peakMiB,
			};
		}
		if (wanted.has("c")) {
			console.log("\n(c) a trainee's pages on a 6-month class");
			out.c = await timetableScenario(bench, timetable);
		}
		out.endMiB = bench.memoryNow();
	} finally {
		await bench.close();
	}
	return out;
}

async function dashboardRun(wanted, deadline) {
	const bench = createBench({
		name: "bench-dashboard",
		port: Number(process.env.BENCH_PORT ?? "8796"),
		labelWidth: 44,
		sendUntil: deadline,
	});
	const out = {};
	try {
		await bench.ensurePortFree();
		const data = await dashboardData(Date.now());
		console.log(`\n── run "dashboard": fresh local D1 in ${bench.state}`);
		console.log(`   ${data.summary}`);
		bench.freshDatabase(data.sql);
		await bench.startServer();
		out.loadAverage = loadAverage();
		out.idleMiB = bench.memoryNow();
		const headers = await signIn(bench);
		await bench.load("warm-up GET /healthz", 200, () => ({ method: "GET", path: "/healthz" }));
		console.log(`\nat ${bench.concurrency} keep-alive connections, signed in as the unit's clerk:`);
		if (wanted.has("d")) {
			console.log("\nlist pages");
			const lists = await bench.withMemory("lists", () => listPagesScenario(bench, data, headers));
			out.lists = { figures: lists.result, peakMiB: lists.memory.peakMiB };
			console.log("\n(d) attendance matrix");
			const matrix = await bench.withMemory("(d)", () => matrixScenario(bench, data, headers));
			out.d = { figures: matrix.result, peakMiB: matrix.memory.peakMiB };
		}
		console.log("\nbare route");
		out.bare = await bareRoute(bench, 400);
		if (wanted.has("e")) {
			console.log("\n(e) bulk approval");
			const review = await bench.withMemory("(e)", () => bulkReviewScenario(bench, data, headers));
			out.e = { ...review.result, peakMiB: review.memory.peakMiB };
		}
		out.endMiB = bench.memoryNow();
	} finally {
		await bench.close();
	}
	return out;
}

const pad = (s, n) => String(s).padEnd(n);
const num = (x, n = 9) => String(x ?? "–").padStart(n);

function summaryRow(label, f, peakMiB) {
	console.log(
		`${pad(label, 48)}${num(f.rps)}${num(f.p50)}${num(f.p99)}${num(peakMiB)}${num(f.ratio ?? "")}${num(f.errors, 8)}`,
	);
}

/** Runs the chosen scenarios (all by default); prints everything; the last line is the JSON. */
export async function runBench(selected = []) {
	const wanted = new Set(selected.length ? selected : SCENARIOS);
	for (const s of wanted) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (a–e)`);
	const started = Date.now();
	guardProcess(HARD_LIMIT);
	const loadAtStart = loadAverage();
	console.log(
		`bench: scenarios ${[...wanted].join(", ")}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ` +
			`load average ${loadAtStart.join(" ")}, Node ${process.version}`,
	);
	const result = {
		date: new Date(started).toISOString(),
		machine: {
			cpus: os.cpus().length,
			model: os.cpus()[0]?.model.trim(),
			node: process.version,
			memoryGiB: round(os.totalmem() / 2 ** 30, 1),
		},
		loadAverage: { start: loadAtStart },
		scenarios: {},
	};
	let exitCode = 0;
	try {
		const needsRush = ["a", "b", "c"].some((s) => wanted.has(s));
		const needsDashboard = ["d", "e"].some((s) => wanted.has(s));
		// Sending stops in time for the counts and the second run to fit in the hard limit.
		const rushDeadline = started + (needsDashboard ? 8 : 12) * MINUTE;
		const rush = needsRush ? await rushRun(wanted, rushDeadline) : null;
		const dashboard = needsDashboard ? await dashboardRun(wanted, started + 13 * MINUTE) : null;
		result.runs = {
			...(rush
				? {
						rush: {
							bare: rush.bare,
							idleMiB: rush.idleMiB,
							endMiB: rush.endMiB,
							loadAverage: rush.loadAverage,
						},
					}
				: {}),
			...(dashboard
				? {
						dashboard: {
							bare: dashboard.bare,
							idleMiB: dashboard.idleMiB,
							endMiB: dashboard.endMiB,
							loadAverage: dashboard.loadAverage,
						},
					}
				: {}),
		};
		const s = result.scenarios;
		if (rush?.a) s.a = { ...withRatio(rush.a.figures, rush.bare), peakMiB: rush.a.peakMiB, ...rush.a.counts };
		if (rush?.b)
			s.b = {
				ack: { ...withRatio(rush.b.figures, rush.bare) },
				ackNothingToHandle: { ...withRatio(rush.b.ackOnly, rush.bare) },
				peakMiB: rush.b.peakMiB,
				...rush.b.counts,
			};
		if (rush?.c)
			s.c = {
				peakMiB: Math.max(...Object.values(rush.c).map((p) => p.memory.peakMiB)),
				...Object.fromEntries(
					Object.entries(rush.c).map(([k, p]) => [
						k,
						{ ...withRatio(p.figures, rush.bare), peakMiB: p.memory.peakMiB },
					]),
				),
			};
		if (dashboard?.d) {
			s.d = { ...withRatio(dashboard.d.figures, dashboard.bare), peakMiB: dashboard.d.peakMiB };
			s.dashboardLists = {
				peakMiB: dashboard.lists.peakMiB,
				...Object.fromEntries(
					Object.entries(dashboard.lists.figures).map(([k, f]) => [k, withRatio(f, dashboard.bare)]),
				),
			};
		}
		if (dashboard?.e) s.e = dashboard.e;

		// Lost / duplicated, by promise.
		const sum = (...xs) => (xs.some((x) => x !== undefined) ? xs.reduce((n, x) => n + (x ?? 0), 0) : null);
		result.counts = {
			punches: s.a ? { lost: s.a.lost, duplicated: s.a.duplicated } : null,
			leaveDecisions: s.e ? s.e.decisions : null,
			messages:
				s.b || s.e
					? {
							lost: sum(s.b?.messages.lost, s.e?.messages.lost),
							duplicated: sum(s.b?.messages.duplicated, s.e?.messages.duplicated),
							// Queued once but not delivered yet: the outbox cron retries them (not lost, late).
							awaitingRetry: sum(s.b?.messages.awaitingRetry, s.e?.messages.awaitingRetry),
						}
					: null,
			webhookEvents: s.b ? { lost: s.b.lost, unhandled: s.b.unhandled, duplicated: s.b.duplicated } : null,
		};
		const check = (value, pass, target) => ({ value, target, pass: value === null ? null : pass });
		result.targets = {
			punchThroughputRatio: check(
				s.a?.ratio ?? null,
				(s.a?.ratio ?? 0) >= TARGETS.punchRatio,
				`≥ ${TARGETS.punchRatio}`,
			),
			punchP99Ms: check(
				s.a?.p99 ?? null,
				(s.a?.p99 ?? Infinity) < TARGETS.punchP99Ms,
				`< ${TARGETS.punchP99Ms} at 20 connections`,
			),
			webhookAckP99Ms: check(
				s.b?.ack.p99 ?? null,
				(s.b?.ack.p99 ?? Infinity) < TARGETS.webhookAckP99Ms,
				`< ${TARGETS.webhookAckP99Ms}`,
			),
			noLossOrDuplicate: (() => {
				const all = Object.values(result.counts).filter(Boolean);
				const bad = all.reduce((n, c) => n + (c.lost ?? 0) + (c.duplicated ?? 0) + (c.unhandled ?? 0), 0);
				return check(all.length ? bad : null, bad === 0, "0 lost, 0 duplicated");
			})(),
		};

		// ── Summary ──
		console.log(
			`\n── summary (load average at start ${loadAtStart.join(" ")}, now ${loadAverage().join(" ")})`,
		);
		console.log(
			`${pad("", 48)}${num("req/s")}${num("p50 ms")}${num("p99 ms")}${num("peak MiB")}${num("× bare")}${num("errors", 8)}`,
		);
		if (rush) summaryRow("bare GET /healthz (rush run)", rush.bare, rush.bare.peakMiB);
		if (s.a) summaryRow("(a) POST /api/liff/punch", s.a, s.a.peakMiB);
		if (s.b) {
			summaryRow("(b) POST /webhook/line (acknowledgement)", s.b.ack, s.b.peakMiB);
			summaryRow("(b) … its ack alone (nothing to handle)", s.b.ackNothingToHandle, "");
		}
		if (s.c)
			for (const [k, label] of [
				["timetable", "(c) 我的課表, default 6 weeks"],
				["timetableWhole", "(c) 我的課表, whole class (250 sessions)"],
				["leaveList", "(c) 請假節次 (my leave requests)"],
				["leaveOptions", "(c) 請假表單 sessions (leave-options)"],
			])
				summaryRow(label, s.c[k], s.c[k].peakMiB);
		if (dashboard) summaryRow("bare GET /healthz (dashboard run)", dashboard.bare, dashboard.bare.peakMiB);
		if (s.dashboardLists)
			for (const [k, f] of Object.entries(s.dashboardLists))
				if (k !== "peakMiB") summaryRow(`    list page ${k}`, f, "");
		if (s.d) summaryRow("(d) GET /admin/classes/1 (60 × 120 matrix)", s.d, s.d.peakMiB);
		if (s.e)
			console.log(
				`${pad("(e) POST /admin/leave/review (200 ids)", 48)}one request: ${s.e.status} in ${s.e.ms} ms, peak ${s.e.peakMiB} MiB; ` +
					`posted again: ${s.e.repeat.status} in ${s.e.repeat.ms} ms`,
			);
		if (s.b)
			console.log(
				`(b) ${s.b.deliveries} deliveries (${s.b.repeats} repeats, ${s.b.firstLost} first-lost, ` +
					`${s.b.unacknowledged} redelivered after a failed ack): ${s.b.stored}/${s.b.logical} ` +
					`events stored, ${s.b.done} handled; answers and menus received ${s.b.messages.answers + s.b.messages.richMenus}/` +
					`${s.b.messages.expected}; last answer ${s.b.drainedSeconds} s after the burst began`,
			);
		console.log("\nlost / duplicated:");
		for (const [k, c] of Object.entries(result.counts))
			if (c)
				console.log(
					`  ${pad(k, 16)} lost ${c.lost}${c.unhandled !== undefined ? `, unhandled ${c.unhandled}` : ""}, ` +
						`duplicated ${c.duplicated}` +
						(c.awaitingRetry
							? `, not delivered yet (pending in the outbox for the cron) ${c.awaitingRetry}`
							: ""),
				);
		console.log("\ntargets:");
		for (const [k, t] of Object.entries(result.targets))
			console.log(
				`  ${pad(k, 22)} ${pad(t.value ?? "not measured", 8)} target ${pad(t.target, 26)} ${t.pass === null ? "–" : t.pass ? "PASS" : "FAIL"}`,
			);
	} catch (err) {
		console.error(`\n✗ ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
		result.error = err instanceof Error ? err.message : String(err);
		exitCode = 1;
	}
	result.loadAverage.end = loadAverage();
	result.seconds = round((Date.now() - started) / 1000, 1);
	console.log(`\nbench: ${result.seconds} s in all`);
	console.log(JSON.stringify(result));
	process.exitCode = exitCode;
}
