// Account binding (綁定LINE@帳號) from the one-time link to LINE's account-link dialog:
// consent → identity matched against the roster → phone or e-mail that matches the roster →
// one-time code → nonce for the account-link dialog. The link is consumed only when the
// accountLink event completes the binding (see account-link.ts).
import { and, desc, eq, exists, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { bindingRequests, classTeachers, enrollments, otpChallenges, people, sessions } from "../db/schema";
import { maskEmail, normalizeEmail } from "../domain/email";
import { parseNationalId } from "../domain/national-id";
import { normalizePersonName } from "../domain/person-name";
import { maskTaiwanMobile, normalizeTaiwanMobile } from "../domain/phone";
import { parseDateInput } from "../domain/roc-date";
import type { LineRole } from "../domain/roles";
import { taipeiDate, taipeiInstant } from "../domain/taipei-time";
import type { LineApi } from "../line/line-api";
import { log } from "../log";
import { releaseCodeSend, reserveCodeSend } from "./binding-send-limits";
import { verifyBindingToken } from "./binding-token";
import type { CodeChannel, CodeSender } from "./code-senders";
import {
	CODE_MAX_TRIES,
	CODE_RESEND_AFTER_MS,
	CODE_TTL_MS,
	generateCode,
	hashCode,
	sameDigest,
} from "./one-time-code";
import { keyedHash, nationalIdHmac } from "./pii";
import { randomToken } from "./random";

/** Identity or contact answers that do not match the roster: after this many the link is locked. */
export const MAX_FAILED_ATTEMPTS = 5;
/** Wrong answers one LINE user may give in a Taipei day over all their links: a new link is one tap away. */
export const MAX_DAILY_FAILED_ATTEMPTS = 10;

export type BindingDeps = {
	db: Db;
	now: number;
	piiKey: string;
	bindingTokenKey: string;
	sendCode: CodeSender;
	line: LineApi;
	lineAccessBase: string;
};

export type BindingRequest = typeof bindingRequests.$inferSelect;
export type Challenge = typeof otpChallenges.$inferSelect;

/** Why a link cannot be used; each has its own page. */
export type LinkProblem = "INVALID" | "EXPIRED" | "USED" | "VOIDED" | "LOCKED" | "LOCKED_TODAY";

export type Step =
	| { step: "consent" }
	| { step: "identity" }
	| { step: "contact"; phoneHint: string | null; emailHint: string | null }
	| { step: "code"; challenge: Challenge; resendAt: number }
	| { step: "link" };

export type OpenRequest = { ok: true; request: BindingRequest } | { ok: false; problem: LinkProblem };

/** Resolves the link's token to a request that can still be used (opening it never uses it up). */
export async function openRequest(deps: BindingDeps, token: string): Promise<OpenRequest> {
	const check = await verifyBindingToken(deps.bindingTokenKey, token, deps.now);
	if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "EXPIRED" : "INVALID" };
	const request = await deps.db
		.select()
		.from(bindingRequests)
		.where(eq(bindingRequests.id, check.requestId))
		.get();
	if (!request) return { ok: false, problem: "INVALID" };
	if (request.usedAt) return { ok: false, problem: "USED" };
	if (request.voidedAt) return { ok: false, problem: "VOIDED" };
	if (request.expiresAt <= deps.now) return { ok: false, problem: "EXPIRED" };
	if (request.failedAttempts >= MAX_FAILED_ATTEMPTS) return { ok: false, problem: "LOCKED" };
	const today = await deps.db
		.select({ failed: sql<number>`COALESCE(SUM(${bindingRequests.failedAttempts}), 0)` })
		.from(bindingRequests)
		.where(
			and(
				eq(bindingRequests.lineUserId, request.lineUserId),
				gte(bindingRequests.createdAt, taipeiInstant(taipeiDate(deps.now))),
			),
		)
		.get();
	if ((today?.failed ?? 0) >= MAX_DAILY_FAILED_ATTEMPTS) return { ok: false, problem: "LOCKED_TODAY" };
	return { ok: true, request };
}

async function latestChallenge(db: Db, requestId: string): Promise<Challenge | undefined> {
	return db
		.select()
		.from(otpChallenges)
		.where(eq(otpChallenges.bindingRequestId, requestId))
		.orderBy(desc(otpChallenges.createdAt))
		.get();
}

