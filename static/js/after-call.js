/* The after-call bar beside the buttons: "Logged: Not interested +5 · Undo" at
 * once on a tap (the server's answer replaces it with its own), Undo there for
 * about ten seconds, and after a no "That was tough" and the review.
 *
 * A no still waiting on this device gets its review too: the sheet comes from
 * <template id="review-waiting">, and the answers go to the outbox behind their
 * call, which sends them once the server has the call (outbox-replay.js). So does
 * any review saved while offline. Each review gets its id when the rep saves it.
 *
 * Needs #after-call, <template id="after-call-waiting"> (the server's bar with
 * {placeholders}) and the latest-calls rows: the bar's Undo presses its row's
 * Undo, so an undo goes through the outbox exactly like one from the list.
 */

const UNDO_SECONDS = 10;

export function startAfterCall({ outbox, mirror, sync, newId, userId }) {
  let undoTimer = null;

  function section() { return document.getElementById("after-call"); }

  /** A tap was queued: show its bar now, before (or without) the server's answer. */
  function showTap(item, isRejection) {
    const host = section();
    const template = document.getElementById("after-call-waiting");
    if (!host || !template) return;
    const part = template.content.cloneNode(true);
    const values = { client_id: item.client_id, label: item.label || item.outcome, points: String(item.points || 0) };
    fill(part, values);
    if (!isRejection) part.querySelectorAll("[data-rejection-only]").forEach((el) => el.remove());
    host.replaceChildren(part);
    host.classList.remove("after-call--undo-expired");
    armUndo();
  }

  /** Undo stays for about ten seconds, like a mail app's snackbar; older mistakes have the list's Undo. */
  function armUndo() {
    clearTimeout(undoTimer);
    const host = section();
    if (host) host.classList.remove("after-call--undo-expired");
    undoTimer = setTimeout(() => {
      const current = section();
      const button = current && current.querySelector(".after-call__undo");
      if (button && !button.disabled) current.classList.add("after-call--undo-expired");
    }, UNDO_SECONDS * 1000);
  }

  function showUndone(text) {
    const host = section();
    if (!host) return;
    const line = document.createElement("p");
    line.className = "after-call__hint";
    line.textContent = text;
    host.replaceChildren(line);
  }

  // Capture phase: the bar's Undo presses the row's own, which the outbox (taps.js) and htmx handle.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".after-call__undo");
    if (!button) return;
    const clientId = button.getAttribute("data-undo-for");
    const row = document.querySelector('#recent-list li[data-client-id="' + CSS.escape(clientId) + '"]');
    const rowUndo = row && row.querySelector("button.undo");
    if (!rowUndo) return;  // no row on this page: the plain form posts the undo
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;  // until the answer replaces the bar
    // The outcome's own words, without the hidden "(waiting to sync)" after them.
    const outcome = row.querySelector(".recent__outcome");
    const label = (outcome && outcome.firstChild ? outcome.firstChild : button).textContent.trim();
    const waiting = rowUndo.hasAttribute("data-undo-waiting");
    rowUndo.click();
    if (waiting || !navigator.onLine) showUndone(word("undone", { label }));
  }, true);

  // The list's Undo request ends without a new bar (lost on the way, kept in the outbox): say so.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const elt = event.detail && event.detail.elt;
    if (!elt || !elt.matches || !elt.matches("#recent-list button.undo")) return;
    const pending = document.querySelector(".after-call__undo:disabled");
    if (pending && !event.detail.successful) showUndone(word("undone_later"));
  });

  document.body.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === "after-call") armUndo();
  });

  // ---- reviews kept on this device: a no that waits here, or any review saved offline

  /** Send through htmx now, or keep for the outbox? Offline or an unreachable server: keep. */
  function canSendLive() { return navigator.onLine && !mirror.state.serverDown; }

  function openWaitingReview(clientId) {
    const host = document.getElementById("sheet");
    const template = document.getElementById("review-waiting");
    if (!host || !template) return;
    const part = template.content.cloneNode(true);
    fill(part, { client_id: clientId });
    host.replaceChildren(part);
  }

  function closeSheet() {
    const host = document.getElementById("sheet");
    if (host) host.replaceChildren();
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest && event.target.closest("[data-review-waiting], [data-sheet-close]");
    if (!target) return;
    if (target.hasAttribute("data-sheet-close")) return closeSheet();
    openWaitingReview(target.getAttribute("data-review-waiting"));
  });

  // Capture phase, before htmx sees the submit: every review gets its id now, before any attempt, so
  // whatever sends it (htmx now, the outbox later, both) saves it once. The review of a call still
  // waiting here, or any review while offline, goes to the outbox and never to htmx.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const callId = form && form.getAttribute && form.getAttribute("data-review-for");
    if (!callId) return;
    const idField = form.querySelector("input[name=review_id]");
    if (idField) idField.value = newId();
    if (!form.hasAttribute("data-review-offline") && canSendLive()) return;
    event.preventDefault();
    event.stopPropagation();
    keepReview(form, callId);
  }, true);

  // Sent live but lost on the way (the network went, or the server did not answer): the outbox takes it.
  document.body.addEventListener("htmx:sendError", (event) => {
    const form = event.detail && event.detail.elt;
    const callId = form && form.getAttribute && form.getAttribute("data-review-for");
    if (callId) keepReview(form, callId);
  });

  /** Queue the form's answers in the outbox, behind the call; say so where the Review button was. */
  function keepReview(form, callId) {
    const fields = {};
    new FormData(form).forEach((value, name) => { fields[name] = String(value); });
    const idField = form.querySelector("input[name=review_id]");
    const review = reviewItem(callId, fields, (idField && idField.value) || newId());
    mirror.state.items.set(review.client_id, review);
    mirror.changed();
    mirror.persist((store) => store.put(review)).then(() => { if (canSendLive()) sync.schedule(0); });
    sync.askForBackgroundSync();
    showKept(form, callId);
  }

  /** An outbox item for a review: the form's answers, and its call's outcome and time for the "refused" banner. */
  function reviewItem(callId, fields, reviewId) {
    const call = mirror.state.items.get(callId) || callFromList(callId) || {};
    const answers = {};
    // The token is fetched fresh when it is sent, and how the page showed the form is not an answer.
    Object.keys(fields).forEach((name) => {
      if (!["csrf_token", "screen", "review_id"].includes(name)) answers[name] = String(fields[name]);
    });
    return {
      client_id: reviewId, kind: "review", call_id: callId, fields: answers,
      outcome: call.outcome, label: call.label, occurred_at: call.occurred_at,
      owner: mirror.userId, seq: outbox ? outbox.nextSeq() : Date.now(), attempts: 0, status: "pending"
    };
  }

  function callFromList(callId) {
    const row = document.querySelector('#recent-list li[data-client-id="' + CSS.escape(callId) + '"]');
    if (!row) return null;
    const outcome = row.querySelector(".recent__outcome");
    const time = row.querySelector("time");
    return {
      outcome: row.getAttribute("data-outcome"),
      label: outcome && outcome.firstChild ? outcome.firstChild.textContent.trim() : undefined,
      occurred_at: time ? time.getAttribute("datetime") : undefined
    };
  }

  function showKept(form, callId) {
    const note = document.createElement("span");
    note.className = "review-offer--saved";
    note.setAttribute("role", "status");
    note.textContent = word("review_kept");
    const sheet = document.getElementById("sheet");
    if (sheet && sheet.contains(form)) {
      closeSheet();
      const bar = document.querySelector('#after-call [data-after-call="' + CSS.escape(callId) + '"]');
      const slot = document.querySelector('#after-call [data-review-waiting="' + CSS.escape(callId) + '"]') ||
        (bar && document.querySelector("#after-call .review-slot"));
      if (slot) slot.replaceWith(note);
    } else {
      form.replaceWith(note);
    }
  }

  /**
   * The page script before this one kept the reviews of waiting no's in localStorage until their
   * call synced: move any still there into the outbox (forgotten there only once the outbox has them).
   */
  function moveKeptReviews() {
    const key = "closer-reviews:" + (userId || "");
    let kept = [];
    try { kept = JSON.parse(localStorage.getItem(key) || "[]"); } catch (error) { return; }
    if (!outbox || !userId || !Array.isArray(kept) || !kept.length) return;
    const reviews = kept.filter((old) => old && old.client_id)
      .map((old) => reviewItem(String(old.client_id), old.fields || {}, newId()));
    reviews.forEach((review) => mirror.state.items.set(review.client_id, review));
    mirror.changed();
    mirror.persist((store) => Promise.all(reviews.map((review) => store.put(review))).then(() => {
      try { localStorage.removeItem(key); } catch (error) { /* storage off: the ids differ, a second move is an edit */ }
    })).then(() => { if (canSendLive()) sync.schedule(0); });
  }

  moveKeptReviews();
  if (section() && section().querySelector(".after-call__undo")) armUndo();
  return { showTap };
}

/** Put values in a template's {placeholders}, in its text and attributes (as text, never as HTML). */
function fill(root, values) {
  const swap = (text) => text.replace(/\{(\w+)\}/g, (match, key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) node.nodeValue = swap(node.nodeValue);
  root.querySelectorAll("*").forEach((el) => {
    Array.from(el.attributes).forEach((attr) => { if (attr.value.includes("{")) attr.value = swap(attr.value); });
  });
}

/** A word the server put in the page (#script-words, in the rep's language), its {placeholders} filled in. */
function word(key, values) {
  const block = document.getElementById("script-words");
  const text = (block ? JSON.parse(block.textContent)[key] : "") || "";
  return text.replace(/\{(\w+)\}/g, (whole, name) => (values && name in values ? String(values[name]) : whole));
}
