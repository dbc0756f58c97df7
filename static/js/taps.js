/* Taps and undos. Each is kept in the outbox before any request, so it shows at
 * once and survives a lost answer; online, htmx sends it (and its answer updates
 * the screen); offline, htmx never sees it and a sync delivers it later.
 *
 * Needs only #tap-form (buttons named "outcome") and the rows' Undo buttons
 * (button.undo inside li[data-client-id]; data-undo-waiting on a waiting row's).
 */

export function startTaps({ outbox, mirror, sync, newId, isoNow, tapInfo, onTap }) {
  const { state } = mirror;
  const body = document.body;

  /** Send through htmx now, or keep for the outbox? Offline or an unreachable server: keep. */
  function canSendLive() { return navigator.onLine && !state.serverDown && !state.needsLogin; }

  function track(item) {
    if (item.kind === "undo") mirror.dropReviewsOf(item.client_id);  // a call taken back keeps no review
    state.items.set(item.client_id, item);
    mirror.changed();
    mirror.persist((store) => store.put(item));
    if (!item.attempts) sync.askForBackgroundSync();
  }

  // Capture phase: runs before htmx sees the submit, so the tap shows and is
  // stored before any request; offline, htmx never sees it at all.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form || form.id !== "tap-form") return;
    const button = event.submitter;
    if (!button || button.name !== "outcome") return;
    const info = tapInfo(button);
    const item = {
      client_id: newId(), kind: "tap", outcome: info.outcome, occurred_at: isoNow(),
      points: info.points, label: info.label
    };
    queue(event, item);
    if (onTap) onTap(item, info.rejection);
  }, true);

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.undo");
    if (!button) return;
    const waitingId = button.getAttribute("data-undo-waiting");
    if (waitingId) return undoWaiting(waitingId);
    const li = button.closest("li[data-client-id]");
    if (!li) return;
    const time = li.querySelector("time");
    const outcome = li.querySelector(".recent__outcome");
    queue(event, {
      client_id: li.getAttribute("data-client-id"), kind: "undo", origin: "server",
      outcome: li.getAttribute("data-outcome"), occurred_at: time ? time.getAttribute("datetime") : isoNow(),
      points: parseInt(li.getAttribute("data-points"), 10) || 0,
      label: outcome ? outcome.textContent.trim() : ""
    });
  }, true);

  /** Record a tap or undo in the outbox; let htmx send it when online, or hold it for the next sync. */
  function queue(event, item) {
    const live = canSendLive();
    item.owner = mirror.userId;
    item.seq = outbox ? outbox.nextSeq() : Date.now();
    // Marked attempted before htmx sends it: an undo then cannot assume the server never saw it.
    item.attempts = live ? 1 : 0;
    item.status = live ? "sending" : "pending";
    if (live) {
      state.live.add(item.client_id);
      event.closerItem = item;
    } else {
      event.preventDefault();
      event.stopPropagation();
    }
    track(item);
  }

  function undoWaiting(clientId) {
    const item = state.items.get(clientId);
    if (!item || !outbox) return;
    // Show it at once; the outbox decides (atomically) whether the server may have seen it.
    // Its review, if one waits, goes with it: a call taken back before it synced sends none.
    state.items.set(clientId, Object.assign({}, item, { kind: "undo", origin: "outbox" }));
    if (!item.attempts) state.items.delete(clientId);
    mirror.dropReviewsOf(clientId);
    mirror.changed();
    mirror.persist((store) => store.undo(clientId).then((result) => {
      if (result.action === "deleted") state.items.delete(clientId);
      else state.items.set(clientId, result.item);
      mirror.changed();
      if (result.action === "queued") sync.schedule(0);
    }));
  }

  /** The item a request belongs to, if it came from a tap or an undo we tracked. */
  function itemOf(detail) {
    const config = detail.requestConfig || detail;
    return config && config.triggeringEvent && config.triggeringEvent.closerItem;
  }

  body.addEventListener("htmx:configRequest", (event) => {
    const detail = event.detail;
    const item = itemOf(detail);
    if (item) {
      const current = state.items.get(item.client_id);
      // Taken back while it waited in htmx's queue: the outbox delivers the undo instead.
      if (!current || current.kind !== item.kind) {
        state.live.delete(item.client_id);
        mirror.changed();
        sync.schedule(0);
        event.preventDefault();
        return;
      }
      if (item.kind === "tap") {
        detail.parameters.client_id = item.client_id;
        detail.parameters.outcome = item.outcome;
      }
    } else if (detail.elt && detail.elt.id === "tap-form" && !detail.parameters.client_id) {
      detail.parameters.client_id = newId();
    }
  });

  body.addEventListener("htmx:afterRequest", (event) => {
    const detail = event.detail;
    const item = itemOf(detail);
    const xhr = detail.xhr;
    const status = xhr ? xhr.status : 0;
    if (!item) return;
    state.live.delete(item.client_id);
    if (status === 200 && !xhr.getResponseHeader("HX-Redirect")) {
      acknowledge(item);
      sync.reachable(true);
      if (state.items.size) sync.schedule(0);
    } else if (status === 422 || status === 404) {
      const reason = (new DOMParser().parseFromString(xhr.responseText || "", "text/html").body.textContent || "").trim();
      refuseLocally(item, reason || "Refused by the server.");
    } else {
      // Lost on the way, an expired token or session, a server error: it stays for the outbox.
      if (status === 0) sync.reachable(false);
      if (status === 204 || status === 401) state.needsLogin = true;
      const waiting = state.items.get(item.client_id);
      if (waiting) waiting.status = "pending";
      mirror.persist((store) => store.release(item.client_id));
      sync.schedule();
    }
    mirror.changed();
  });

  function acknowledge(item) {
    const current = state.items.get(item.client_id);
    if (current && current.kind === item.kind) state.items.delete(item.client_id);
    mirror.persist((store) => store.settle([item], [{ client_id: item.client_id, kind: item.kind, status: "accepted" }]));
  }

  function refuseLocally(item, reason) {
    mirror.persist((store) => store.settle([item], [{ client_id: item.client_id, kind: item.kind, status: "rejected", reason }]))
      .then(mirror.reload);
  }
}
