// npm run seed: writes the demo data into the local D1 (idempotent) and prints the demo logins.
import { createDb } from "../src/db/client";
import { DEMO_PASSWORD, seedDemoData } from "../src/demo/seed";
import { openLocalEnv } from "./lib/local-env";

const proxy = await openLocalEnv();
try {
	const result = await seedDemoData(createDb(proxy.env.DB), {
		now: Date.now(),
		piiKey: proxy.env.PII_HMAC_KEY,
	});
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
