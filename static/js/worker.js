/* The page's side of the service worker: register it, have it keep the main screen
 * for a cold start offline, offer "New version ready - Reload", and have it forget
 * the page copy when the rep logs out or the server says the session has ended.
 */

export function startWorker({ mirror } = {}) {
  if (!("serviceWorker" in navigator)) return;
  const container = navigator.serviceWorker;
  let forgotten = false;

  /** The page copy holds this rep's data: the next one to open the app must not see it. */
  function forgetShell() {
    if (forgotten || !container.controller) return;
    forgotten = true;
    container.controller.postMessage({ type: "forget-shell" });
  }
  const banner = document.getElementById("update-banner");
  let reloadRequested = false;

  function offerUpdate(worker) {
    if (!banner || !worker) return;
    banner.hidden = false;
    document.getElementById("update-reload").onclick = () => reloadWhenActive(worker);
  }

  /**
   * Let the new worker take over, and reload once it is "activated", not at
   * "controllerchange" (it is still activating then): a navigation started during
   * activation waits for it, and Chrome may abort it, since the update check every
   * navigation makes can install the same script again over the activating worker;
   * each abort brought another "controllerchange", and when the last reload was
   * aborted too, the old page stayed up with nothing left to reload it.
   */
  function reloadWhenActive(worker) {
    if (reloadRequested) return;
    reloadRequested = true;
    follow(worker);
  }

  function follow(worker) {
    if (worker.state === "activated") return window.location.reload();
    if (worker.state === "redundant") {
      // Replaced by a newer worker: wait for that one instead.
      container.getRegistration().then((registration) => {
        const next = registration && (registration.waiting || registration.installing || registration.active);
        if (next && next !== worker) follow(next);
        else window.location.reload();
      });
      return;
    }
    worker.addEventListener("statechange", () => follow(worker), { once: true });
    if (worker.state === "installed") worker.postMessage({ type: "SKIP_WAITING" });
  }

  container.register("/sw.js", { scope: "/" }).then((registration) => {
    if (registration.waiting && container.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && container.controller) offerUpdate(worker);
      });
    });
    if (!container.controller && document.getElementById("tally")) {
      // This first page came from the network, not the worker: have the worker keep a copy.
      container.ready.then((ready) => {
        if (ready.active) ready.active.postMessage({ type: "cache-shell" });
      });
    }
  }).catch((error) => { console.warn("Closer: no service worker", error); });

  // Logging out, or a session that ended elsewhere (a tap or a sync answered "log in"):
  // drop the page copy; waiting taps stay with their owner and sync after the next login.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form && form.classList && form.classList.contains("nav__logout")) forgetShell();
  });
  if (mirror) mirror.onChange(() => { if (mirror.state.needsLogin) forgetShell(); });
}
