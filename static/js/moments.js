/* Celebrations on the page: the server decides what a tap earned and sends #celebration out of band
 * (calls/_celebrate.html); this module only shows it.
 *
 * - A big moment (full screen) takes the focus on its one button, vibrates where the device can, and
 *   closes on that button or Escape; the toasts wait until it is closed.
 * - Toasts show one at a time at the top, each for 3 s or until tapped. One is never left over the
 *   outcome buttons: it moves below them, or drops its second line, or is skipped.
 * - High-fives received, shown on Today, are reported as seen so the next refresh shows only newer ones.
 * Motion lives in CSS (moments.css), which stands everything still under prefers-reduced-motion.
 */
const TOAST_MS = 3000;
const OUTCOME_BUTTONS = 'button[name="outcome"]';
let toastTimer = null;
const started = new WeakSet(); // htmx may report one swap of #celebration more than once

function outcomeArea() {
  const boxes = [...document.querySelectorAll(OUTCOME_BUTTONS)]
    .map((button) => button.getBoundingClientRect())
    .filter((box) => box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight);
  if (!boxes.length) return null;
  return { top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)) };
}

function overlaps(box, area) {
  return box.bottom > area.top && box.top < area.bottom;
}

const PLACES = [[], ["toasts--below"], ["toasts--compact"], ["toasts--compact", "toasts--below"]];

/* Place the shown toast where it meets no outcome button; false when there is no such place. */
function place(list) {
  const area = outcomeArea();
  for (const classes of PLACES) {
    list.classList.remove("toasts--below", "toasts--compact");
    list.classList.add(...classes);
    if (!area || !overlaps(list.getBoundingClientRect(), area)) return true;
  }
  list.classList.remove("toasts--below", "toasts--compact");
  return false;
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (error) {
    return "";
  }
}

function reportSeen(region, toasts) {
  const ids = toasts.map((toast) => Number(toast.dataset.highFive)).filter((id) => id > 0);
  const url = region.dataset.seenUrl;
  if (!ids.length || !url) return;
  // Offline, this fails quietly: the same high-fives show again next time, which does no harm.
  fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken() },
    body: new URLSearchParams({ up_to: String(Math.max(...ids)) }),
  }).catch(() => {});
}

function runToasts(region) {
  const toasts = [...region.querySelectorAll("[data-toast]")];
  if (!toasts.length) return;
  let index = -1;
  const next = () => {
    clearTimeout(toastTimer);
    index += 1;
    toasts.forEach((toast, i) => { toast.hidden = i !== index; });
    if (index >= toasts.length) return;
    if (!place(region.querySelector(".toasts"))) { next(); return; }
    toastTimer = setTimeout(next, TOAST_MS);
  };
  toasts.forEach((toast) => toast.addEventListener("click", next));
  if (navigator.vibrate && toasts.some((toast) => !toast.dataset.highFive)) navigator.vibrate(30);
  next();
  reportSeen(region, toasts);
}

function openMoment(region, moment) {
  const back = moment.querySelector("[data-moment-close]");
  const before = document.activeElement;
  const onKey = (event) => {
    if (event.key === "Escape") close();
    if (event.key === "Tab") { event.preventDefault(); back.focus(); } // one button: the focus stays on it
  };
  const close = () => {
    document.removeEventListener("keydown", onKey);
    moment.remove();
    if (before && before.isConnected && before.focus) before.focus();
    runToasts(region);
  };
  back.addEventListener("click", close);
  document.addEventListener("keydown", onKey);
  if (navigator.vibrate) navigator.vibrate([40, 60, 40, 60, 80]);
  back.focus();
}

function celebrate(region) {
  if (!region || !region.dataset.celebrate || started.has(region)) return;
  started.add(region);
  clearTimeout(toastTimer);
  const moment = region.querySelector("[data-moment]");
  if (moment) openMoment(region, moment);
  else runToasts(region);
}

document.addEventListener("htmx:oobAfterSwap", (event) => {
  const target = event.detail && event.detail.target;
  // The swap replaced the element: look the new one up rather than keep the old.
  if (target && target.id === "celebration") celebrate(document.getElementById("celebration"));
});
celebrate(document.getElementById("celebration"));
