// Development stand-in for LINE's LIFF SDK (only served when ENVIRONMENT=development). The signed-in
// LINE user is the one picked in the /__dev emulator (cookie tl_dev_user); ID tokens come from the
// emulator, signed like LINE's, so the server verifies them exactly as in production.

const USER_COOKIE = /(?:^|;\s*)tl_dev_user=(U[0-9a-f]{32})/;
let idToken: string | null = null;

function currentUser(): string | null {
	return USER_COOKIE.exec(document.cookie)?.[1] ?? null;
}

const mock = {
	async init(_config: { liffId: string }): Promise<void> {
		const user = currentUser();
		if (!user) return;
		const res = await fetch(`/__dev/liff/id-token?userId=${user}`);
		if (res.ok) idToken = ((await res.json()) as { idToken: string }).idToken;
	},
	isLoggedIn: () => idToken !== null,
	login(config: { redirectUri?: string } = {}): void {
		const back = config.redirectUri ?? location.href;
		location.href = `/__dev/liff/login?redirect=${encodeURIComponent(new URL(back).pathname + new URL(back).search)}`;
	},
	getIDToken: () => idToken,
	isInClient: () => false,
	isApiAvailable: (_api: string) => false,
	getOS: () => "web",
	getLanguage: () => "zh-TW",
	getContext: () => ({ type: "external" }),
	closeWindow: () => history.back(),
};

(window as unknown as { liff: typeof mock }).liff = mock;
