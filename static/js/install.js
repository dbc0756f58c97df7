/* Installing the app: the "Install app" button where the browser offers it, and
 * on iOS (no prompt there) a hint to use Share, then Add to Home Screen. */

export function startInstall() {
  const button = document.getElementById("install-app");
  const iosHint = document.getElementById("ios-install");
  let installPrompt = null;

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    installPrompt = event;
    if (button) button.hidden = false;
    if (iosHint) iosHint.hidden = true;
  });
  if (button) button.addEventListener("click", () => {
    if (!installPrompt) return;
    const prompt = installPrompt;
    installPrompt = null;
    button.hidden = true;
    prompt.prompt();
  });
  window.addEventListener("appinstalled", () => { if (button) button.hidden = true; });

  const standalone = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) || navigator.standalone === true;
  const iOS = /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  // Every iOS browser is Safari underneath: no install prompt, only Share > Add to Home Screen.
  if (iosHint && iOS && !standalone && !installPrompt) {
    let dismissed = false;
    try { dismissed = localStorage.getItem("closer-ios-hint") === "dismissed"; } catch (e) { /* private mode */ }
    iosHint.hidden = dismissed;
    document.getElementById("ios-install-dismiss").addEventListener("click", () => {
      iosHint.hidden = true;
      try { localStorage.setItem("closer-ios-hint", "dismissed"); } catch (e) { /* private mode */ }
    });
  }
}
