// /bind — the binding pages. GET only shows the current step (a link preview uses nothing up);
// each POST does one step and redirects back (PRG), or shows the step again with the reason.
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { bindingDeps } from "../deps";
import { type AppEnv, settingsOf } from "../env";
import {
	abandonCode,
	accountLinkDialog,
	type BindingDeps,
	type BindingRequest,
	confirmCode,
	currentStep,
	type LinkProblem,
	openRequest,
	recordConsent,
	resendCode,
	type Step,
	sendCode,
	verifyIdentity,
} from "../services/binding";
import { keyedHash } from "../services/pii";
import {
	CodePage,
	ConsentPage,
	ContactPage,
	IdentityPage,
	LinkPage,
	type ProblemKind,
	ProblemPage,
} from "../views/bind";
import { htmlDocument } from "../views/document";

type BindContext = Context<AppEnv>;

const COOKIE = "tl_bind";
const token = z.string().min(10).max(2000);

const PROBLEM_STATUS: Record<ProblemKind, ContentfulStatusCode> = {
	EXPIRED: 410,
	USED: 410,
	VOIDED: 410,
	INVALID: 400,
	LOCKED: 429,
	LOCKED_TODAY: 429,
	NOT_ON_ROSTER: 403,
	NO_COOKIES: 400,
};

const render = (c: BindContext, page: unknown, status: ContentfulStatusCode = 200) => {
	c.header("Cache-Control", "no-store");
	return c.html(htmlDocument(page), status);
};
const problem = (c: BindContext, kind: ProblemKind) =>
	render(c, <ProblemPage problem={kind} />, PROBLEM_STATUS[kind]);
const backToStep = (c: BindContext, t: string) => c.redirect(`/bind?t=${encodeURIComponent(t)}`, 303);

/** The browser's proof that it opened this link (and that it keeps cookies at all). */
const browserMark = (deps: BindingDeps, request: BindingRequest) =>
	keyedHash(deps.bindingTokenKey, "bind-browser", request.id);

function renderStep(c: BindContext, t: string, request: BindingRequest, step: Step, message?: string) {
	const status: ContentfulStatusCode = message ? 400 : 200;
	switch (step.step) {
		case "consent":
			return render(c, <ConsentPage token={t} role={request.role} message={message} />, status);
		case "identity":
			return render(c, <IdentityPage token={t} role={request.role} message={message} />, status);
		case "contact":
			return render(
				c,
				<ContactPage token={t} phoneHint={step.phoneHint} emailHint={step.emailHint} message={message} />,
				status,
			);
		case "code":
			return render(
				c,
				<CodePage
					token={t}
					destination={step.challenge.destinationMasked}
					resendInSeconds={Math.max(0, Math.ceil((step.resendAt - Date.now()) / 1000))}
					message={message}
				/>,
				status,
			);
		case "link":
			return render(c, <LinkPage token={t} message={message} />, status);
	}
}

type Opened = { deps: BindingDeps; t: string; request: BindingRequest; step: Step };

/** Every POST: a valid form with the link's token, an open request, and this browser's cookie. */
async function openForPost(c: BindContext): Promise<Opened | Response> {
	const form = await c.req.parseBody();
	const t = token.safeParse(form.t);
	if (!t.success) return problem(c, "INVALID");
	const deps = bindingDeps(c.env, Date.now());
	const opened = await openRequest(deps, t.data);
	if (!opened.ok) return problem(c, opened.problem);
	if (getCookie(c, COOKIE) !== (await browserMark(deps, opened.request))) return problem(c, "NO_COOKIES");
	return { deps, t: t.data, request: opened.request, step: await currentStep(deps, opened.request) };
}

const field = (form: Record<string, unknown>, name: string, max: number) => {
	const value = form[name];
	return typeof value === "string" ? value.slice(0, max) : "";
};

