// The demo world the bad-input corpus runs in: the demo data, signed-in dashboard tabs, the ids of
// records of this user and of other users and units, and the corpus files of test/fixtures/bad-input.
import { env } from "cloudflare:test";
import { and, asc, eq, gt, ne } from "drizzle-orm";
import { expect } from "vitest";
import { createDb } from "../../src/db/client";
import {
	classes,
	classTeachers,
	enrollments,
	leaveRequestSessions,
	leaveRequests,
	lineBindings,
	sessions,
	staff,
} from "../../src/db/schema";
import { demoPerson } from "../../src/demo/people";
import { DEMO_LINE_USERS, seedDemoData } from "../../src/demo/seed";
import { taipeiDate } from "../../src/domain/taipei-time";
import { addAttachment } from "../../src/services/leave-attachments";
import dates from "../fixtures/bad-input/dates.json";
import invalidUtf8 from "../fixtures/bad-input/invalid-utf8.json";
import jsonBodies from "../fixtures/bad-input/json-bodies.json";
import numbers from "../fixtures/bad-input/numbers.json";
import texts from "../fixtures/bad-input/texts.json";
import { signedIn } from "./admin-helpers";
import { browserTab, chatOf, devFetch, freshLineUser, latestCodeFor, ORIGIN, sendAsUser } from "./dev-server";

export const db = createDb(env.DB);
export type Tab = Awaited<ReturnType<typeof signedIn>>;

/** This run's marker: stored texts carry it, so a page can be searched for exactly them. */
export const MARK = `bi${Date.now().toString(36)}`;
export const withMark = (value: string) => value.replaceAll("{id}", MARK);

export const corpus = {
	storable: texts.storable.map((t) => ({ name: t.name, value: withMark(t.value) })),
	unshowable: texts.unshowable.map((t) => ({ name: t.name, value: withMark(t.value) })),
	malformedJson: jsonBodies.malformed,
	wrongShapeJson: jsonBodies.wrongShape.map((b) => ({
		name: b.name,
		body: b.nest ? `${"[".repeat(b.nest)}${"]".repeat(b.nest)}` : (b.body as string),
	})),
	badDates: dates.invalid,
	/** Strict YYYY-MM-DD (APIs, query strings) refuses these too. */
	strictBadDates: [...dates.invalid, ...dates.lenientDates],
	badTimes: dates.invalidTimes,
	lenientTimes: dates.lenientTimes,
	jsonNumbers: numbers.json,
	formNumbers: numbers.form,
	invalidUtf8: invalidUtf8.sequences.map((s) => ({
		name: s.name,
		bytes: new Uint8Array((s.hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))),
	})),
	/** Longer than any field allows, short of the 1 MiB body limit even percent-encoded. */
	huge: "長".repeat(20_000),
	/** Over the 1 MiB limit of every body but the uploads'. */
	overLimit: "x".repeat(1024 * 1024 + 16),
};

export const bytes = (...parts: (string | Uint8Array)[]) => {
	const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : p));
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
};

export type World = {
	north: {
		unitId: number;
		classId: number;
		classCode: string;
		planId: number;
		/** Today's session of the running class (DEMO-115-01). */
		sessionId: number;
		/** Sessions of the running class 3+ days ahead, for leave requests. */
		futureSessionIds: number[];
		/** A session of the other north class (DEMO-115-02): not the demo trainee's. */
		otherClassSessionId: number;
		/** The demo LINE trainee's person. */
		personId: number;
		/** Another trainee of the class, with a pending request and a proof file. */
		otherPersonId: number;
		otherRequestId: number;
		otherAttachmentId: number;
		clerkId: number;
		adminId: number;
	};
	south: {
		unitId: number;
		classId: number;
		planId: number;
		sessionId: number;
		personId: number;
		requestId: number;
		attachmentId: number;
		adminId: number;
		teacherPersonId: number | null;
	};
	tabs: { northAdmin: Tab; clerk: Tab; agency: Tab };
};

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...new TextEncoder().encode("JFIF photo")]);

