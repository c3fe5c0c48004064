// Unit and integration tests run inside workerd (the real runtime) with the real local D1 and its
// migrations, and the real SessionRoom Durable Object. E2E tests run separately (npm run test:e2e).
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
	const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				remoteBindings: false,
				miniflare: {
					bindings: {
						TEST_MIGRATIONS: migrations,
						// Test settings: production mode unless a test says otherwise; LINE faked at fetch().
						ENVIRONMENT: "production",
						PUBLIC_BASE_URL: "https://training-line.test",
						LINE_LOGIN_CHANNEL_ID: "1650000000",
						LIFF_ID_TRAINEE: "1650000000-trainee",
						LIFF_ID_TEACHER: "1650000000-teacher",
						LINE_CHANNEL_SECRET: "test-channel-secret",
						LINE_CHANNEL_ACCESS_TOKEN: "test-channel-access-token",
						QR_SIGNING_KEY: "test-qr-signing-key-0123456789abcdef",
						BINDING_TOKEN_KEY: "test-binding-token-key-0123456789abcdef",
						SESSION_COOKIE_KEY: "test-session-cookie-key-0123456789abcdef",
						PII_HMAC_KEY: "test-pii-hmac-key-0123456789abcdef",
						SMS_API_KEY: "test-sms-key",
						EMAIL_API_KEY: "test-email-key",
					},
				},
			}),
		],
		test: {
			include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
			// log-privacy-setup: no log line of the suite may hold personal data (see test/log-privacy.ts).
			setupFiles: ["./test/apply-migrations.ts", "./test/log-privacy-setup.ts"],
			// Files run in parallel on a 2-core machine; some set up hundreds of rows in real D1.
			testTimeout: 30_000,
			hookTimeout: 30_000,
		},
	};
});
