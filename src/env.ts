// Typed Hono environment and the one place that reads configuration from the Worker's env.
import type { LineRole } from "./domain/roles";
import type { StaffMember } from "./services/staff-auth";

/** The LINE user signed in to a LIFF page (set by the liffAuth middleware). */
export type LiffUser = {
	userId: string;
	activeRole: LineRole | null;
	roles: LineRole[];
	personIds: Partial<Record<LineRole, number>>;
};

export type AppVariables = {
	requestId: string;
	liffUser: LiffUser;
	/** The signed-in dashboard member (set by requireStaff). */
	staff: StaffMember;
};

export type AppEnv = { Bindings: Env; Variables: AppVariables };

export type Settings = {
	isDevelopment: boolean;
	publicBaseUrl: string;
	lineApiBase: string;
	lineApiDataBase: string;
	lineAccessBase: string;
	lineLoginChannelId: string;
	liffIdTrainee: string;
	liffIdTeacher: string;
};

const DEFAULTS = {
	lineApiBase: "https://api.line.me",
	lineApiDataBase: "https://api-data.line.me",
	lineAccessBase: "https://access.line.me",
};

/** Non-secret settings with their defaults. Secrets are read where they are used, from `env`. */
export function settingsOf(env: Env): Settings {
	return {
		isDevelopment: env.ENVIRONMENT === "development",
		publicBaseUrl: env.PUBLIC_BASE_URL ?? "",
		lineApiBase: env.LINE_API_BASE || DEFAULTS.lineApiBase,
		lineApiDataBase: env.LINE_API_DATA_BASE || DEFAULTS.lineApiDataBase,
		lineAccessBase: env.LINE_ACCESS_BASE || DEFAULTS.lineAccessBase,
		lineLoginChannelId: env.LINE_LOGIN_CHANNEL_ID ?? "",
		liffIdTrainee: env.LIFF_ID_TRAINEE ?? "",
		liffIdTeacher: env.LIFF_ID_TEACHER ?? "",
	};
}
