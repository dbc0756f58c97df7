/* The page's side of the service worker: register it, have it keep the main screen
 * for a cold start offline, offer "New version ready - Reload", and have it forget
 * the page copy when the rep logs out.
 */

export function startWorker() {
  if (!("serviceWorker" in navigator)) return;
  const container = navigator.serviceWorker;
  const banner = document.getElementById("update-banner");
  let reloadRequested = false;

  function offerUpdate(worker) {
    if (!banner || !worker) return;
    banner.hidden = false;
    document.getElementById("update-reload").onclick = () => {
      reloadRequested = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    };
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
  container.addEventListener("controllerchange", () => {
    if (reloadRequested) window.location.reload();
  });

  // Logging out: the page copy holds this rep's data, so drop it; waiting taps stay
  // with their owner and sync after the next login.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form && form.classList && form.classList.contains("nav__logout") && container.controller) {
      container.controller.postMessage({ type: "forget-shell" });
    }
  });
}
