// /bind pages: a form marked data-once disables its buttons after the first submit (the manual:
// 「提交」鈕請勿連續點擊), and a resend button waits out its cool-down before it can be pressed.

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-once]")) {
	form.addEventListener("submit", () => {
		for (const button of form.querySelectorAll<HTMLButtonElement>("button[type=submit]")) {
			// Disabled in the next tick, so the pressed button's own name/value is still submitted.
			setTimeout(() => {
				button.disabled = true;
				button.dataset.label = button.textContent ?? "";
				button.textContent = "處理中，請稍候…";
			}, 0);
		}
	});
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-wait]")) {
	let seconds = Number(button.dataset.wait);
	const label = "重新寄送驗證碼";
	button.disabled = true;
	const tick = () => {
		seconds -= 1;
		if (seconds <= 0) {
			button.disabled = false;
			button.textContent = label;
			return;
		}
		button.textContent = `${label}（${seconds} 秒後可按）`;
		setTimeout(tick, 1000);
	};
	setTimeout(tick, 1000);
}

// Back from a completed step (bfcache): buttons disabled by the submit above come back usable.
window.addEventListener("pageshow", (event) => {
	if (!event.persisted) return;
	for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-label]")) {
		button.disabled = false;
		button.textContent = button.dataset.label ?? button.textContent;
	}
});
