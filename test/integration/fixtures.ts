// Minimal rows for integration tests. Storage is shared by the tests of a file: fresh keys each call.

import { asc, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";
import { taipeiDate, taipeiInstant } from "../../src/domain/taipei-time";
import { traineeClass } from "../../src/services/trainee-class";

let counter = 0;
export const uniqueSuffix = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

/** A new person (fresh national-ID hash) enrolled in the class, with nothing recorded yet. */
export async function enrollNewTrainee(db: Db, classId: number, name = "測試學員") {
	const person = await db
		.insert(schema.people)
		.values({
			name,
			nationalIdHmac: `hmac-${uniqueSuffix()}`,
			nationalIdMasked: "A12****789",
			nationalIdKind: "national",
			birthDate: "1990-01-01",
			createdAt: 1,
			updatedAt: 1,
		})
		.returning()
		.get();
	await db.insert(schema.enrollments).values({ classId, personId: person.id, enrolledAt: 1 });
	return person;
}

/** A unit, plan, class, a person enrolled in it and one session on `date` 09:00–12:00 Taipei. */
export async function insertFixtureSession(db: Db, date = "2026-12-03") {
	const s = uniqueSuffix();
	const unit = await db
		.insert(schema.units)
		.values({ code: `U-${s}`, name: "測試單位", createdAt: 1, updatedAt: 1 })
		.returning()
		.get();
	const plan = await db
		.insert(schema.plans)
		.values({ code: `P-${s}`, name: "測試計畫", createdAt: 1, updatedAt: 1 })
		.returning()
		.get();
	const klass = await db
		.insert(schema.classes)
		.values({
			unitId: unit.id,
			planId: plan.id,
			code: `C-${s}`,
			name: "測試班",
			startDate: "2026-11-01",
			endDate: "2027-01-31",
			createdAt: 1,
			updatedAt: 1,
		})
		.returning()
		.get();
	const person = await enrollNewTrainee(db, klass.id);
	const session = await db
		.insert(schema.sessions)
		.values({
			classId: klass.id,
			date,
			startsAt: taipeiInstant(date, "09:00"),
			endsAt: taipeiInstant(date, "12:00"),
			hours: 3,
			subject: "測試課程",
			createdAt: 1,
			updatedAt: 1,
		})
		.returning()
		.get();
	return {
		unitId: unit.id,
		planId: plan.id,
		classId: klass.id,
		personId: person.id,
		sessionId: session.id,
		date,
	};
}

/**
 * The demo data with its running class (DEMO-115-01): the class as its trainees see it, and its
 * trainees' person ids in seat order.
 */
export async function seedRunningClass(db: Db, now: number, piiKey: string) {
	await seedDemoData(db, { now, piiKey });
	const running = await db.select().from(schema.classes).where(eq(schema.classes.code, "DEMO-115-01")).get();
	const trainees = (
		await db
			.select()
			.from(schema.enrollments)
			.where(eq(schema.enrollments.classId, running?.id ?? -1))
			.orderBy(asc(schema.enrollments.seatNo))
	).map((e) => e.personId);
	const klass = await traineeClass(db, trainees[0] as number, taipeiDate(now));
	if (!klass) throw new Error("the demo's running class has trainees");
	return { klass, trainees };
}