export const bindRoutes = new Hono<AppEnv>()
	.get("/bind", async (c) => {
		const t = token.safeParse(c.req.query("t"));
		if (!t.success) return problem(c, "INVALID");
		const deps = bindingDeps(c.env, Date.now());
		const opened = await openRequest(deps, t.data);
		if (!opened.ok) return problem(c, opened.problem);
		setCookie(c, COOKIE, await browserMark(deps, opened.request), {
			path: "/bind",
			httpOnly: true,
			secure: !settingsOf(c.env).isDevelopment,
			sameSite: "Lax",
			maxAge: 15 * 60,
		});
		return renderStep(c, t.data, opened.request, await currentStep(deps, opened.request));
	})
	.post("/bind/consent", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step !== "consent") return backToStep(c, opened.t);
		const form = await c.req.parseBody();
		if (form.agree !== "yes") {
			return renderStep(c, opened.t, opened.request, opened.step, "請勾選「我已閱讀並同意」後再繼續。");
		}
		await recordConsent(opened.deps, opened.request);
		return backToStep(c, opened.t);
	})
	.post("/bind/identity", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step !== "identity") return backToStep(c, opened.t);
		const form = await c.req.parseBody();
		const input = {
			name: field(form, "name", 100),
			nationalId: field(form, "nationalId", 40),
			birthDate: field(form, "birthDate", 40),
		};
		const result = await verifyIdentity(opened.deps, opened.request, input);
		if (result.ok) return backToStep(c, opened.t);
		if (result.problem) return problem(c, result.problem);
		return render(
			c,
			<IdentityPage
				token={opened.t}
				role={opened.request.role}
				values={{ name: input.name, birthDate: input.birthDate }}
				fields={result.fields}
				message={result.message ?? "請修正標示的欄位。"}
			/>,
			400,
		);
	})
	.post("/bind/contact", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step !== "contact") return backToStep(c, opened.t);
		const form = await c.req.parseBody();
		const channel = form.channel === "sms" || form.channel === "email" ? form.channel : null;
		const value = field(form, "value", 300);
		const result = channel ? await sendCode(opened.deps, opened.request, { channel, value }) : null;
		if (result?.ok) return backToStep(c, opened.t);
		if (result?.problem) return problem(c, result.problem as LinkProblem);
		return render(
			c,
			<ContactPage
				token={opened.t}
				phoneHint={opened.step.phoneHint}
				emailHint={opened.step.emailHint}
				channel={channel ?? undefined}
				value={value}
				fieldError={result?.fields?.value}
				message={result?.message ?? (channel ? "請修正標示的欄位。" : "請選擇手機簡訊或電子郵件。")}
			/>,
			400,
		);
	})
	.post("/bind/resend", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step !== "code") return backToStep(c, opened.t);
		const result = await resendCode(opened.deps, opened.request);
		if (result.ok) return backToStep(c, opened.t);
		if (result.problem) return problem(c, result.problem as LinkProblem);
		return renderStep(c, opened.t, opened.request, opened.step, result.message);
	})
	.post("/bind/change-method", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step === "code") await abandonCode(opened.deps, opened.request);
		return backToStep(c, opened.t);
	})
	.post("/bind/code", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		// "link" too: a second tap on 提交 after the first succeeded lands on the same dialog.
		if (opened.step.step !== "code" && opened.step.step !== "link") return backToStep(c, opened.t);
		const form = await c.req.parseBody();
		const result = await confirmCode(opened.deps, opened.request, field(form, "code", 20));
		if (result.ok) return c.redirect(result.dialogUrl, 303);
		const step = await currentStep(opened.deps, opened.request);
		return renderStep(c, opened.t, opened.request, step, result.message);
	})
	.post("/bind/link", async (c) => {
		const opened = await openForPost(c);
		if (opened instanceof Response) return opened;
		if (opened.step.step !== "link") return backToStep(c, opened.t);
		const result = await accountLinkDialog(opened.deps, opened.request);
		if (result.ok) return c.redirect(result.dialogUrl, 303);
		return renderStep(c, opened.t, opened.request, opened.step, result.message);
	});