/** Where the person is in the flow, from what the request already holds. */
export async function currentStep(deps: BindingDeps, request: BindingRequest): Promise<Step> {
	if (!request.consentedAt) return { step: "consent" };
	if (!request.personId) return { step: "identity" };
	if (request.verifiedAt) return { step: "link" };
	const challenge = await latestChallenge(deps.db, request.id);
	if (
		challenge &&
		challenge.expiresAt > deps.now &&
		challenge.attempts < CODE_MAX_TRIES &&
		!challenge.verifiedAt
	) {
		return { step: "code", challenge, resendAt: challenge.createdAt + CODE_RESEND_AFTER_MS };
	}
	const person = await deps.db.select().from(people).where(eq(people.id, request.personId)).get();
	return {
		step: "contact",
		phoneHint: person?.phone ? maskTaiwanMobile(person.phone) : null,
		emailHint: person?.email ? maskEmail(person.email) : null,
	};
}

export async function recordConsent(deps: BindingDeps, request: BindingRequest): Promise<void> {
	await deps.db
		.update(bindingRequests)
		.set({ consentedAt: deps.now })
		.where(and(eq(bindingRequests.id, request.id), isNull(bindingRequests.consentedAt)));
}

export type FieldErrors = Partial<Record<string, string>>;
export type StepResult =
	| { ok: true }
	| { ok: false; fields?: FieldErrors; message?: string; problem?: LinkProblem | "NOT_ON_ROSTER" };

/** Adds one failed try to the link and returns the new count. */
async function addFailure(deps: BindingDeps, request: BindingRequest): Promise<number> {
	const row = await deps.db
		.update(bindingRequests)
		.set({ failedAttempts: sql`${bindingRequests.failedAttempts} + 1` })
		.where(eq(bindingRequests.id, request.id))
		.returning({ failedAttempts: bindingRequests.failedAttempts })
		.get();
	return row?.failedAttempts ?? MAX_FAILED_ATTEMPTS;
}

/** Counts a wrong answer; the link locks at MAX_FAILED_ATTEMPTS. */
async function countFailure(deps: BindingDeps, request: BindingRequest, what: string): Promise<StepResult> {
	const failed = await addFailure(deps, request);
	log.warn("binding_mismatch", { requestId: request.id, what, failedAttempts: failed });
	if (failed >= MAX_FAILED_ATTEMPTS) return { ok: false, problem: "LOCKED" };
	return {
		ok: false,
		message: `填寫的資料與訓練單位名冊不符，請確認後再試（還可以再試 ${MAX_FAILED_ATTEMPTS - failed} 次）。`,
	};
}

/** Whether the person holds the role on any roster: an active trainee, or a teacher of a class or session. */
async function isOnRoster(db: Db, personId: number, role: LineRole): Promise<boolean> {
	if (role === "trainee") {
		const row = await db
			.select({ id: enrollments.id })
			.from(enrollments)
			.where(and(eq(enrollments.personId, personId), eq(enrollments.status, "active")))
			.get();
		return !!row;
	}
	const teaches = await db
		.select({ one: sql`1` })
		.from(people)
		.where(
			and(
				eq(people.id, personId),
				or(
					exists(db.select({ one: sql`1` }).from(classTeachers).where(eq(classTeachers.personId, personId))),
					exists(db.select({ one: sql`1` }).from(sessions).where(eq(sessions.teacherPersonId, personId))),
				),
			),
		)
		.get();
	return !!teaches;
}

export type IdentityInput = { name: string; nationalId: string; birthDate: string };

/**
 * Matches 姓名, 身分證字號/居留證號 and 出生日期 against the roster. Input errors (a checksum, a date
 * that does not exist) are told per field; a mismatch never says which field differed.
 */
