// npm run seed: writes the demo data into the local D1 (idempotent) and prints the demo logins.
import { and, eq } from "drizzle-orm";
import { createDb, type Db } from "../src/db/client";
import * as t from "../src/db/schema";
import { DEMO_LINE_USERS, DEMO_PASSWORD, seedDemoData } from "../src/demo/seed";
import { taipeiDate } from "../src/domain/taipei-time";
import { openLocalEnv } from "./lib/local-env";

/**
 * E2E=1 (scripts/e2e.mjs) only: a session of the running class that started five minutes ago and
 * nobody has punched yet, taught by the demo teacher, so the check-in test has an open window and a
 * counter at 0 whatever the hour. `npm start` never writes it.
 */
async function seedE2eSession(db: Db, now: number): Promise<void> {
	const teacher = await db
		.select({ personId: t.lineBindings.personId })
		.from(t.lineBindings)
		.where(and(eq(t.lineBindings.lineUserId, DEMO_LINE_USERS.teacher), eq(t.lineBindings.role, "teacher")))
		.get();
	const klass = await db
		.select({ id: t.classes.id })
		.from(t.classes)
		.where(eq(t.classes.code, "DEMO-115-01"))
		.get();
	if (!teacher || !klass) throw new Error("E2E session: the demo teacher or class is missing");
	const startsAt = Math.floor((now - 5 * 60_000) / 60_000) * 60_000;
	await db
		.insert(t.sessions)
		.values({
			classId: klass.id,
			date: taipeiDate(startsAt),
			startsAt,
			endsAt: startsAt + 3 * 60 * 60_000,
			hours: 3,
			subject: "簽到示範（E2E）",
			teacherPersonId: teacher.personId,
			room: "301 教室",
			createdAt: now,
			updatedAt: now,
		})
		.onConflictDoNothing();
}

const proxy = await openLocalEnv();
try {
	const result = await seedDemoData(createDb(proxy.env.DB), {
		now: Date.now(),
		piiKey: proxy.env.PII_HMAC_KEY,
	});
	if (process.env.E2E === "1") await seedE2eSession(createDb(proxy.env.DB), Date.now());
	const b = result.bindingExample;
	console.log(
		[
			result.firstRun
				? `示範資料已建立（以 ${result.anchorDate} 為「今天」）。`
				: `示範資料已存在（以 ${result.anchorDate} 為「今天」）；未重複寫入。要以今天重建：npm run db:reset`,
			"",
			`Dashboard logins (password for all: ${DEMO_PASSWORD}):`,
			...result.logins.map((l) => `  ${l.email.padEnd(28)} ${l.role}${l.unit ? ` (${l.unit})` : ""}`),
			"",
			"Demo LINE users in the emulator: unbound, trainee, teacher, both (trainee + teacher).",
			`A roster trainee to bind: ${b.name} / ${b.nationalId} / born ${b.birthDate} / ${b.phone} / ${b.email}`,
		].join("\n"),
	);
} finally {
	await proxy.dispose();
}
