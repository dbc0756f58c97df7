/* The after-call bar beside the buttons: "Logged: Not interested +5 · Undo" at
 * once on a tap (the server's answer replaces it with its own), Undo there for
 * about ten seconds, and after a no "That was tough" and the review.
 *
 * A no still waiting on this device gets its review too: the sheet comes from
 * <template id="review-waiting">, the answers are kept in localStorage, and
 * they are posted once the call itself has reached the server (nothing waits
 * in the outbox any more) and the device is online.
 *
 * Needs #after-call, <template id="after-call-waiting"> (the server's bar with
 * {placeholders}) and the latest-calls rows: the bar's Undo presses its row's
 * Undo, so an undo goes through the outbox exactly like one from the list.
 */

const UNDO_SECONDS = 10;

export function startAfterCall({ mirror, userId }) {
  let undoTimer = null;
  let sending = false;
  const reviewsKey = "closer-reviews:" + (userId || "");

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

  // ---- the review of a no that waits on this device

  function keptReviews() {
    try { return JSON.parse(localStorage.getItem(reviewsKey) || "[]"); } catch (error) { return []; }
  }

  function keepReviews(list) {
    try { localStorage.setItem(reviewsKey, JSON.stringify(list)); } catch (error) { /* storage full or off */ }
  }

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

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const clientId = form && form.getAttribute && form.getAttribute("data-review-offline");
    if (!clientId) return;
    event.preventDefault();
    const fields = {};
    new FormData(form).forEach((value, name) => { if (name !== "csrf_token") fields[name] = String(value); });
    keepReviews(keptReviews().filter((kept) => kept.client_id !== clientId).concat([{ client_id: clientId, fields }]));
    closeSheet();
    const slot = document.querySelector('#after-call [data-review-waiting="' + CSS.escape(clientId) + '"]');
    if (slot) {
      const note = document.createElement("span");
      note.className = "review-offer--saved";
      note.setAttribute("role", "status");
      note.textContent = word("review_kept");
      slot.replaceWith(note);
    }
    sendKeptReviews();
  });

  /** Post the kept reviews whose call the server has; a refused one (422) is dropped, a lost one stays. */
  function sendKeptReviews() {
    const kept = keptReviews();
    if (sending || !kept.length || !navigator.onLine) return;
    const waiting = new Set(mirror.waiting().map((item) => item.client_id));
    const ready = kept.filter((review) => !waiting.has(review.client_id));
    if (!ready.length) return;
    sending = true;
    fetch("/api/v1/csrf", { credentials: "same-origin", cache: "no-store" })
      .then((response) => response.json())
      .then((csrf) => Promise.all(ready.map((review) => send(review, csrf.csrf_token))))
      .then((outcomes) => {
        const done = new Set(ready.filter((review, index) => outcomes[index]).map((review) => review.client_id));
        keepReviews(keptReviews().filter((review) => !done.has(review.client_id)));
      })
      .catch(() => { /* still offline: the next change tries again */ })
      .finally(() => { sending = false; });
  }

  function send(review, token) {
    const body = new URLSearchParams(Object.assign({}, review.fields, { screen: "page" }));
    return fetch("/calls/" + encodeURIComponent(review.client_id) + "/review", {
      method: "POST", credentials: "same-origin", body,
      headers: { "X-CSRFToken": token, "HX-Request": "true" }
    }).then((response) => response.ok || response.status === 422);
  }

  mirror.onChange(sendKeptReviews);
  window.addEventListener("online", sendKeptReviews);

  if (section() && section().querySelector(".after-call__undo")) armUndo();
  sendKeptReviews();
  return { showTap, sendKeptReviews };
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