export async function verifyIdentity(
	deps: BindingDeps,
	request: BindingRequest,
	input: IdentityInput,
): Promise<StepResult> {
	const fields: FieldErrors = {};
	const name = normalizePersonName(input.name);
	const id = parseNationalId(input.nationalId);
	const birth = parseDateInput(input.birthDate);
	if (!name.ok) fields.name = name.message;
	if (!id.ok) fields.nationalId = id.message;
	if (!birth.ok) fields.birthDate = birth.message;
	if (!name.ok || !id.ok || !birth.ok) return { ok: false, fields };

	const person = await deps.db
		.select()
		.from(people)
		.where(eq(people.nationalIdHmac, await nationalIdHmac(deps.piiKey, id.value.value)))
		.get();
	// Spacing is how people type, not who they are: "王 小明" is "王小明".
	const comparable = (text: string) => text.replace(/[\s\u3000]/g, "");
	const sameName = person !== undefined && comparable(person.name) === comparable(name.value);
	if (!person || !sameName || person.birthDate !== birth.value)
		return countFailure(deps, request, "identity");
	if (!(await isOnRoster(deps.db, person.id, request.role))) {
		// Counted like a mismatch: otherwise the link could test, try after try, who is in the roster.
		const failed = await addFailure(deps, request);
		log.warn("binding_not_on_roster", { requestId: request.id, role: request.role, failedAttempts: failed });
		return { ok: false, problem: failed >= MAX_FAILED_ATTEMPTS ? "LOCKED" : "NOT_ON_ROSTER" };
	}
	await deps.db
		.update(bindingRequests)
		.set({ personId: person.id })
		.where(eq(bindingRequests.id, request.id));
	return { ok: true };
}

export type ContactInput = { channel: CodeChannel; value: string };

/**
 * Checks the phone or e-mail against the roster, applies the send limits (cool-down and daily
 * counts per destination, daily count per LINE user; see binding-send-limits.ts) and sends a new code.
 */
export async function sendCode(
	deps: BindingDeps,
	request: BindingRequest,
	input: ContactInput,
): Promise<StepResult> {
	const { db, now } = deps;
	const normalized =
		input.channel === "sms" ? normalizeTaiwanMobile(input.value) : normalizeEmail(input.value);
	if (!normalized.ok) return { ok: false, fields: { value: normalized.message } };
	const person = request.personId
		? await db.select().from(people).where(eq(people.id, request.personId)).get()
		: undefined;
	if (!person) return { ok: false, problem: "INVALID" };
	const onRoster = input.channel === "sms" ? person.phone : person.email;
	if (!onRoster || onRoster !== normalized.value) return countFailure(deps, request, "contact");

	const code = generateCode();
	const challengeId = randomToken();
	const reserved = await reserveCodeSend(
		db,
		request.lineUserId,
		{
			id: challengeId,
			bindingRequestId: request.id,
			channel: input.channel,
			destinationHmac: await keyedHash(deps.piiKey, "otp-destination", normalized.value),
			destinationMasked:
				input.channel === "sms" ? maskTaiwanMobile(normalized.value) : maskEmail(normalized.value),
			codeHash: await hashCode(deps.piiKey, challengeId, code),
			expiresAt: now + CODE_TTL_MS,
			createdAt: now,
		},
		now,
	);
	if (!reserved.ok && reserved.reason === "cool_down") {
		return { ok: false, message: `驗證碼剛寄出，請在 ${reserved.retryInSeconds} 秒後再重新寄送。` };
	}
	if (!reserved.ok) {
		log.warn("binding_code_limit", { requestId: request.id, channel: input.channel });
		return { ok: false, message: "今天寄送驗證碼的次數已達上限，請明天再試，或改用另一種方式。" };
	}

	const sent = await deps.sendCode({
		channel: input.channel,
		to: normalized.value,
		code,
		validMinutes: CODE_TTL_MS / 60_000,
	});
	if (!sent.ok) {
		// The reservation is given back: the failed send costs the person neither a try nor a send of the day.
		await releaseCodeSend(db, challengeId);
		return { ok: false, message: "簡訊/郵件暫時無法寄出，請稍後再試或改用另一種方式。" };
	}
	return { ok: true };
}

/** 重新寄送: a new code to the same channel, whose address is the roster's (it matched before). */
export async function resendCode(deps: BindingDeps, request: BindingRequest): Promise<StepResult> {
	const last = await latestChallenge(deps.db, request.id);
	const person = request.personId
		? await deps.db.select().from(people).where(eq(people.id, request.personId)).get()
		: undefined;
	const value = last?.channel === "sms" ? person?.phone : person?.email;
	if (!last || !value) return { ok: false, message: "請重新選擇認證方式。" };
	return sendCode(deps, request, { channel: last.channel, value });
}

