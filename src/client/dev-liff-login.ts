// Development LINE Login: remembers the chosen demo LINE user (cookie) and returns to the LIFF page.
// With a user already chosen (the emulator chat sets it) it continues at once, as LINE does.
const page = document.getElementById("login") as HTMLElement;
const redirect = page.dataset.redirect ?? "/";

function signIn(userId: string): void {
	// biome-ignore lint/suspicious/noDocumentCookie: development tool; the Cookie Store API is missing in older browsers
	document.cookie = `tl_dev_user=${userId}; path=/; SameSite=Lax; max-age=86400`;
	location.replace(redirect);
}

for (const button of page.querySelectorAll<HTMLButtonElement>("button[data-user-id]")) {
	button.addEventListener("click", () => signIn(button.dataset.userId ?? ""));
}
if (page.dataset.current) signIn(page.dataset.current);
