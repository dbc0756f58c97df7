/* The outbox as this tab sees it: IndexedDB mirrored in memory, so a tap renders
 * at once, with what the parts share about the connection (the server could not
 * be reached; the rep must log in again).
 *
 * Whoever changes the state calls ``changed()``; the parts that draw it listen.
 */

export function createMirror(outbox, userId) {
  const state = {
    items: new Map(),    // client_id -> outbox item (this tab's view of IndexedDB)
    live: new Set(),     // ids this tab is sending through htmx right now
    refused: [],
    serverDown: false,   // the last attempt could not reach the server
    needsLogin: false
  };
  const listeners = [];
  let writes = Promise.resolve();

  /** Taps belong to the rep who made them: another login on this device never shows them. */
  function mine(item) {
    return item.owner == null || userId == null || String(item.owner) === String(userId);
  }

  /** Queue an IndexedDB write, ``work(outbox)``; writes from one tab land in order. */
  function persist(work) {
    writes = writes.then(() => outbox && work(outbox)).catch((error) => { console.error("Closer outbox", error); });
    return writes;
  }

  /** Read IndexedDB again; true when another tab or the worker delivered what this tab showed waiting. */
  function reload() {
    if (!outbox) return Promise.resolve(false);
    const queued = writes;
    return queued.then(() => Promise.all([outbox.list(), outbox.refused()])).then(([items, refused]) => {
      // A tap made while this read ran is in memory but maybe not yet in IndexedDB:
      // read again after its write, or the screen would drop it.
      if (writes !== queued) return reload();
      const before = state.items;
      state.items = new Map();
      items.forEach((item) => { if (mine(item)) state.items.set(item.client_id, item); });
      state.refused = refused.filter(mine);
      let acknowledgedElsewhere = false;
      before.forEach((item, id) => { if (!state.items.has(id) && !state.live.has(id)) acknowledgedElsewhere = true; });
      changed();
      return acknowledgedElsewhere;
    });
  }

  /** This rep's items, oldest first: taps, undos and reviews. */
  function waiting() {
    return Array.from(state.items.values()).filter(mine).sort((a, b) => a.seq - b.seq);
  }

  /** A call is being taken back: its reviews leave the screen's view now (the outbox drops them too). */
  function dropReviewsOf(callId) {
    state.items.forEach((item, id) => { if (item.kind === "review" && item.call_id === callId) state.items.delete(id); });
  }

  function onChange(listener) { listeners.push(listener); }

  function changed() { listeners.forEach((listener) => listener()); }

  return { state, userId, mine, persist, reload, waiting, dropReviewsOf, onChange, changed };
}
