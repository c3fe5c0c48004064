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

export const liff = (globalThis as unknown as { liff: Liff }).liff;
