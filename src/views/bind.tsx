// The /bind pages (綁定LINE@帳號): mobile-first, work in LINE's in-app browser, any phone browser and
// a PC browser, without JavaScript (a small script only disables 提交 after the first tap).
import type { Child, FC } from "hono/jsx";
import { LINE_ROLE_LABELS, type LineRole } from "../domain/roles";
import type { LinkProblem } from "../services/binding";
import { PageHead } from "./page-head";

const STEPS = ["同意條款", "填寫個人資料", "選擇認證方式", "輸入驗證碼"] as const;

export const BindLayout: FC<{ title: string; step?: number; children?: Child }> = ({
	title,
	step,
	children,
}) => (
	<html lang="zh-Hant-TW">
		<PageHead
			title={`${title}｜Training LINE 身分綁定`}
			stylesheet="/css/pages.css"
			deferred="/app/bind.js"
		/>
		<body>
			<header class="top">
				<span class="brand">Training LINE</span>
				<span>勞動部勞動力發展署 職業訓練課程</span>
			</header>
			<main class="page">
				{step !== undefined && (
					<ol class="steps" aria-label="綁定步驟">
						{STEPS.map((label, i) => (
							<li
								class={i + 1 === step ? "current" : i + 1 < step ? "done" : ""}
								aria-current={i + 1 === step ? "step" : undefined}
							>
								<span class="num">{i + 1}</span>
								{label}
							</li>
						))}
					</ol>
				)}
				<h1>{title}</h1>
				{children}
			</main>
			<footer class="foot">
				{/* LINE's account-link step fails for any LINE account other than the one the link was sent to. */}
				<p>請用收到連結的 LINE 帳號開啟，在其他 LINE 帳號開啟將無法完成連動。</p>
				<p>
					遇到問題？請撥勞動力發展署客服專線 <a href="tel:0800777888">0800-777-888</a>，或聯繫您的訓練單位。
				</p>
			</footer>
		</body>
	</html>
);

const Hidden: FC<{ token: string }> = ({ token }) => <input type="hidden" name="t" value={token} />;

const Alert: FC<{ message?: string | undefined }> = ({ message }) =>
	message ? (
		<p class="alert" role="alert">
			{message}
		</p>
	) : null;

const Required = () => (
	<span class="required" aria-hidden="true">
		*
	</span>
);

export const ConsentPage: FC<{ token: string; role: LineRole; message?: string }> = ({
	token,
	role,
	message,
}) => (
	<BindLayout title="個資使用聲明及相關條款" step={1}>
		<p class="lead">您正在綁定【{LINE_ROLE_LABELS[role]}】身分。請先閱讀並同意以下聲明。</p>
		<Alert message={message} />
		<section class="terms" aria-label="個資使用聲明內容">
			<p>
				勞動部勞動力發展署（以下簡稱本署）為辦理職業訓練課程之學員與教師身分確認、線上請假、簽到退及出勤管理，依個人資料保護法第
				8 條規定告知下列事項：
			</p>
			<ol>
				<li>蒐集目的：職業訓練、教育或訓練行政、身分確認及聯繫服務。</li>
				<li>
					個人資料類別：姓名、身分證統一編號或居留證號、出生日期、手機號碼、電子郵件、LINE
					使用者識別碼、出缺勤與請假紀錄。
				</li>
				<li>
					利用期間、地區及對象：於訓練期間及相關法令規定之保存期間內，在我國境內，由本署及您參訓之訓練單位利用。
				</li>
				<li>利用方式：以電子方式處理；身分證號僅以不可回復的方式加密比對，畫面一律遮罩顯示。</li>
				<li>
					您可依個人資料保護法第 3
					條行使查詢、閱覽、補充更正、停止利用或刪除等權利；您可隨時於【學員專區】或【教師專區】解除綁定。
				</li>
				<li>
					您可自由選擇是否提供；若不同意，將無法使用 Training LINE
					線上請假與簽到退服務，請洽訓練單位以紙本辦理。
				</li>
			</ol>
		</section>
		<form method="post" action="/bind/consent" class="form" data-once>
			<Hidden token={token} />
			<label class="check">
				<input type="checkbox" name="agree" value="yes" required />
				我已閱讀並同意【個資使用聲明及相關條款】
				<Required />
			</label>
			<button type="submit" class="primary">
				同意並繼續
			</button>
		</form>
	</BindLayout>
);

