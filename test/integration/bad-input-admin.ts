// Corpus entries of the dashboard (/admin, signed in): every route gets a forged session cookie,
// id routes get other units' and made-up ids, forms get missing, huge, wrongly typed, invalid-UTF-8
// and unshowable values, impossible dates and times, and the CSV imports get broken files.
import { env } from "cloudflare:test";
import { nationalIdCheckDigit } from "../../src/domain/national-id";
import { addDays, taipeiDate } from "../../src/domain/taipei-time";
import { mintPersonalToken } from "../../src/qr/tickets";
import { type Case, type Entry, jsonCases, type Outcome, refused } from "./bad-input-cases";
import { bare, bytes, corpus, MARK, rawForm, type Tab, type World } from "./bad-input-world";
import { ORIGIN } from "./dev-server";

type Method = "GET" | "POST";
const redirectError: Outcome = { kind: "redirect-error" };
const previewErrors: Outcome = { kind: "preview-errors" };
const accepted: Outcome = { kind: "accepted" };

const admin = (w: World) => w.tabs.northAdmin;
const isApi = (route: string) => route.includes(" /admin/api/");

/** A route's entry: a forged session cookie first, then its own cases. */
function entry(route: string, path: (w: World) => string, cases: Case[]): Entry {
	const method = route.split(" ")[0] as Method;
	const forged: Case = {
		name: "a forged session cookie",
		send: (w) =>
			bare(path(w), {
				method,
				headers: {
					cookie: "tl_admin=eyJhbGciOiJIUzI1NiJ9.eyJzdGFmZklkIjoxfQ.Zm9yZ2Vk",
					origin: ORIGIN,
					"content-type": "application/x-www-form-urlencoded",
				},
				body: method === "GET" ? undefined : "x=1",
			}),
		outcome: { kind: "to-login" },
	};
	return { route, api: isApi(route), cases: [forged, ...cases] };
}

const get = (t: (w: World) => Tab, path: (w: World) => string) => (w: World) => t(w).get(path(w));
const post =
	(t: (w: World) => Tab, path: (w: World) => string, form: (w: World) => Record<string, string | string[]>) =>
	(w: World) =>
		t(w).post(path(w), form(w));

/** Other units' and made-up ids in place of `:id`: not found, HTML or the envelope. */
function foreignIds(
	method: Method,
	path: (w: World, id: string) => string,
	southId: (w: World) => number,
	form: (w: World) => Record<string, string> = () => ({}),
): Case[] {
	const send = (id: (w: World) => string) => (w: World) =>
		method === "GET" ? admin(w).get(path(w, id(w))) : admin(w).post(path(w, id(w)), form(w));
	return [
		{
			name: "another unit's id",
			send: send((w) => String(southId(w))),
			outcome: refused(404),
			envelope: true,
		},
		{ name: "a 12-digit id", send: send(() => "999999999999"), outcome: refused(404), envelope: true },
		{ name: "a 13-digit id", send: send(() => "1234567890123"), outcome: refused(404), envelope: true },
		{ name: "a negative id", send: send(() => "-1"), outcome: refused(404), envelope: true },
		{
			name: "full-width digits",
			send: send(() => encodeURIComponent("１２")),
			outcome: refused(404),
			envelope: true,
		},
	];
}

/** Junk, invalid percent-encoding and HTML in the query of a page without required input. */
const junkQuery = (path: (w: World) => string, t: (w: World) => Tab = admin): Case[] => [
	{
		name: "junk and HTML in the query",
		send: (w) =>
			t(w).get(`${path(w)}?%FF=%E4%B8&x=${encodeURIComponent(`<script>${MARK}</script>`)}&page=-1`),
		outcome: accepted,
		check: (_w, _res, body) => {
			if (body.includes(`<script>${MARK}`)) throw new Error("the page echoes its query unescaped");
		},
	},
];

const formCases = (
	path: (w: World) => string,
	valid: (w: World) => Record<string, string | string[]>,
	field: string,
	outcome: Outcome,
	t: (w: World) => Tab = admin,
): Case[] => [
	{ name: "an empty form", send: post(t, path, () => ({})), outcome },
	{ name: `huge ${field}`, send: post(t, path, (w) => ({ ...valid(w), [field]: corpus.huge })), outcome },
	// The last value counts (as parseBody reads a repeated field): both bad, so either is refused.
	{
		name: `${field} twice`,
		send: post(t, path, (w) => ({ ...valid(w), [field]: ["", corpus.huge] })),
		outcome,
	},
	...corpus.invalidUtf8.slice(0, 3).map((s) => ({
		name: `invalid UTF-8 in ${field}: ${s.name}`,
		send: (w: World) => {
			const rest = new URLSearchParams(
				Object.entries(valid(w)).filter(([k]) => k !== field) as [string, string][],
			);
			return rawForm(t(w).send, path(w), bytes(`${rest}&${field}=`, s.bytes));
		},
		outcome,
	})),
	{
		name: "a body over 1 MiB",
		send: post(t, path, (w) => ({ ...valid(w), [field]: corpus.overLimit })),
		outcome: refused(413, "PAYLOAD_TOO_LARGE"),
		envelope: true,
	},
	{
		name: "a post from another site",
		send: (w) => t(w).post(path(w), valid(w), "https://evil.example"),
		outcome: refused(403),
		envelope: true,
	},
];

// ---- CSV files -----------------------------------------------------------------------------------