async function pendingRequest(personId: number, classId: number, unitId: number, sessionId: number) {
	const session = await db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
	if (!session) throw new Error("no session");
	const request = await db
		.insert(leaveRequests)
		.values({
			personId,
			classId,
			unitId,
			leaveTypeCode: "sick",
			firstDate: session.date,
			lastDate: session.date,
			hours: session.hours,
			idempotencyKey: crypto.randomUUID(),
			submittedAt: Date.now(),
			updatedAt: Date.now(),
		})
		.returning()
		.get();
	await db
		.insert(leaveRequestSessions)
		.values({ leaveRequestId: request.id, sessionId, personId, active: 1 });
	const file = await addAttachment({ db, bucket: env.ATTACHMENTS, now: Date.now() }, personId, request.id, {
		bytes: JPEG,
		fileName: "診斷證明.jpg",
	});
	if (!file.ok) throw new Error(file.message);
	return { requestId: request.id, attachmentId: file.attachment.id };
}

export async function setUpWorld(): Promise<World> {
	const now = Date.now();
	await seedDemoData(db, { now, piiKey: env.PII_HMAC_KEY });
	const byCode = async (code: string) => {
		const k = await db.select().from(classes).where(eq(classes.code, code)).get();
		if (!k) throw new Error(`demo class ${code}`);
		return k;
	};
	const running = await byCode("DEMO-115-01");
	const upcoming = await byCode("DEMO-115-02");
	const southClass = await byCode("DEMO-114-09");
	const today = await db
		.select()
		.from(sessions)
		.where(and(eq(sessions.classId, running.id), eq(sessions.date, taipeiDate(now))))
		.get();
	const future = await db
		.select()
		.from(sessions)
		.where(and(eq(sessions.classId, running.id), gt(sessions.startsAt, now + 3 * 86_400_000)))
		.orderBy(asc(sessions.startsAt));
	const otherClassSession = await db.select().from(sessions).where(eq(sessions.classId, upcoming.id)).get();
	const southSession = await db.select().from(sessions).where(eq(sessions.classId, southClass.id)).get();
	const binding = await db
		.select()
		.from(lineBindings)
		.where(and(eq(lineBindings.lineUserId, DEMO_LINE_USERS.trainee), eq(lineBindings.role, "trainee")))
		.get();
	const other = await db
		.select({ id: enrollments.personId })
		.from(enrollments)
		.where(and(eq(enrollments.classId, running.id), ne(enrollments.personId, binding?.personId ?? -1)))
		.get();
	const southPerson = await db
		.select({ id: enrollments.personId })
		.from(enrollments)
		.where(eq(enrollments.classId, southClass.id))
		.get();
	// A teacher of the south unit only (the demo's teachers may teach in both units).
	const northTeachers = (
		await db
			.select({ id: classTeachers.personId })
			.from(classTeachers)
			.innerJoin(classes, eq(classes.id, classTeachers.classId))
			.where(eq(classes.unitId, running.unitId))
	).map((t) => t.id);
	const southTeacher = (
		await db
			.select({ id: classTeachers.personId })
			.from(classTeachers)
			.where(eq(classTeachers.classId, southClass.id))
	).find((t) => !northTeachers.includes(t.id));
	const account = async (email: string) => {
		const s = await db.select().from(staff).where(eq(staff.email, email)).get();
		if (!s) throw new Error(email);
		return s.id;
	};
	if (!today || !otherClassSession || !southSession || !binding || !other || !southPerson)
		throw new Error("the demo has a running north class and an ended south one");
	const northOther = await pendingRequest(other.id, running.id, running.unitId, (future[0] ?? today).id);
	const southOther = await pendingRequest(southPerson.id, southClass.id, southClass.unitId, southSession.id);
	return {
		north: {
			unitId: running.unitId,
			classId: running.id,
			classCode: running.code,
			planId: running.planId,
			sessionId: today.id,
			futureSessionIds: future.map((s) => s.id),
			otherClassSessionId: otherClassSession.id,
			personId: binding.personId,
			otherPersonId: other.id,
			otherRequestId: northOther.requestId,
			otherAttachmentId: northOther.attachmentId,
			clerkId: await account("north.clerk@unit.example"),
			adminId: await account("north.admin@unit.example"),
		},
		south: {
			unitId: southClass.unitId,
			classId: southClass.id,
			planId: southClass.planId,
			sessionId: southSession.id,
			personId: southPerson.id,
			requestId: southOther.requestId,
			attachmentId: southOther.attachmentId,
			adminId: await account("south.admin@unit.example"),
			teacherPersonId: southTeacher?.id ?? null,
		},
		tabs: {
			northAdmin: await signedIn("north.admin@unit.example"),
			clerk: await signedIn("north.clerk@unit.example"),
			agency: await signedIn("admin@agency.example"),
		},
	};
}