export type IdentityValues = { name?: string; birthDate?: string };

export const IdentityPage: FC<{
	token: string;
	role: LineRole;
	values?: IdentityValues;
	fields?: Partial<Record<string, string>>;
	message?: string;
}> = ({ token, role, values = {}, fields = {}, message }) => (
	<BindLayout title="身分認證" step={2}>
		<p class="lead">
			請填寫訓練單位名冊上的資料（【{LINE_ROLE_LABELS[role]}】身分），標示 <span class="required">*</span>{" "}
			為必填。
		</p>
		<Alert message={message} />
		<form method="post" action="/bind/identity" class="form" data-once novalidate>
			<Hidden token={token} />
			<label for="name">
				姓名 <Required />
			</label>
			<input
				id="name"
				name="name"
				autocomplete="name"
				required
				maxlength={50}
				value={values.name ?? ""}
				aria-invalid={fields.name ? "true" : undefined}
			/>
			{fields.name && <p class="field-error">{fields.name}</p>}

			<label for="nationalId">
				身分證字號或居留證號 <Required />
			</label>
			<input
				id="nationalId"
				name="nationalId"
				autocomplete="off"
				autocapitalize="characters"
				required
				maxlength={20}
				placeholder="例：A123456789"
				aria-invalid={fields.nationalId ? "true" : undefined}
			/>
			{fields.nationalId && <p class="field-error">{fields.nationalId}</p>}

			<label for="birthDate">
				出生日期 <Required />
			</label>
			<input
				id="birthDate"
				name="birthDate"
				required
				maxlength={20}
				inputmode="numeric"
				placeholder="西元 1990-05-25 或民國 79/05/25"
				value={values.birthDate ?? ""}
				aria-invalid={fields.birthDate ? "true" : undefined}
			/>
			{fields.birthDate && <p class="field-error">{fields.birthDate}</p>}

			<button type="submit" class="primary">
				下一步
			</button>
		</form>
	</BindLayout>
);

export const ContactPage: FC<{
	token: string;
	phoneHint: string | null;
	emailHint: string | null;
	channel?: string;
	value?: string;
	fieldError?: string;
	message?: string;
}> = ({ token, phoneHint, emailHint, channel, value, fieldError, message }) => {
	const selected = channel ?? (phoneHint ? "sms" : "email");
	return (
		<BindLayout title="選擇認證方式" step={3}>
			<p class="lead">
				請擇一填寫訓練單位名冊上的連絡電話或聯絡信箱，我們會寄送 6 位數驗證碼。資料務必輸入正確。
			</p>
			<Alert message={message} />
			{!phoneHint && !emailHint ? (
				<p class="alert">名冊上沒有您的手機或電子郵件，請聯繫訓練單位補登後，再重新領取綁定連結。</p>
			) : (
				<form method="post" action="/bind/contact" class="form" data-once novalidate>
					<Hidden token={token} />
					<fieldset>
						<legend>
							認證方式 <Required />
						</legend>
						{phoneHint && (
							<label class="check">
								<input type="radio" name="channel" value="sms" checked={selected === "sms"} />
								手機簡訊（名冊：{phoneHint}）
							</label>
						)}
						{emailHint && (
							<label class="check">
								<input type="radio" name="channel" value="email" checked={selected === "email"} />
								電子郵件（名冊：{emailHint}）
							</label>
						)}
					</fieldset>
					<label for="value">
						完整手機號碼或電子郵件 <Required />
					</label>
					<input
						id="value"
						name="value"
						required
						maxlength={254}
						autocomplete="off"
						value={value ?? ""}
						aria-invalid={fieldError ? "true" : undefined}
					/>
					{fieldError && <p class="field-error">{fieldError}</p>}
					<button type="submit" class="primary">
						寄送驗證碼
					</button>
				</form>
			)}
		</BindLayout>
	);
};

