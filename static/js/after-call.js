/* The after-call bar beside the buttons: "Logged: Not interested +5 · Undo" at
 * once on a tap (the server's answer replaces it with its own), Undo there for
 * about ten seconds, and after a no "That was tough" and the review.
 *
 * Needs #after-call, <template id="after-call-waiting"> (the server's bar with
 * {placeholders}) and the latest-calls rows: the bar's Undo presses its row's
 * Undo, so an undo goes through the outbox exactly like one from the list.
 */

const UNDO_SECONDS = 10;

export function startAfterCall() {
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
    const label = (row.querySelector(".recent__outcome") || button).textContent.trim();
    const waiting = rowUndo.hasAttribute("data-undo-waiting");
    rowUndo.click();
    if (waiting || !navigator.onLine) showUndone("Undone: " + label.replace(/ \(waiting to sync\)$/, "") + ".");
  }, true);

  // The list's Undo request ends without a new bar (lost on the way, kept in the outbox): say so.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const elt = event.detail && event.detail.elt;
    if (!elt || !elt.matches || !elt.matches("#recent-list button.undo")) return;
    const pending = document.querySelector(".after-call__undo:disabled");
    if (pending && !event.detail.successful) showUndone("Undone; it syncs when you are back online.");
  });

  document.body.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === "after-call") armUndo();
  });

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
