// Minimal rows for integration tests. Storage is shared by the tests of a file: fresh keys each call.

import type { Db } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { taipeiInstant } from "../../src/domain/taipei-time";

let counter = 0;
export const uniqueSuffix = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

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
	const person = await db
		.insert(schema.people)
		.values({
			name: "測試學員",
			nationalIdHmac: `hmac-${s}`,
			nationalIdMasked: "A12****789",
			nationalIdKind: "national",
			birthDate: "1990-01-01",
			createdAt: 1,
			updatedAt: 1,
		})
		.returning()
		.get();
	await db.insert(schema.enrollments).values({ classId: klass.id, personId: person.id, enrolledAt: 1 });
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