const ROSTER_HEADER = "班級代碼,座號,姓名,身分證字號/居留證號,出生日期,手機,電子郵件";
const TIMETABLE_HEADER = "班級代碼,日期,開始時間,結束時間,課程名稱";
const nationalId = (firstNine: string) => `${firstNine}${nationalIdCheckDigit(firstNine)}`;
let seat = 100;
/** A valid roster line (fresh seat, ID and e-mail), `overrides` by column index. */
export function rosterLine(w: World, overrides: Record<number, string> = {}) {
	const n = seat++;
	const cells = [
		w.north.classCode,
		String(n),
		"匯入學員",
		nationalId(`Q2${String(880_000 + n).padStart(7, "0")}`),
		"1990-05-25",
		"",
		`r${n}.${MARK}@example.com`,
	];
	for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v;
	return cells.join(",");
}
export function timetableLine(w: World, overrides: Record<number, string> = {}) {
	const cells = [w.north.classCode, addDays(taipeiDate(Date.now()), 9), "19:00", "20:00", "補課"];
	for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v;
	return cells.join(",");
}

const file = (...parts: (string | Uint8Array)[]) =>
	new File([bytes(...parts)], "名冊.csv", { type: "text/csv" });
const upload = (path: string, f: (w: World) => File) => (w: World) => admin(w).postFile(path, f(w));
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function csvFileCases(
	path: string,
	header: string,
	line: (w: World, o?: Record<number, string>) => string,
): Case[] {
	const refusedPage = refused(422);
	return [
		{ name: "no file", send: (w) => admin(w).post(path, {}), outcome: refusedPage },
		{
			name: "the file as text",
			send: (w) => admin(w).post(path, { file: `${header}\r\n${line(w)}` }),
			outcome: refusedPage,
		},
		{ name: "an empty file", send: upload(path, () => file("")), outcome: refusedPage },
		{ name: "only a BOM", send: upload(path, () => file(BOM)), outcome: refusedPage },
		{ name: "only the header", send: upload(path, () => file(`${header}\r\n`)), outcome: refusedPage },
		{
			name: "a header of other columns",
			send: upload(path, (w) => file(`a,b,c\r\n${line(w)}\r\n`)),
			outcome: refusedPage,
		},
		{
			name: "a blank first line",
			send: upload(path, (w) => file(`\r\n${header}\r\n${line(w)}\r\n`)),
			outcome: refusedPage,
		},
		{
			name: "an unclosed quote",
			send: upload(path, (w) => file(`${header}\r\n"${line(w)}\r\n`)),
			outcome: { kind: "refused", status: 422 },
		},
		...corpus.invalidUtf8.map((s) => ({
			name: `invalid UTF-8 after a BOM: ${s.name}`,
			send: upload(path, (w) => file(BOM, `${header}\r\n`, s.bytes, `${line(w)}\r\n`)),
			outcome: refusedPage,
		})),
		{
			name: "a PNG named .csv",
			send: upload(path, () =>
				file(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff])),
			),
			outcome: refusedPage,
		},
		{
			name: "NUL bytes",
			send: upload(path, (w) => file(`${header}\r\n`, new Uint8Array([0, 0, 0]), `${line(w)}\r\n`)),
			outcome: previewErrors,
		},
		{
			name: "more rows than allowed",
			send: upload(path, (w) =>
				file(`${header}\r\n${Array.from({ length: 1001 }, () => line(w)).join("\r\n")}\r\n`),
			),
			outcome: refusedPage,
		},
		{
			name: "a file over the limit",
			send: upload(path, (w) =>
				file(`${header}\r\n${line(w, { 4: "x".repeat(2 * 1024 * 1024 + 100) })}\r\n`),
			),
			outcome: refused(),
			envelope: true,
		},
		{
			name: "one huge cell",
			send: upload(path, (w) => file(`${header}\r\n${line(w, { 2: "長".repeat(100_000) })}\r\n`)),
			outcome: previewErrors,
		},
	];
}

const rosterRows = (path: string, rows: [string, Record<number, string>][], outcome: Outcome) =>
	rows.map(([name, o]) => ({
		name,
		send: upload(path, (w) => file(`${ROSTER_HEADER}\r\n${rosterLine(w, o)}\r\n`)),
		outcome,
	}));
const timetableRows = (rows: [string, Record<number, string>][], outcome: Outcome) =>
	rows.map(([name, o]) => ({
		name,
		send: upload("/admin/timetable-import", (w) => file(`${TIMETABLE_HEADER}\r\n${timetableLine(w, o)}\r\n`)),
		outcome,
	}));

// ---- forms ---------------------------------------------------------------------------------------

