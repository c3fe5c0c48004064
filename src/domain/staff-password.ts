// Rules of staff passwords and of the one-time links that set them.

export const MIN_PASSWORD_LENGTH = 10;

export type PasswordProblem = "too_short" | "same_as_email";

/** What is wrong with a new password, or null. Length counts characters, not UTF-16 units. */
export function newPasswordProblem(password: string, email: string): PasswordProblem | null {
	if ([...password].length < MIN_PASSWORD_LENGTH) return "too_short";
	if (password.trim().toLowerCase() === email.toLowerCase()) return "same_as_email";
	return null;
}

/** A first password may wait for the person to read their mail; a reset is asked for and used at once. */
export const FIRST_PASSWORD_LINK_MS = 72 * 3_600_000;
export const RESET_PASSWORD_LINK_MS = 60 * 60_000;

export type PasswordLinkPurpose = "first" | "reset";

export const linkPurpose = (hasPassword: boolean): PasswordLinkPurpose => (hasPassword ? "reset" : "first");

export const linkLifetime = (purpose: PasswordLinkPurpose): number =>
	purpose === "first" ? FIRST_PASSWORD_LINK_MS : RESET_PASSWORD_LINK_MS;

export type LinkState = "usable" | "used" | "expired";

/** A link is usable before its expiry (exclusive) and until it is used once. */
export function linkState(link: { expiresAt: number; usedAt: number | null }, now: number): LinkState {
	if (link.usedAt !== null) return "used";
	return now < link.expiresAt ? "usable" : "expired";
}

export type StaffStatus = "disabled" | "pending_password" | "active";

export const STAFF_STATUS_LABELS: Record<StaffStatus, string> = {
	disabled: "已停用",
	pending_password: "待設定密碼",
	active: "啟用",
};

/** Disabled wins over everything; an enabled account without a password cannot sign in yet. */
export function staffStatus(account: { disabledAt: number | null; hasPassword: boolean }): StaffStatus {
	if (account.disabledAt !== null) return "disabled";
	return account.hasPassword ? "active" : "pending_password";
}
