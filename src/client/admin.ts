// Dashboard enhancements (the pages work without them): select-all boxes and confirm dialogs.

for (const box of document.querySelectorAll<HTMLInputElement>("input[data-select-all]")) {
	box.addEventListener("change", () => {
		const name = box.dataset.selectAll ?? "";
		for (const item of document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`))
			item.checked = box.checked;
	});
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-confirm]")) {
	button.addEventListener("click", (event) => {
		if (!confirm(button.dataset.confirm ?? "確定嗎？")) event.preventDefault();
	});
}