const sessionForm = (_w?: World): Record<string, string> => ({
	date: addDays(taipeiDate(Date.now()), 10),
	start: "19:00",
	end: "20:00",
	hours: "",
	subject: "補課",
	teacherId: "",
	room: "",
});
/** 新增節次 / 編輯 with one field bad: the form again with the reasons (422), nothing written. */
const sessionFieldCases = (path: (w: World) => string): Case[] => [
	...corpus.badDates.map((date) => ({
		name: `date ${date}`,
		send: post(admin, path, (w) => ({ ...sessionForm(w), date })),
		// 422 for what cannot be a date; 409 for a date read leniently (2026-1-5) outside the class.
		outcome: refused(),
	})),
	...corpus.badTimes.map((start) => ({
		name: `start ${start}`,
		send: post(admin, path, (w) => ({ ...sessionForm(w), start })),
		outcome: refused(422),
	})),
	{
		name: "end before start",
		send: post(admin, path, (w) => ({ ...sessionForm(w), start: "20:00", end: "19:00" })),
		outcome: refused(422),
	},
	// A blank 時數 is the session's length: not bad input.
	...corpus.formNumbers
		.filter((n) => n.trim() !== "")
		.map((hours) => ({
			name: `hours ${hours.slice(0, 30)}`,
			send: post(admin, path, (w) => ({ ...sessionForm(w), hours })),
			outcome: refused(422),
		})),
	...["-1", "999999999999", "１", "<script>", "0"].map((teacherId) => ({
		name: `teacher ${teacherId}`,
		send: post(admin, path, (w) => ({ ...sessionForm(w), teacherId })),
		outcome: refused(422),
	})),
	{
		name: "another unit's teacher",
		send: post(admin, path, (w) => ({
			...sessionForm(w),
			teacherId: String(w.south.teacherPersonId ?? 999_999),
		})),
		outcome: refused(422),
	},
	...corpus.unshowable.map((t) => ({
		name: `subject: ${t.name}`,
		send: post(admin, path, (w) => ({ ...sessionForm(w), subject: t.value })),
		outcome: refused(422),
	})),
	{
		name: "no subject",
		send: post(admin, path, (w) => ({ ...sessionForm(w), subject: "" })),
		outcome: refused(422),
	},
	{
		name: "a huge subject",
		send: post(admin, path, (w) => ({ ...sessionForm(w), subject: corpus.huge })),
		outcome: refused(422),
	},
	{
		name: "a huge room",
		send: post(admin, path, (w) => ({ ...sessionForm(w), room: "室".repeat(401) })),
		outcome: refused(422),
	},
];

const correctionPath = (w: World) =>
	`/admin/sessions/${w.north.sessionId}/punches/${w.north.otherPersonId}/correct`;
const correction = { checkIn: "09:05", checkOut: "", mark: "punches", reason: "補登" };

const planForm: Record<string, string | string[]> = {
	lateGraceMinutes: "0",
	earlyLeaveGraceMinutes: "0",
	checkInOpensMinutes: "30",
	checkOutClosesMinutes: "60",
	qrRotationSeconds: "15",
	cancelWindowDays: "7",
	revokeWindowDays: "14",
	backdateLimitDays: "7",
	reviewWindowDays: "14",
	advanceNoticeDays: "3",
	leaveHoursWarningPercent: "10",
	leaveTypes: ["sick"],
};
const agency = (w: World) => w.tabs.agency;
const planPath = (w: World) => `/admin/settings/plans/${w.north.planId}`;

const staffForm = (over: Record<string, string> = {}) => ({
	name: "新承辦",
	email: `${crypto.randomUUID().slice(0, 8)}@unit.example`,
	role: "unit_staff",
	unitId: "",
	...over,
});

const scanTo = (w: World, body: BodyInit, type: string | null) =>
	admin(w).send(`/admin/api/sessions/${w.north.sessionId}/scan`, {
		method: "POST",
		headers: { origin: ORIGIN, ...(type ? { "content-type": type } : {}) },
		body,
	});

const reviewPath = () => "/admin/leave/review";