/** Forgets the current code so the person can pick the other way (手機 ↔ 電子郵件). */
export async function abandonCode(deps: BindingDeps, request: BindingRequest): Promise<void> {
	await deps.db
		.update(otpChallenges)
		.set({ expiresAt: deps.now })
		.where(and(eq(otpChallenges.bindingRequestId, request.id), isNull(otpChallenges.verifiedAt)));
}

export type CodeResult =
	| { ok: true; dialogUrl: string }
	| { ok: false; message: string; problem?: LinkProblem };

/**
 * Checks the code. A second submit of the same correct code (a double tap on 提交) lands on the
 * same account-link dialog: the nonce is issued once per request and then reused.
 */
export async function confirmCode(
	deps: BindingDeps,
	request: BindingRequest,
	code: string,
): Promise<CodeResult> {
	const { db, now } = deps;
	if (!request.verifiedAt) {
		const challenge = await latestChallenge(db, request.id);
		if (!challenge || challenge.expiresAt <= now)
			return { ok: false, message: "驗證碼已過期，請重新寄送驗證碼。" };
		// The try is taken before the code is compared, in one conditional statement: parallel guesses
		// cannot all pass a "fewer than five" check that was read before any of them counted.
		const tried = await db
			.update(otpChallenges)
			.set({ attempts: sql`${otpChallenges.attempts} + 1` })
			.where(and(eq(otpChallenges.id, challenge.id), lt(otpChallenges.attempts, CODE_MAX_TRIES)))
			.returning({ attempts: otpChallenges.attempts })
			.get();
		if (!tried) return { ok: false, message: "驗證碼錯誤次數過多，請重新寄送驗證碼。" };
		const digits = code.replace(/\s/g, "");
		const matches =
			/^\d{6}$/.test(digits) &&
			sameDigest(await hashCode(deps.piiKey, challenge.id, digits), challenge.codeHash);
		if (!matches) {
			const left = CODE_MAX_TRIES - tried.attempts;
			log.warn("binding_code_wrong", { requestId: request.id, attemptsLeft: left });
			return {
				ok: false,
				message:
					left > 0
						? `驗證碼不正確，請再試一次（還可以再試 ${left} 次）。`
						: "驗證碼錯誤次數過多，請重新寄送驗證碼。",
			};
		}
		await db.batch([
			db.update(otpChallenges).set({ verifiedAt: now }).where(eq(otpChallenges.id, challenge.id)),
			db.update(bindingRequests).set({ verifiedAt: now }).where(eq(bindingRequests.id, request.id)),
		]);
	}
	return accountLinkDialog(deps, request);
}

/**
 * The URL of LINE's account-link dialog for this request. A fresh LINE link token and a nonce
 * (192 random bits) are issued once and stored; concurrent submits end up with the stored pair.
 */
export async function accountLinkDialog(deps: BindingDeps, request: BindingRequest): Promise<CodeResult> {
	const { db, now } = deps;
	const stored = await db.select().from(bindingRequests).where(eq(bindingRequests.id, request.id)).get();
	let pair = stored?.nonce && stored.linkToken && (stored.nonceExpiresAt ?? 0) > now ? stored : null;
	if (!pair) {
		let linkToken: string;
		try {
			// LINE's link tokens live 10 minutes: a fresh one for the dialog that opens now.
			linkToken = await deps.line.issueLinkToken(request.lineUserId);
		} catch (err) {
			log.warn("binding_link_token_failed", { requestId: request.id, error: String(err) });
			return { ok: false, message: "暫時無法連線到 LINE，請稍後再按一次「前往 LINE 完成連動」。" };
		}
		await db
			.update(bindingRequests)
			.set({ nonce: randomToken(24), nonceExpiresAt: now + CODE_TTL_MS, linkToken })
			.where(
				and(
					eq(bindingRequests.id, request.id),
					or(isNull(bindingRequests.nonce), sql`${bindingRequests.nonceExpiresAt} <= ${now}`),
				),
			);
		pair = (await db.select().from(bindingRequests).where(eq(bindingRequests.id, request.id)).get()) ?? null;
	}
	if (!pair?.nonce || !pair.linkToken) return { ok: false, message: "暫時無法連線到 LINE，請稍後再試。" };
	const url = new URL("/dialog/bot/accountLink", deps.lineAccessBase);
	url.searchParams.set("linkToken", pair.linkToken);
	url.searchParams.set("nonce", pair.nonce);
	return { ok: true, dialogUrl: url.toString() };
}
