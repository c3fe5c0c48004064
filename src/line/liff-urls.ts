// Links into the LIFF pages. In LINE they open through liff.line.me; in development (no LINE) they
// point straight at the dev server's pages under /liff/<role>/…, which use the mock LIFF.

import type { LineRole } from "../domain/roles";
import type { Settings } from "../env";

export function liffUrl(settings: Settings, role: LineRole, path = "/"): string {
	const suffix = path.startsWith("/") ? path : `/${path}`;
	const liffId = role === "trainee" ? settings.liffIdTrainee : settings.liffIdTeacher;
	if (settings.isDevelopment || !liffId)
		return `${settings.publicBaseUrl}/liff/${role}${suffix === "/" ? "" : suffix}`;
	return `https://liff.line.me/${liffId}${suffix === "/" ? "" : suffix}`;
}
