/* The today screen: the tally and the latest calls as the server last sent them,
 * plus what waits in this device's outbox (shown at once, never counted twice).
 *
 * It needs nothing of the page's layout beyond these, wherever they sit:
 * - [data-tally=goal-dials] (the game strip's dials toward today's goal), if there;
 * - #tally with data-dials, data-points and the rep's day as the server sees it
 *   (data-day-starts-at, data-day-ends-at, data-next-day-ends-at: UTC ms), and
 *   inside it [data-tally=dials] and [data-tally=points];
 * - #recent-list with data-limit (how many rows the server's list holds);
 * - <template id="waiting-rows">: the server's row for a waiting tap and for a
 *   waiting undo, with {placeholders}.
 */

export function startTodayScreen({ mirror, clock, labelFor }) {
  let dayTimer = null;

  function render() {
    const tally = document.getElementById("tally");
    const list = document.getElementById("recent-list");
    const days = tally ? serverDays(tally) : null;
    const now = Date.now();
    // The day on screen: the tally's, or a later one once it has ended (the page stayed open).
    const shown = Math.max(0, dayOf(days, now));
    const counts = (item) => dayOf(days, Date.parse(item.occurred_at)) === shown;
    let dials = tally && shown === 0 ? number(tally, "data-dials") : 0;
    let points = tally && shown === 0 ? number(tally, "data-points") : 0;
    const known = {};
    if (list) {
      list.querySelectorAll(".recent__item--waiting").forEach((li) => li.remove());
      list.querySelectorAll("li[data-client-id]").forEach((li) => {
        li.classList.remove("recent__item--undoing");
        known[li.getAttribute("data-client-id")] = li;
      });
    }
    const waitingRows = [];
    mirror.waiting().forEach((item) => {
      if (item.kind === "review") return;  // a review waiting moves no count and has no row
      const li = known[item.client_id];
      if (item.kind === "tap") {
        if (li) return;  // the server already has it
        if (counts(item)) { dials += 1; points += item.points || 0; }
        waitingRows.push(item);
      } else if (li) {
        if (!li.classList.contains("recent__item--undone")) {
          if (counts(item)) { dials -= 1; points -= item.points || 0; }
          li.classList.add("recent__item--undoing");
        }
      } else if (item.origin === "server") {
        if (counts(item)) { dials -= 1; points -= item.points || 0; }
      } else {
        waitingRows.push(item);  // a tap taken back before the device knew it arrived
      }
    });
    if (tally) {
      setText(tally.querySelector("[data-tally=dials]"), String(dials));
      setText(tally.querySelector("[data-tally=points]"), String(points));
      pluralLabel(tally.querySelector("[data-tally-label=dials]"), dials);
      pluralLabel(tally.querySelector("[data-tally-label=points]"), points);
      setText(document.querySelector("[data-tally=goal-dials]"), String(dials));  // the game strip's dial goal
    }
    if (list) showWaitingRows(list, waitingRows);
    wakeAtDayEnd(days, now);
  }

  /** Waiting rows on top, newest first; like the server's list, only ``data-limit`` rows show. */
  function showWaitingRows(list, items) {
    const limit = rowLimit(list);
    const rows = items.slice(-limit).reverse().map(waitingRow).filter(Boolean);
    list.prepend(...rows);
    // A server row pushed below the limit is hidden, not dropped: it shows again if a waiting tap is undone.
    Array.from(list.children).forEach((li, index) => {
      if (li.hidden !== index >= limit) li.hidden = index >= limit;
    });
  }

  /** The server's own row for a waiting item, filled in; none on a page from before the template. */
  function waitingRow(item) {
    const template = document.getElementById("waiting-rows");
    const undone = item.kind === "undo";
    const model = template && template.content.querySelector(undone ? "li.recent__item--undone" : "li:not(.recent__item--undone)");
    if (!model) return null;
    const li = model.cloneNode(true);
    fill(li, {
      client_id: item.client_id,
      outcome: item.outcome || "",
      points: String(item.points || 0),
      label: labelFor(item),
      time: clock.time(new Date(item.occurred_at)),
      occurred_at: item.occurred_at
    });
    return li;
  }

  /** A tap's answer puts its row on top of the list; keep the server's rows to the list's length. */
  function trimRecent() {
    const list = document.getElementById("recent-list");
    if (!list) return;
    const limit = rowLimit(list);
    list.querySelectorAll(":scope > li[data-client-id]:not(.recent__item--waiting)").forEach((li, index) => {
      if (index >= limit) li.remove();
    });
  }

  /** Redraw when the rep's day ends, so a page left open moves to the new day by itself. */
  function wakeAtDayEnd(days, now) {
    clearTimeout(dayTimer);
    const next = days && [days.ends, days.nextEnds].find((end) => end > now);
    if (next) dayTimer = setTimeout(render, next - now + 50);
  }

  document.body.addEventListener("htmx:afterSwap", render);
  document.body.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === "recent-list") trimRecent();
    if (target && target.id === "tally") render();
  });

  return { render };
}

/** The rep's day as the server described it on the tally, in UTC ms. */
function serverDays(tally) {
  return {
    starts: number(tally, "data-day-starts-at"),
    ends: number(tally, "data-day-ends-at"),
    nextEnds: number(tally, "data-next-day-ends-at")
  };
}

/**
 * Which day an instant falls on: 0 the tally's day, 1 the day after, 2 later
 * (more than a day past what the server said: the best the page can tell), -1
 * before. A tally without its bounds (a page from an older version) is always today.
 */
function dayOf(days, instant) {
  if (!days || !days.ends) return 0;
  if (instant < days.starts) return -1;
  if (instant < days.ends) return 0;
  if (instant < days.nextEnds) return 1;
  return 2;
}

function rowLimit(list) {
  return number(list, "data-limit") || Infinity;
}

function number(el, name) {
  return parseInt(el.getAttribute(name), 10) || 0;
}

function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/** A count's label in the page's language: the server sends both words, the browser's plural rules pick one. */
function pluralLabel(el, count) {
  if (!el) return;
  let form = count === 1 ? "one" : "other";
  try { form = new Intl.PluralRules(document.documentElement.lang || "en").select(count); } catch (e) { /* keep it */ }
  setText(el, el.getAttribute(form === "one" ? "data-one" : "data-other"));
}

/** Put values in a template's {placeholders}, in its text and attributes (as text, never as HTML). */
function fill(root, values) {
  const swap = (text) => text.replace(/\{(\w+)\}/g, (match, key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) node.nodeValue = swap(node.nodeValue);
  [root, ...root.querySelectorAll("*")].forEach((el) => {
    Array.from(el.attributes).forEach((attr) => { if (attr.value.includes("{")) attr.value = swap(attr.value); });
  });
}
