// 新增節次, 編輯 and 停課 from the dashboard (rules in services/session-edit.ts). Another unit's class
// or session answers 404. After a change the session's SessionRoom reads its row again, and
// 停課 notices go out at once (the outbox retries what fails).
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db/client";
import { lineEventDeps } from "../../deps";
import { addDays } from "../../domain/taipei-time";
import { type AppEnv, settingsOf } from "../../env";
import { describeError, log } from "../../log";
import { deliverOutbox } from "../../services/outbox";
import { roomOf } from "../../services/punch";
import {
	addSession,
	cancelSession,
	type EditableSession,
	editableSession,
	editSession,
	frozenReason,
	type SessionForm,
	scheduleClass,
	timesLockedReason,
} from "../../services/session-edit";
import { unitTeachers } from "../../services/session-schedule";
import type { TimetableClass } from "../../services/timetable-rows";
import { unitName } from "../../services/unit-today";
import { AdminNotFound } from "../../views/admin/layout";
import {
	AddSessionPage,
	emptySessionForm,
	SessionEditPage,
	type SessionEditView,
	sessionFormOf,
} from "../../views/admin/session-edit";
import { htmlDocument } from "../../views/document";

// Over-long text is cut, not blanked: every rule's limit is below these, so it is refused with its
// reason (a blank hours or room would have been saved as "the default").
const text = (max: number) =>
	z
		.string()
		.catch("")
		.transform((value) => value.slice(0, max));
const sessionForm = z.object({
	date: text(40),
	start: text(40),
	end: text(40),
	hours: text(20),
	subject: text(400),
	teacherId: text(20),
	room: text(400),
});
const cancelForm = z.object({ reason: text(1000) });

const readForm = async (c: Context<AppEnv>): Promise<SessionForm> =>
	sessionForm.parse(await c.req.parseBody());

/** Back to the class page around the session's date, saying what was done (no typed text echoed). */
const backToClass = (classId: number, date: string, notice: Record<string, string | number>) => {
	const query = new URLSearchParams({ from: date, to: addDays(date, 13) });
	for (const [k, v] of Object.entries(notice)) query.set(k, String(v));
	return `/admin/classes/${classId}?${query}#timetable`;
};

/** The room may hold the old row for a minute; a failure here only delays that, so it is logged. */
async function reloadRoom(c: Context<AppEnv>, sessionId: number) {
	try {
		await roomOf(c.env.SESSION_ROOM, sessionId).reload(sessionId);
	} catch (err) {
		log.warn("session_room_reload_failed", { sessionId, error: describeError(err) });
	}
}

/** 新增節次 of `klass`: empty on GET, with what was typed and why it was refused after a POST. */
async function addPage(
	c: Context<AppEnv>,
	klass: TimetableClass,
	values: SessionForm,
	reasons?: string[],
	status: 200 | 409 | 422 = 200,
) {
	const staff = c.get("staff");
	const db = createDb(c.env.DB);
	const [name, teachers] = await Promise.all([unitName(db, staff.unitId), unitTeachers(db, [klass.unitId])]);
	return c.html(
		htmlDocument(
			<AddSessionPage
				staff={staff}
				unitName={name}
				klass={klass}
				teachers={teachers}
				values={values}
				reasons={reasons}
			/>,
		),
		status,
	);
}

async function editPage(
	c: Context<AppEnv>,
	session: EditableSession,
	extra: Partial<SessionEditView> = {},
	status: 200 | 409 | 422 = 200,
) {
	const staff = c.get("staff");
	const db = createDb(c.env.DB);
	const [name, teachers] = await Promise.all([
		unitName(db, staff.unitId),
		unitTeachers(db, [session.klass.unitId]),
	]);
	return c.html(
		htmlDocument(
			<SessionEditPage
				staff={staff}
				unitName={name}
				session={session}
				teachers={teachers}
				values={sessionFormOf(session)}
				frozen={frozenReason(session)}
				timesLocked={timesLockedReason(session, Date.now())}
				{...extra}
			/>,
		),
		status,
	);
}

const statusOf = (code: string) => (code === "VALIDATION_FAILED" ? 422 : 409);

export const adminSessionEditRoutes = new Hono<AppEnv>()
	.get("/classes/:id{[0-9]{1,12}}/sessions/new", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const klass = await scheduleClass(db, staff.unitId, Number(c.req.param("id")));
		if (!klass) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這個班級" />), 404);
		return addPage(c, klass, emptySessionForm());
	})
	.post("/classes/:id{[0-9]{1,12}}/sessions", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const classId = Number(c.req.param("id"));
		const form = await readForm(c);
		const outcome = await addSession(
			{ db, now: Date.now() },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			classId,
			form,
		);
		if (outcome.ok) return c.redirect(backToClass(classId, outcome.date, { notice: "added" }), 303);
		const klass = outcome.code === "NOT_FOUND" ? null : await scheduleClass(db, staff.unitId, classId);
		if (!klass) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這個班級" />), 404);
		return addPage(c, klass, form, outcome.reasons, statusOf(outcome.code));
	})
	.get("/sessions/:id{[0-9]{1,12}}/edit", async (c) => {
		const staff = c.get("staff");
		const session = await editableSession(createDb(c.env.DB), staff.unitId, Number(c.req.param("id")));
		if (!session) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這堂課" />), 404);
		return editPage(c, session);
	})
	.post("/sessions/:id{[0-9]{1,12}}/edit", async (c) => {
		const staff = c.get("staff");
		const db = createDb(c.env.DB);
		const sessionId = Number(c.req.param("id"));
		const form = await readForm(c);
		const outcome = await editSession(
			{ db, now: Date.now() },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			sessionId,
			form,
		);
		if (outcome.ok) {
			if (outcome.changed) await reloadRoom(c, sessionId);
			return c.redirect(
				backToClass(outcome.classId, outcome.date, { notice: outcome.changed ? "saved" : "unchanged" }),
				303,
			);
		}
		const session = outcome.code === "NOT_FOUND" ? null : await editableSession(db, staff.unitId, sessionId);
		if (!session) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這堂課" />), 404);
		return editPage(c, session, { values: form, editReasons: outcome.reasons }, statusOf(outcome.code));
	})
	.post("/sessions/:id{[0-9]{1,12}}/cancel", async (c) => {
		const staff = c.get("staff");
		const now = Date.now();
		const deps = lineEventDeps(c.env, now);
		const sessionId = Number(c.req.param("id"));
		const { reason } = cancelForm.parse(await c.req.parseBody());
		const outcome = await cancelSession(
			{ db: deps.db, now, settings: settingsOf(c.env) },
			{ staffId: staff.id, unitId: staff.unitId, requestId: c.get("requestId") ?? null },
			sessionId,
			reason,
		);
		if (outcome.ok) {
			await reloadRoom(c, sessionId);
			c.executionCtx.waitUntil(deliverOutbox(deps));
			return c.redirect(
				backToClass(outcome.classId, outcome.date, {
					notice: "cancelled",
					notified: outcome.notified,
					unbound: outcome.unbound,
				}),
				303,
			);
		}
		const session =
			outcome.code === "NOT_FOUND" ? null : await editableSession(deps.db, staff.unitId, sessionId);
		if (!session) return c.html(htmlDocument(<AdminNotFound staff={staff} what="這堂課" />), 404);
		return editPage(
			c,
			session,
			{ cancelReason: reason, cancelReasons: outcome.reasons },
			statusOf(outcome.code),
		);
	});
