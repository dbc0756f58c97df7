/* The page's side of the outbox sync. Every trigger (page load, the network back,
 * the tab shown again, another tab's change, a live tap that failed) funnels into
 * one replay at a time, retried with backoff. The replay itself (one sync across
 * tabs and the worker with Web Locks, a fresh CSRF token, batches) is outbox.js's,
 * which the service worker runs too (on activation and Background Sync).
 */

export function startSync({ outbox, mirror, refreshFromServer }) {
  const { state } = mirror;
  const body = document.body;
  let csrf = null;
  let retryDelay = 1000;
  let retryTimer = null;

  function reachable(ok) {
    if (state.serverDown === !ok) return;
    state.serverDown = !ok;
    mirror.changed();
  }

  /** A replay fetched a fresh token: htmx's requests use it too. */
  function setToken(token) {
    csrf = token;
    body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
  }

  function syncNow() {
    if (!outbox) return Promise.resolve();
    return outbox.sync({ exclude: state.live, onToken: setToken }).then((result) => {
      reachable(true);
      state.needsLogin = result.status === "login";
      retryDelay = 1000;
      return mirror.reload().then((ackedElsewhere) => {
        if (result.changed || ackedElsewhere) return refreshFromServer();
      }).then(() => result);
    }, (error) => {
      reachable(false);
      schedule();
      askForBackgroundSync();
      return mirror.reload().then(() => ({ status: "error", message: error && error.message }));
    });
  }

  /**
   * A sync soon: ``schedule(0)`` now (replacing a pending retry), ``schedule()``
   * after the backoff, 1 s doubling up to a minute: the network often returns in stages.
   */
  function schedule(delay) {
    if (retryTimer) {
      if (delay !== 0) return;
      clearTimeout(retryTimer);
    }
    const wait = delay === undefined ? retryDelay * (0.8 + Math.random() * 0.4) : delay;
    if (delay === undefined) retryDelay = Math.min(retryDelay * 2, 60000);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!state.items.size && delay === undefined) return;
      syncNow();
    }, wait);
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.sync) return registration.sync.register("closer-outbox");
    }).catch(() => { /* not supported or not allowed: the other triggers remain */ });
  }

  body.addEventListener("htmx:configRequest", (event) => {
    if (csrf) event.detail.headers["X-CSRFToken"] = csrf;
  });
  window.addEventListener("online", () => { state.serverDown = false; mirror.changed(); syncNow(); });
  window.addEventListener("offline", () => mirror.changed());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.items.size) syncNow();
  });
  if (outbox && outbox.channel) {
    outbox.channel.addEventListener("message", () => {
      mirror.reload().then((ackedElsewhere) => { if (ackedElsewhere) refreshFromServer(); });
    });
  }

  return { syncNow, schedule, reachable, askForBackgroundSync };
}