export const adminEntries: Entry[] = [
	entry(
		"GET /admin",
		() => "/admin",
		junkQuery(() => "/admin"),
	),
	entry("GET /admin/leave", () => "/admin/leave", [
		...junkQuery(() => "/admin/leave"),
		// The list's filters come from its own selects: a bad one is dropped and the list shown.
		...[
			"status=<script>",
			"classId=-1",
			"from=2026-02-30",
			"to=115/02/30",
			"page=1e309",
			"typeCode=' OR 1=1 --",
		].map((q) => ({
			name: `filter ${q}`,
			send: (w: World) => admin(w).get(`/admin/leave?${q}`),
			outcome: accepted,
		})),
	]),
	entry("POST /admin/leave/review", reviewPath, [
		...[
			["no selection", {}],
			["ids of letters", { ids: ["abc"], decision: "approved" }],
			["a negative id", { ids: ["-1"], decision: "approved" }],
			["full-width ids", { ids: ["１２"], decision: "approved" }],
			["a huge id", { ids: ["99999999999999999999999"], decision: "approved" }],
			["201 ids", { ids: Array.from({ length: 201 }, (_, i) => String(i + 1)), decision: "approved" }],
			["an unknown decision", { ids: ["1"], decision: "maybe" }],
			["no decision", { ids: ["1"] }],
			["a remark of 201 characters", { ids: ["1"], decision: "rejected", remark: "字".repeat(201) }],
			...corpus.unshowable.map((t) => [
				`remark: ${t.name}`,
				{ ids: ["1"], decision: "rejected", remark: t.value },
			]),
		].map(([name, form]) => ({
			name: name as string,
			send: post(admin, reviewPath, () => form as Record<string, string | string[]>),
			outcome: redirectError,
		})),
		{
			name: "another unit's request",
			send: post(admin, reviewPath, (w) => ({ ids: [String(w.south.requestId)], decision: "approved" })),
			outcome: redirectError,
		},
		{
			name: "a foreign back link",
			send: post(admin, reviewPath, () => ({
				decision: "approved",
				back: "https://evil.example/admin/leave",
			})),
			outcome: redirectError,
			check: (_w, res) => {
				if (!(res.headers.get("location") ?? "").startsWith("/admin/leave")) throw new Error("open redirect");
			},
		},
		...formCases(reviewPath, () => ({ ids: ["1"], decision: "maybe" }), "remark", redirectError),
	]),
	entry(
		"GET /admin/sessions/:id{[0-9]{1,12}}/:page{display|scanner|attendance}",
		(w) => `/admin/sessions/${w.north.sessionId}/display`,
		[
			...foreignIds(
				"GET",
				(_w, id) => `/admin/sessions/${id}/display`,
				(w) => w.south.sessionId,
			),
			{
				name: "an unknown page",
				send: get(admin, (w) => `/admin/sessions/${w.north.sessionId}/<script>`),
				outcome: refused(404),
				envelope: true,
			},
		],
	),
	entry("GET /admin/leave/:id{[0-9]{1,12}}", (w) => `/admin/leave/${w.north.otherRequestId}`, [
		...foreignIds(
			"GET",
			(_w, id) => `/admin/leave/${id}`,
			(w) => w.south.requestId,
		),
		...junkQuery((w) => `/admin/leave/${w.north.otherRequestId}`),
	]),
	entry("POST /admin/leave/:id{[0-9]{1,12}}/revoke", (w) => `/admin/leave/${w.north.otherRequestId}/revoke`, [
		...foreignIds(
			"POST",
			(_w, id) => `/admin/leave/${id}/revoke`,
			(w) => w.south.requestId,
			() => ({ reason: "跨單位撤銷" }),
		),
		...[
			["no reason", {}],
			["a blank reason", { reason: "   " }],
			["a reason of 201 characters", { reason: "字".repeat(201) }],
			...corpus.unshowable.map((t) => [`reason: ${t.name}`, { reason: t.value }]),
		].map(([name, form]) => ({
			name: name as string,
			send: post(
				admin,
				(w) => `/admin/leave/${w.north.otherRequestId}/revoke`,
				() => form as Record<string, string>,
			),
			outcome: redirectError,
		})),
		...formCases(
			(w) => `/admin/leave/${w.north.otherRequestId}/revoke`,
			() => ({ reason: "" }),
			"reason",
			redirectError,
		),
	]),
	entry(
		"GET /admin/leave/:id{[0-9]{1,12}}/attachments/:file{[0-9]{1,12}}",
		(w) => `/admin/leave/${w.north.otherRequestId}/attachments/${w.north.otherAttachmentId}`,
		[
			{
				name: "another unit's file",
				send: get(admin, (w) => `/admin/leave/${w.south.requestId}/attachments/${w.south.attachmentId}`),
				outcome: refused(404),
				envelope: true,
			},
			{
				name: "another unit's file under this unit's request",
				send: get(admin, (w) => `/admin/leave/${w.north.otherRequestId}/attachments/${w.south.attachmentId}`),
				outcome: refused(404),
				envelope: true,
			},
			{
				name: "a 12-digit file id",
				send: get(admin, (w) => `/admin/leave/${w.north.otherRequestId}/attachments/999999999999`),
				outcome: refused(404),
				envelope: true,
			},
		],
	),
	entry(
		"GET /admin/account",
		() => "/admin/account",
		junkQuery(() => "/admin/account"),
	),
	entry("POST /admin/account/password", () => "/admin/account/password", [
		...[
			["no current password", { next: "Another-Passw0rd" }],
			["a wrong current password", { current: "wrong", next: "Another-Passw0rd" }],
			["a huge new password", { current: "wrong", next: corpus.huge }],
			["SQL as the current password", { current: "' OR '1'='1", next: "Another-Passw0rd" }],
		].map(([name, form]) => ({
			name: name as string,
			send: post(
				admin,
				() => "/admin/account/password",
				() => form as Record<string, string>,
			),
			outcome: refused(400),
		})),
		...formCases(
			() => "/admin/account/password",
			() => ({ current: "wrong", next: "Another-Passw0rd" }),
			"current",
			refused(400),
		),
	]),
	entry("GET /admin/audit", () => "/admin/audit", [
		...[
			...corpus.strictBadDates.map((d) => `from=${encodeURIComponent(d)}`),
			"to=115/02/30",
			"from=2026-03-10&to=2026-03-01",
		].map((q) => ({
			name: `query ${q}`,
			send: get(admin, () => `/admin/audit?${q}`),
			outcome: refused(400),
		})),
		...[
			"unitId=-1",
			`unitId=${encodeURIComponent("１")}`,
			"unitId=<script>",
			"actor=staff:-1",
			"action=<b>x</b>",
			"entityId=1",
			"entityType=x&entityId=1",
			"before=1e309",
		].map((q) => ({
			name: `query ${q}`,
			send: get(admin, () => `/admin/audit?${q}`),
			outcome: refused(400),
		})),
		{
			name: "another unit",
			send: get(admin, (w) => `/admin/audit?unitId=${w.south.unitId}`),
			outcome: refused(404),
		},
		{
			name: "as unit staff",
			send: get(
				(w) => w.tabs.clerk,
				() => "/admin/audit",
			),
			outcome: refused(404),
		},
	]),
	entry("GET /admin/audit/export.csv", () => "/admin/audit/export.csv", [
		...["from=2026-02-30", "to=115/02/30", "unitId=<script>"].map((q) => ({
			name: `query ${q}`,
			send: get(admin, () => `/admin/audit/export.csv?${q}`),
			outcome: refused(400),
		})),
		{
			name: "another unit",
			send: get(admin, (w) => `/admin/audit/export.csv?unitId=${w.south.unitId}`),
			outcome: refused(404),
		},
	]),
	entry(
		"GET /admin/roster-import",
		() => "/admin/roster-import",
		junkQuery(() => "/admin/roster-import"),
	),
	entry(
		"GET /admin/roster-import/sample.csv",
		() => "/admin/roster-import/sample.csv",
		junkQuery(() => "/admin/roster-import/sample.csv"),
	),
	entry("POST /admin/roster-import", () => "/admin/roster-import", [
		{
			// The line the cases break: valid as it is, so each case's error is its own.
			name: "(control) the valid line is offered to confirm",
			send: upload("/admin/roster-import", (w) => file(`${ROSTER_HEADER}\r\n${rosterLine(w)}\r\n`)),
			outcome: accepted,
			check: (_w, _res, body) => {
				if (!body.includes('name="token"')) throw new Error("the control line has errors");
			},
		},
		...csvFileCases("/admin/roster-import", ROSTER_HEADER, rosterLine),
		...rosterRows(
			"/admin/roster-import",
			[
				...corpus.badDates.map((d): [string, Record<number, string>] => [`birth date ${d}`, { 4: d }]),
				["a full-width seat number", { 1: "１２" }],
				["a negative seat number", { 1: "-1" }],
				["a huge seat number", { 1: "99999999999999999999" }],
				["a national ID with a wrong check digit", { 3: "A123456788" }],
				["a national ID with SQL", { 3: "A12' OR 1=1" }],
				["another unit's class", { 0: "DEMO-114-09" }],
				["a class code with HTML", { 0: `<script>${MARK}</script>` }],
				["no name", { 2: "" }],
				["a name of 51 characters", { 2: "長".repeat(51) }],
				["a name with a control character", { 2: "王\u0007明" }],
				["a phone of letters", { 5: "09ab345678" }],
				["an e-mail with HTML", { 6: `<b>${MARK}</b>@x` }],
			],
			previewErrors,
		),
	]),
	entry("POST /admin/roster-import/confirm", () => "/admin/roster-import/confirm", [
		...[
			["no token", {}],
			["a forged token", { token: "x".repeat(200) }],
			["a token of letters", { token: `<script>${MARK}</script>` }],
			["a huge token", { token: "t".repeat(1_000_001) }],
		].map(([name, form]) => ({
			name: name as string,
			send: post(
				admin,
				() => "/admin/roster-import/confirm",
				() => form as Record<string, string>,
			),
			outcome: refused(),
			envelope: true,
		})),
	]),
	entry(
		"GET /admin/timetable-import",
		() => "/admin/timetable-import",
		junkQuery(() => "/admin/timetable-import"),
	),
	entry(
		"GET /admin/timetable-import/sample.csv",
		() => "/admin/timetable-import/sample.csv",
		junkQuery(() => "/admin/timetable-import/sample.csv"),
	),
	entry("POST /admin/timetable-import", () => "/admin/timetable-import", [
		{
			name: "(control) the valid line is offered to confirm",
			send: upload("/admin/timetable-import", (w) => file(`${TIMETABLE_HEADER}\r\n${timetableLine(w)}\r\n`)),
			outcome: accepted,
			check: (_w, _res, body) => {
				if (!body.includes('name="token"')) throw new Error("the control line has errors");
			},
		},
		...csvFileCases("/admin/timetable-import", TIMETABLE_HEADER, timetableLine).filter(
			(c) => c.name !== "more rows than allowed",
		),
		...timetableRows(
			[
				...corpus.badDates.map((d): [string, Record<number, string>] => [`date ${d}`, { 1: d }]),
				...corpus.badTimes.map((t): [string, Record<number, string>] => [`start ${t}`, { 2: t }]),
				["end before start", { 2: "20:00", 3: "19:00" }],
				["another unit's class", { 0: "DEMO-114-09" }],
				["no subject", { 4: "" }],
				["an impossible ROC date with a full-width year", { 1: "１１５/02/30" }],
				["a subject with a control character", { 4: "補\u0007課" }],
				["a subject of 400 characters", { 4: "課".repeat(400) }],
			],
			previewErrors,
		),
		// How Excel and people write times: read as HH:MM, so the preview offers 確認匯入.
		...corpus.lenientTimes.map((start) => ({
			name: `start ${start} (read as a time)`,
			send: upload("/admin/timetable-import", (w) =>
				file(`${TIMETABLE_HEADER}\r\n${timetableLine(w, { 2: start, 3: "20:00" })}\r\n`),
			),
			outcome: accepted,
			check: (_w: World, _res: Response, body: string) => {
				if (!body.includes('name="token"')) throw new Error(`${start} was not read as a time`);
			},
		})),
	]),
	entry("POST /admin/timetable-import/confirm", () => "/admin/timetable-import/confirm", [
		...[
			["no token", {}],
			["a forged token", { token: "x".repeat(200) }],
			["a huge token", { token: "t".repeat(900_001) }],
		].map(([name, form]) => ({
			name: name as string,
			send: post(
				admin,
				() => "/admin/timetable-import/confirm",
				() => form as Record<string, string>,
			),
			outcome: refused(),
			envelope: true,
		})),
	]),
	entry("GET /admin/classes", () => "/admin/classes", [
		...junkQuery(() => "/admin/classes"),
		{
			name: "a search of 101 characters",
			send: get(admin, () => `/admin/classes?q=${"字".repeat(101)}`),
			outcome: refused(400),
		},
	]),
	entry("GET /admin/classes/:id{[0-9]{1,12}}", (w) => `/admin/classes/${w.north.classId}`, [
		...foreignIds(
			"GET",
			(_w, id) => `/admin/classes/${id}`,
			(w) => w.south.classId,
		),
		...corpus.strictBadDates.map((d) => ({
			name: `from ${d}`,
			send: get(admin, (w) => `/admin/classes/${w.north.classId}?from=${encodeURIComponent(d)}`),
			outcome: refused(400),
		})),
		{
			name: "a range of ten years",
			send: get(admin, (w) => `/admin/classes/${w.north.classId}?from=2020-01-01&to=2030-01-01`),
			outcome: refused(400),
		},
	]),
	entry(
		"GET /admin/classes/:id{[0-9]{1,12}}/:file{export\\.(?:csv|xlsx)}",
		(w) => `/admin/classes/${w.north.classId}/export.csv?kind=attendance`,
		[
			...foreignIds(
				"GET",
				(_w, id) => `/admin/classes/${id}/export.csv?kind=attendance`,
				(w) => w.south.classId,
			),
			...[
				"",
				"kind=<script>",
				"kind=attendance&from=2026-02-30",
				"kind=leave&to=115/02/30",
				"kind=attendance&from=2026-03-10&to=2026-03-01",
			].map((q) => ({
				name: `query ${q || "(none)"}`,
				send: get(admin, (w) => `/admin/classes/${w.north.classId}/export.xlsx?${q}`),
				outcome: refused(400),
				envelope: true,
			})),
		],
	),
	entry(
		"GET /admin/sessions/:id{[0-9]{1,12}}/punches",
		(w) => `/admin/sessions/${w.north.sessionId}/punches`,
		[
			...foreignIds(
				"GET",
				(_w, id) => `/admin/sessions/${id}/punches`,
				(w) => w.south.sessionId,
			),
			...junkQuery((w) => `/admin/sessions/${w.north.sessionId}/punches`),
		],
	),
	entry("POST /admin/sessions/:id{[0-9]{1,12}}/punches/:personId{[0-9]{1,12}}/correct", correctionPath, [
		...foreignIds(
			"POST",
			(w, id) => `/admin/sessions/${id}/punches/${w.north.otherPersonId}/correct`,
			(w) => w.south.sessionId,
			() => correction,
		),
		{
			// The sheet again, saying the person is not on the session's list.
			name: "another unit's trainee in this session",
			send: post(
				admin,
				(w) => `/admin/sessions/${w.north.sessionId}/punches/${w.south.personId}/correct`,
				() => correction,
			),
			outcome: refused(400),
			check: (w, _res, body) => {
				if (body.includes(String(w.south.personId)) && body.includes("南區"))
					throw new Error("shows the other unit");
			},
		},
		...corpus.badTimes.map((checkIn) => ({
			name: `check-in at ${checkIn}`,
			send: post(admin, correctionPath, () => ({ ...correction, checkIn })),
			outcome: refused(400),
		})),
		...["", "late", "leave:", "leave:<script>", "leave:sick'--", "PRESENT"].map((mark) => ({
			name: `mark ${JSON.stringify(mark)}`,
			send: post(admin, correctionPath, () => ({ ...correction, mark })),
			outcome: refused(400),
		})),
		{
			name: "a leave type the plan does not have",
			send: post(admin, correctionPath, () => ({ ...correction, mark: "leave:no_such" })),
			outcome: refused(400),
		},
		...[
			["no reason", ""],
			["a blank reason", "  "],
			["a reason of 201 characters", "字".repeat(201)],
			...corpus.unshowable.map((t) => [`reason: ${t.name}`, t.value]),
		].map(([name, reason]) => ({
			name: name as string,
			send: post(admin, correctionPath, () => ({ ...correction, reason: reason as string })),
			outcome: refused(400),
		})),
		...formCases(correctionPath, () => ({ ...correction, reason: "" }), "reason", refused(400)),
	]),
	entry(
		"GET /admin/classes/:id{[0-9]{1,12}}/sessions/new",
		(w) => `/admin/classes/${w.north.classId}/sessions/new`,
		[
			...foreignIds(
				"GET",
				(_w, id) => `/admin/classes/${id}/sessions/new`,
				(w) => w.south.classId,
			),
		],
	),
	entry(
		"POST /admin/classes/:id{[0-9]{1,12}}/sessions",
		(w) => `/admin/classes/${w.north.classId}/sessions`,
		[
			...foreignIds(
				"POST",
				(_w, id) => `/admin/classes/${id}/sessions`,
				(w) => w.south.classId,
				sessionForm,
			),
			...sessionFieldCases((w) => `/admin/classes/${w.north.classId}/sessions`),
			...formCases(
				(w) => `/admin/classes/${w.north.classId}/sessions`,
				(w) => ({ ...sessionForm(w), subject: "" }),
				"subject",
				refused(422),
			),
		],
	),
	entry("GET /admin/sessions/:id{[0-9]{1,12}}/edit", (w) => `/admin/sessions/${w.north.sessionId}/edit`, [
		...foreignIds(
			"GET",
			(_w, id) => `/admin/sessions/${id}/edit`,
			(w) => w.south.sessionId,
		),
	]),
	entry(
		"POST /admin/sessions/:id{[0-9]{1,12}}/edit",
		(w) => `/admin/sessions/${w.north.futureSessionIds[0]}/edit`,
		[
			...foreignIds(
				"POST",
				(_w, id) => `/admin/sessions/${id}/edit`,
				(w) => w.south.sessionId,
				sessionForm,
			),
			...sessionFieldCases((w) => `/admin/sessions/${w.north.futureSessionIds[0]}/edit`),
		],
	),
	entry(
		"POST /admin/sessions/:id{[0-9]{1,12}}/cancel",
		(w) => `/admin/sessions/${w.north.futureSessionIds[0]}/cancel`,
		[
			...foreignIds(
				"POST",
				(_w, id) => `/admin/sessions/${id}/cancel`,
				(w) => w.south.sessionId,
				() => ({ reason: "跨單位停課" }),
			),
			...[
				["no reason", ""],
				["a blank reason", "   "],
				["a reason of 1,001 characters", "字".repeat(1001)],
				["a reason of 201 characters", "字".repeat(201)],
				...corpus.unshowable.map((t) => [`reason: ${t.name}`, t.value]),
			].map(([name, reason]) => ({
				name: name as string,
				send: post(
					admin,
					(w) => `/admin/sessions/${w.north.futureSessionIds[0]}/cancel`,
					() => ({ reason: reason as string }),
				),
				outcome: refused(422),
			})),
			...formCases(
				(w) => `/admin/sessions/${w.north.futureSessionIds[0]}/cancel`,
				() => ({ reason: "" }),
				"reason",
				refused(422),
			),
		],
	),
	entry("GET /admin/staff", () => "/admin/staff", [
		...junkQuery(() => "/admin/staff"),
		{
			name: "a search of 101 characters",
			send: get(admin, () => `/admin/staff?q=${"字".repeat(101)}`),
			outcome: refused(400),
		},
		{
			name: "as unit staff",
			send: get(
				(w) => w.tabs.clerk,
				() => "/admin/staff",
			),
			outcome: refused(403),
		},
	]),
	entry(
		"GET /admin/staff/new",
		() => "/admin/staff/new",
		junkQuery(() => "/admin/staff/new"),
	),
	entry("POST /admin/staff", () => "/admin/staff", [
		...[
			["no name", { name: "" }, 400],
			["a name of 51 characters", { name: "長".repeat(51) }, 400],
			["a name with a control character", { name: "王\u0007明" }, 400],
			["a name with NUL", { name: "王\u0000明" }, 400],
			["no e-mail", { email: "" }, 400],

			["an e-mail with SQL", { email: "x' OR '1'='1@unit.example" }, 400],

			["a taken e-mail", { email: "north.clerk@unit.example" }, 409],
			["no role", { role: "" }, 400],
			["an unknown role", { role: "root" }, 400],
			["the agency's role", { role: "agency_admin" }, 403],
			["another unit", { unitId: "@south" }, 403],
			["a negative unit", { unitId: "-1" }, 400],
			["a full-width unit", { unitId: "１" }, 400],
			["a 13-digit unit", { unitId: "1234567890123" }, 400],
		].map(([name, over, status]) => ({
			name: name as string,
			send: (w: World) => {
				const o = over as Record<string, string>;
				return admin(w).post(
					"/admin/staff",
					staffForm(o.unitId === "@south" ? { unitId: String(w.south.unitId) } : o),
				);
			},
			outcome: refused(status as number),
			check: (_w: World, _res: Response, body: string) => {
				if (body.includes(`<script>${MARK}`)) throw new Error("the form echoes HTML unescaped");
			},
		})),
		// The address rule is deliberately plain (one @, a dotted domain): these are accounts, shown escaped.
		...[`<script>${MARK}</script>@unit.example`, "ｘ＠ｕｎｉｔ．ｅｘａｍｐｌｅ"].map((email) => ({
			name: `e-mail ${email} (accepted)`,
			send: (w: World) => admin(w).post("/admin/staff", staffForm({ email })),
			outcome: accepted,
			mayWrite: ["staff", "staff_password_tokens", "outbox", "audit_log", "emulator_log"],
		})),
		...formCases(
			() => "/admin/staff",
			() => staffForm({ name: "" }),
			"name",
			refused(400),
		),
		{
			name: "as unit staff",
			send: post(
				(w) => w.tabs.clerk,
				() => "/admin/staff",
				() => staffForm(),
			),
			outcome: refused(403),
		},
	]),
	entry("GET /admin/staff/:id{[0-9]{1,12}}", (w) => `/admin/staff/${w.north.clerkId}`, [
		...foreignIds(
			"GET",
			(_w, id) => `/admin/staff/${id}`,
			(w) => w.south.adminId,
		),
		...junkQuery((w) => `/admin/staff/${w.north.clerkId}`),
	]),
	entry(
		"POST /admin/staff/:id{[0-9]{1,12}}/password-link",
		(w) => `/admin/staff/${w.north.clerkId}/password-link`,
		[
			...foreignIds(
				"POST",
				(_w, id) => `/admin/staff/${id}/password-link`,
				(w) => w.south.adminId,
			),
		],
	),
	entry(
		"POST /admin/staff/:id{[0-9]{1,12}}/:action{disable|enable}",
		(w) => `/admin/staff/${w.north.clerkId}/disable`,
		[
			...foreignIds(
				"POST",
				(_w, id) => `/admin/staff/${id}/disable`,
				(w) => w.south.adminId,
			),
			{
				name: "an unknown action",
				send: post(
					admin,
					(w) => `/admin/staff/${w.north.clerkId}/delete`,
					() => ({}),
				),
				outcome: refused(404),
				envelope: true,
			},
			{
				name: "oneself",
				send: post(
					admin,
					(w) => `/admin/staff/${w.north.adminId}/disable`,
					() => ({}),
				),
				outcome: redirectError,
			},
		],
	),
	entry("GET /admin/settings", () => "/admin/settings", [
		...junkQuery(() => "/admin/settings", agency),
		{ name: "as a unit admin", send: get(admin, () => "/admin/settings"), outcome: refused(404) },
	]),
	entry("POST /admin/settings/plans", () => "/admin/settings/plans", [
		...[
			["no code", { code: "", name: "計畫" }],
			["a code with HTML", { code: `<script>${MARK}</script>`, name: "計畫" }],
			["a code with SQL", { code: "P'; DROP TABLE plans; --", name: "計畫" }],
			["a full-width code", { code: "ＰＬＡＮ１", name: "計畫" }],
			["a code of 33 characters", { code: "P".repeat(33), name: "計畫" }],
			["a taken code", { code: "PLAN-PRE", name: "計畫" }],
			["no name", { code: `P-${MARK}-1`, name: "" }],
			["a name of 101 characters", { code: `P-${MARK}-2`, name: "名".repeat(101) }],
			...corpus.unshowable.map((t, i) => [`name: ${t.name}`, { code: `P-${MARK}-u${i}`, name: t.value }]),
		].map(([name, form]) => ({
			name: name as string,
			send: post(
				agency,
				() => "/admin/settings/plans",
				() => form as Record<string, string>,
			),
			outcome: refused(400),
			check: (_w: World, _res: Response, body: string) => {
				if (body.includes(`<script>${MARK}`)) throw new Error("the form echoes HTML unescaped");
			},
		})),
		...formCases(
			() => "/admin/settings/plans",
			() => ({ code: "", name: "計畫" }),
			"name",
			refused(400),
			agency,
		),
		{
			name: "as a unit admin",
			send: post(
				admin,
				() => "/admin/settings/plans",
				() => ({ code: `P-${MARK}-x`, name: "計畫" }),
			),
			outcome: refused(404),
		},
	]),
	entry("GET /admin/settings/plans/:id{[0-9]{1,12}}", planPath, [
		{
			name: "a 12-digit plan",
			send: get(agency, () => "/admin/settings/plans/999999999999"),
			outcome: refused(404),
		},
		{ name: "as a unit admin", send: get(admin, planPath), outcome: refused(404) },
	]),
	entry("POST /admin/settings/plans/:id{[0-9]{1,12}}", planPath, [
		...corpus.formNumbers
			.filter((n) => n !== "0")
			.map((n) => ({
				name: `late grace ${n.slice(0, 30)}`,
				send: post(agency, planPath, () => ({ ...planForm, lateGraceMinutes: n })),
				outcome: refused(400),
			})),
		...["301", "4", "0", "-5"].map((n) => ({
			name: `QR rotation ${n} seconds`,
			send: post(agency, planPath, () => ({ ...planForm, qrRotationSeconds: n })),
			outcome: refused(400),
		})),
		...["-1", "101", "10.55", "１０", "ten", "10%%"].map((p) => ({
			name: `warning ${p}`,
			send: post(agency, planPath, () => ({ ...planForm, leaveHoursWarningPercent: p })),
			outcome: refused(400),
		})),
		{
			name: "no leave types",
			send: post(agency, planPath, () => ({ ...planForm, leaveTypes: [] })),
			outcome: refused(400),
		},
		{
			name: "an unknown leave type",
			send: post(agency, planPath, () => ({ ...planForm, leaveTypes: ["sick", "<script>"] })),
			outcome: refused(400),
		},
		{
			name: "review window shorter than backdating",
			send: post(agency, planPath, () => ({ ...planForm, reviewWindowDays: "1" })),
			outcome: refused(400),
		},
		{
			name: "a 12-digit plan",
			send: post(
				agency,
				() => "/admin/settings/plans/999999999999",
				() => planForm,
			),
			outcome: refused(404),
		},
		...formCases(
			planPath,
			() => ({ ...planForm, lateGraceMinutes: "" }),
			"lateGraceMinutes",
			refused(400),
			agency,
		),
	]),
	entry(
		"GET /admin/api/sessions/:id{[0-9]{1,12}}/qr",
		(w) => `/admin/api/sessions/${w.north.sessionId}/qr`,
		foreignIds(
			"GET",
			(_w, id) => `/admin/api/sessions/${id}/qr`,
			(w) => w.south.sessionId,
		),
	),
	entry(
		"POST /admin/api/sessions/:id{[0-9]{1,12}}/live-ticket",
		(w) => `/admin/api/sessions/${w.north.sessionId}/live-ticket`,
		foreignIds(
			"POST",
			(_w, id) => `/admin/api/sessions/${id}/live-ticket`,
			(w) => w.south.sessionId,
		),
	),
	entry(
		"POST /admin/api/sessions/:id{[0-9]{1,12}}/scan",
		(w) => `/admin/api/sessions/${w.north.sessionId}/scan`,
		[
			...jsonCases(
				scanTo,
				async (w) => ({
					action: "check_in",
					token: (await mintPersonalToken(env.QR_SIGNING_KEY, w.north.personId, "trainee", Date.now())).token,
				}),
				"token",
			),
			...["check_inn", "", "簽到"].map((action) => ({
				name: `action ${JSON.stringify(action)}`,
				send: (w: World) => scanTo(w, JSON.stringify({ action, token: "x" }), "application/json"),
				outcome: refused(400, "VALIDATION_FAILED"),
			})),
			{
				name: "a forged personal QR",
				send: (w) =>
					scanTo(w, JSON.stringify({ action: "check_in", token: "x".repeat(80) }), "application/json"),
				outcome: refused(400),
			},
			{
				name: "another unit's session",
				send: async (w) =>
					admin(w).send(`/admin/api/sessions/${w.south.sessionId}/scan`, {
						method: "POST",
						headers: { origin: ORIGIN, "content-type": "application/json" },
						body: JSON.stringify({
							action: "check_in",
							token: (await mintPersonalToken(env.QR_SIGNING_KEY, w.south.personId, "trainee", Date.now()))
								.token,
						}),
					}),
				outcome: refused(404, "NOT_FOUND"),
			},
		],
	),
	entry(
		"GET /admin/api/sessions/:id{[0-9]{1,12}}/attendance",
		(w) => `/admin/api/sessions/${w.north.sessionId}/attendance`,
		foreignIds(
			"GET",
			(_w, id) => `/admin/api/sessions/${id}/attendance`,
			(w) => w.south.sessionId,
		),
	),
];