/** Every table's row count: a refused request must leave all of them as they were. */
export async function rowCounts(): Promise<Record<string, number>> {
	const tables = (
		await env.DB.prepare(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
		).all<{ name: string }>()
	).results.map((r) => r.name);
	// One statement of scalar subqueries (D1 limits compound SELECTs).
	const select = tables.map((t, i) => `(SELECT count(*) FROM "${t}") AS c${i}`).join(", ");
	const row = (await env.DB.prepare(`SELECT ${select}`).first<Record<string, number>>()) ?? {};
	return Object.fromEntries(tables.map((t, i) => [t, row[`c${i}`] ?? -1]));
}

/** Counts that changed, except in the tables a case may write to. */
export function changedCounts(
	before: Record<string, number>,
	after: Record<string, number>,
	mayWrite: readonly string[] = [],
) {
	return Object.keys(after)
		.filter((t) => !mayWrite.includes(t) && after[t] !== before[t])
		.map((t) => `${t}: ${before[t]} → ${after[t]}`);
}

// ---- binding links -------------------------------------------------------------------------------

/** The demo's unbound trainees, one per binding case (codes are limited per address per day). */
let nextTrainee = 10;
export const nextBindPerson = () => demoPerson("trainee", nextTrainee++, 0);

/** A fresh LINE user's binding link, opened in a tab (which now holds the link's cookie). */
export async function openBindLink(role: "trainee" | "teacher" = "trainee") {
	const user = freshLineUser();
	await sendAsUser(user, { type: "postback", data: `a=bind&role=${role}` });
	const chat = JSON.stringify((await chatOf(user)).entries);
	const all = [...chat.matchAll(/"uri":"https:\/\/training-line\.test(\/bind\?t=[^"]+)"/g)];
	const path = all.at(-1)?.[1] ?? "";
	expect(path, "the bot sent a binding link").not.toBe("");
	const t = new URL(path, ORIGIN).searchParams.get("t") ?? "";
	const tab = browserTab();
	expect((await tab.get(path)).status).toBe(200);
	return { tab, t, user };
}

/** A link past consent, at 身分驗證. */
export async function bindAtIdentity() {
	const link = await openBindLink();
	expect((await link.tab.post("/bind/consent", { t: link.t, agree: "yes" })).status).toBe(303);
	return link;
}

/** A link past identity (a real unbound demo trainee), at the contact step. */
export async function bindAtContact() {
	const link = await bindAtIdentity();
	const person = nextBindPerson();
	const res = await link.tab.post("/bind/identity", {
		t: link.t,
		name: person.name,
		nationalId: person.nationalId,
		birthDate: person.birthDate,
	});
	expect(res.status).toBe(303);
	return { ...link, person };
}

/** A link with an e-mail code sent, at the code step. */
export async function bindAtCode() {
	const link = await bindAtContact();
	const res = await link.tab.post("/bind/contact", { t: link.t, channel: "email", value: link.person.email });
	expect(res.status).toBe(303);
	return { ...link, code: await latestCodeFor(link.person.email) };
}

/** Posts raw bytes as a form (application/x-www-form-urlencoded), with the dashboard's Origin. */
export function rawForm(
	send: (path: string, init: RequestInit) => Promise<Response>,
	path: string,
	body: Uint8Array,
) {
	return send(path, {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
		body,
	});
}

/** A request to the app with nothing of a browser (no cookie). */
export const bare = (path: string, init: RequestInit = {}) =>
	devFetch(new Request(new URL(path, ORIGIN), { redirect: "manual", ...init }));
