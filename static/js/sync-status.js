/* The banners about the outbox, on every page: how many taps (and reviews) wait, "Offline",
 * "Log in to sync", and what the server refused, with the reason, until dismissed.
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
    let text = waiting ? word(waiting === 1 ? "waiting_one" : "waiting_other", { count: waiting }) : "";
    if (offline && !waiting) text = word("saved_here");
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
        const kinds = { undo: "undo_of", review: "review_of" };
        const label = kinds[item.kind] ? word(kinds[item.kind], { label: labelFor(item) }) : labelFor(item);
        li.textContent = at
          ? word("refused_at", { label, time: clock.time(at), date: clock.date(at), reason: item.reason })
          : word("refused", { label, reason: item.reason });
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

/** A word the server put in the page (#script-words, in the rep's language), its {placeholders} filled in. */
function word(key, values) {
  const block = document.getElementById("script-words");
  const text = (block ? JSON.parse(block.textContent)[key] : "") || "";
  return text.replace(/\{(\w+)\}/g, (whole, name) => (values && name in values ? String(values[name]) : whole));
}
