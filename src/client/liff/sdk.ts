// The LIFF SDK as the pages use it: LINE's (production) or the emulator's mock (development), both
// loaded by a plain <script> before the page app.

export type Liff = {
	init(config: { liffId: string }): Promise<void>;
	isLoggedIn(): boolean;
	login(config?: { redirectUri?: string }): void;
	isInClient(): boolean;
	getIDToken(): string | null;
	closeWindow(): void;
	isApiAvailable?(api: string): boolean;
	scanCodeV2?(): Promise<{ value: string | null }>;
};

/**
 * Outside LINE without the SDK (the dashboard reuses the session pages): no ID token (the session
 * cookie signs the calls), no LINE scanner, so the browser camera is used.
 */
const NO_LIFF: Liff = {
	init: async () => undefined,
	isLoggedIn: () => true,
	login: () => location.reload(),
	isInClient: () => false,
	getIDToken: () => null,
	closeWindow: () => history.back(),
	isApiAvailable: () => false,
};

export const liff = (globalThis as unknown as { liff?: Liff }).liff ?? NO_LIFF;