export const CodePage: FC<{
	token: string;
	destination: string;
	resendInSeconds: number;
	message?: string;
}> = ({ token, destination, resendInSeconds, message }) => (
	<BindLayout title="輸入驗證碼" step={4}>
		<p class="lead">驗證碼已寄到 {destination}，10 分鐘內有效。輸入後按「提交」即可完成認證。</p>
		<Alert message={message} />
		<form method="post" action="/bind/code" class="form" data-once novalidate>
			<Hidden token={token} />
			<label for="code">
				6 位數驗證碼 <Required />
			</label>
			<input
				id="code"
				name="code"
				required
				inputmode="numeric"
				autocomplete="one-time-code"
				maxlength={6}
				pattern="[0-9]{6}"
				class="code"
			/>
			<button type="submit" class="primary">
				提交
			</button>
			<p class="hint">「提交」只需按一次，送出後請稍候。</p>
		</form>
		<div class="secondary-actions">
			<form method="post" action="/bind/resend" data-once>
				<Hidden token={token} />
				<button
					type="submit"
					class="link"
					data-wait={resendInSeconds > 0 ? String(resendInSeconds) : undefined}
				>
					{resendInSeconds > 0 ? `重新寄送驗證碼（${resendInSeconds} 秒後可按）` : "重新寄送驗證碼"}
				</button>
			</form>
			<form method="post" action="/bind/change-method" data-once>
				<Hidden token={token} />
				<button type="submit" class="link">
					改用另一種方式
				</button>
			</form>
		</div>
	</BindLayout>
);

export const LinkPage: FC<{ token: string; message?: string }> = ({ token, message }) => (
	<BindLayout title="前往 LINE 完成連動" step={4}>
		<p class="lead">身分已確認。最後一步：在 LINE 的畫面同意連動。</p>
		<Alert message={message} />
		<form method="post" action="/bind/link" class="form" data-once>
			<Hidden token={token} />
			<button type="submit" class="primary">
				前往 LINE 完成連動
			</button>
		</form>
	</BindLayout>
);

const NEW_LINK = "請回到 Training LINE 聊天室，點選下方選單「身分認證」→「綁定帳號」重新領取連結。";

const PROBLEMS: Record<LinkProblem | "NOT_ON_ROSTER" | "NO_COOKIES", { title: string; body: string[] }> = {
	EXPIRED: { title: "綁定連結已過期", body: ["每個綁定連結只在 10 分鐘內有效，需一次完成綁定。", NEW_LINK] },
	USED: {
		title: "這個綁定連結已使用過",
		body: ["這個連結已完成綁定，不能再使用。若要綁定另一個身分或重新綁定，", NEW_LINK],
	},
	VOIDED: {
		title: "這個綁定連結已失效",
		body: ["您後來又領取了新的綁定連結，舊連結因此失效。請改用最新收到的連結，或", NEW_LINK],
	},
	INVALID: {
		title: "綁定連結無法使用",
		body: ["連結不完整或不正確。請務必使用 Training LINE 傳給您的連結，不要手動輸入或修改網址。", NEW_LINK],
	},
	LOCKED: {
		title: "嘗試次數過多",
		body: [
			"為保護您的個人資料，這個連結已停止使用。請確認訓練單位名冊上的資料後，",
			NEW_LINK,
			"若資料有誤，請聯繫訓練單位更正。",
		],
	},
	LOCKED_TODAY: {
		title: "今天的嘗試次數已用完",
		body: [
			"為保護您的個人資料，今天已停止這個 LINE 帳號的身分認證，明天起可以重新領取連結再試。",
			"請先確認訓練單位名冊上的姓名、身分證字號與出生日期；若資料有誤，請聯繫訓練單位更正。",
		],
	},
	NOT_ON_ROSTER: {
		title: "查無您的名冊資料",
		body: [
			"您填寫的資料正確，但名冊中沒有您這個身分的紀錄（例如選了教師，但名冊上您是學員）。",
			"請確認選擇的身分後重新領取連結，或聯繫訓練單位確認名冊。",
		],
	},
	NO_COOKIES: {
		title: "瀏覽器無法保存綁定進度",
		body: [
			"您的瀏覽器可能停用了 Cookie，或正在使用無痕視窗／私密瀏覽模式。",
			"請將瀏覽器切換為【一般模式】，或複製連結改用其他瀏覽器開啟；若仍無法繼續，",
			NEW_LINK,
		],
	},
};

export type ProblemKind = keyof typeof PROBLEMS;

export const ProblemPage: FC<{ problem: ProblemKind }> = ({ problem }) => {
	const { title, body } = PROBLEMS[problem];
	return (
		<BindLayout title={title}>
			<div class="problem" data-problem={problem}>
				{body.map((line) => (
					<p>{line}</p>
				))}
			</div>
		</BindLayout>
	);
};
