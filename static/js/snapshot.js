/* The main screen's last server state (#tally and #recent as the server last sent
 * them), kept in IndexedDB for a cold start offline: a cached page may be older
 * than what this device last heard. After a sync the screen is read again from
 * the server, so every widget matches it.
 */

export function startSnapshot({ outbox, mirror, userId }) {
  /** The tally and the list as the server last sent them: this device's waiting rows left out. */
  function saveFromPage() {
    const tally = document.getElementById("tally");
    const recent = document.getElementById("recent");
    if (!tally || !recent) return;
    const copy = recent.cloneNode(true);
    copy.querySelectorAll(".recent__item--waiting").forEach((li) => li.remove());
    copy.querySelectorAll(".recent__item--undoing").forEach((li) => li.classList.remove("recent__item--undoing"));
    copy.querySelectorAll("li[hidden]").forEach((li) => { li.hidden = false; });
    save(tally, copy);
  }

  function save(tally, recent) {
    if (!outbox || !tally || !recent) return;
    const snapshot = {
      day: tally.getAttribute("data-day"), asOf: asOf(tally),
      tally: tally.outerHTML, recent: recent.outerHTML, user: userId
    };
    mirror.persist((store) => store.setMeta("snapshot", snapshot));
  }

  /** A cached page may be older than what this device last heard from the server: use the newer. */
  function apply() {
    const tally = document.getElementById("tally");
    const recent = document.getElementById("recent");
    if (!outbox || !tally || !recent) return Promise.resolve();
    return outbox.getMeta("snapshot").then((snapshot) => {
      if (!snapshot || String(snapshot.user) !== String(userId)) return;
      if (snapshot.asOf <= asOf(tally)) return;
      replaceFromHtml({ tally: snapshot.tally, recent: snapshot.recent });
    }).catch(() => { /* no snapshot yet */ });
  }

  /** After a sync, read the main screen again so every widget matches the server. */
  function refreshFromServer() {
    if (!document.getElementById("tally")) return Promise.resolve();
    return fetch("/", { credentials: "same-origin", headers: { Accept: "text/html" } }).then((response) => {
      if (!response.ok || response.redirected) return;
      return response.text().then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const parts = {};
        ["tally", "recent", "game"].forEach((id) => {
          const el = doc.getElementById(id);
          if (el) parts[id] = el.outerHTML;
        });
        replaceFromHtml(parts);
        save(doc.getElementById("tally"), doc.getElementById("recent"));
        mirror.changed();
      });
    }).catch(() => { /* offline again: the outbox overlay stays */ });
  }

  // Whatever the server just changed on the screen is the state to start from offline.
  document.body.addEventListener("htmx:afterSettle", saveFromPage);

  return { apply, refreshFromServer };
}

function asOf(tally) {
  return parseInt(tally.getAttribute("data-as-of"), 10) || 0;
}

function replaceFromHtml(parts) {
  Object.keys(parts).forEach((id) => {
    const current = document.getElementById(id);
    if (!current || !parts[id]) return;
    const holder = document.createElement("template");
    holder.innerHTML = parts[id];
    const fresh = holder.content.firstElementChild;
    if (!fresh) return;
    fresh.removeAttribute("hx-swap-oob");
    current.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
  });
}
