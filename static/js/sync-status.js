/* The banners about the outbox, on every page: how many taps wait, "Offline",
 * "Log in to sync", and the taps the server refused, with the reason, until dismissed.
 */

export function startSyncStatus({ mirror, clock, labelFor }) {
  const { state } = mirror;
  const statusBox = document.getElementById("sync-status");
  const refusedBox = document.getElementById("sync-refused");

  function render() {
    renderStatus();
    renderRefused();
  }

  function renderStatus() {
    if (!statusBox) return;
    const waiting = mirror.waiting().filter((item) => !state.live.has(item.client_id)).length;
    const offline = !navigator.onLine || state.serverDown;
    const count = document.getElementById("sync-waiting");
    let text = waiting ? waiting + " waiting to sync" : "";
    if (offline && !waiting) text = "Taps are saved on this device";
    if (count && count.textContent !== text) count.textContent = text;
    if (count) count.setAttribute("data-waiting", String(waiting));
    const badge = document.getElementById("offline-indicator");
    if (badge) badge.hidden = !offline;
    const login = document.getElementById("sync-login");
    if (login) login.hidden = !(state.needsLogin && waiting);
    statusBox.hidden = !(waiting || offline);
    statusBox.classList.toggle("banner--offline", offline);
  }

  function renderRefused() {
    if (!refusedBox) return;
    const list = document.getElementById("sync-refused-list");
    const keys = state.refused.map((item) => item.client_id).join(",");
    if (list.getAttribute("data-keys") !== keys) {
      list.setAttribute("data-keys", keys);
      list.textContent = "";
      state.refused.forEach((item) => {
        const li = document.createElement("li");
        li.className = "refused__item";
        const at = item.occurred_at ? new Date(item.occurred_at) : null;
        const when = at ? " at " + clock.time(at) + " on " + clock.date(at) : "";
        li.textContent = (item.kind === "undo" ? "Undo of " : "") + labelFor(item) + when + ": " + item.reason;
        list.appendChild(li);
      });
    }
    refusedBox.hidden = state.refused.length === 0;
  }

  const dismiss = document.getElementById("sync-refused-dismiss");
  if (dismiss) dismiss.addEventListener("click", () => {
    state.refused = [];
    mirror.changed();
    mirror.persist((store) => store.dismissRefused());
  });

  return { render };
}
