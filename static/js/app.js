/* Closer's page script: small, no framework beyond htmx. Loaded with defer, after outbox.js.
 *
 * A tap shows at once (optimistic), is kept in the IndexedDB outbox before its
 * first attempt, goes to the server through htmx when online, and otherwise waits
 * in the outbox until a sync delivers it. The screen is always "what the server
 * last said" plus "what is still in the outbox", so it never double-counts.
 */
(function () {
  "use strict";

  var Outbox = window.CloserOutbox;
  var body = document.body;

  /** A random UUID, made at tap time so a replayed tap is recognised by the server. */
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function deviceTimezone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // Registration stores the browser's IANA timezone.
  document.querySelectorAll("[data-detect-timezone]").forEach(function (input) {
    if (!input.value) input.value = deviceTimezone();
  });
  document.querySelectorAll("[data-use-device-timezone]").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById(button.getAttribute("data-use-device-timezone"));
      if (select) select.value = deviceTimezone();
    });
  });

  /* ---------- Time: the device clock, the rep's timezone ---------- */

  var repTimezone = body.getAttribute("data-timezone") || deviceTimezone() || "UTC";
  var dayFormat = makeFormat({ year: "numeric", month: "2-digit", day: "2-digit" });
  var clockFormat = makeFormat({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function makeFormat(options) {
    try { return new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: repTimezone }, options)); } catch (e) {
      return new Intl.DateTimeFormat("en-GB", options);
    }
  }

  /** The rep's local date of an instant, as YYYY-MM-DD (the server's ``local_day``). */
  function localDay(instant) {
    var parts = {};
    dayFormat.formatToParts(instant).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function clock(instant) { return clockFormat.format(instant); }

  /** Now, on the device clock, as ISO 8601 with the device's UTC offset. */
  function isoNow() {
    var d = new Date();
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    function pad(n, width) { return String(Math.abs(n)).padStart(width || 2, "0"); }
    var local = new Date(d.getTime() + offset * 60000);
    return local.toISOString().slice(0, 23) + sign + pad(Math.trunc(offset / 60)) + ":" + pad(offset % 60);
  }

  /* ---------- State: the outbox mirrored in memory, so a tap renders synchronously ---------- */

  var state = {
    items: new Map(),      // client_id -> outbox item (this tab's view of IndexedDB)
    live: new Set(),       // ids this tab is sending through htmx right now
    refused: [],
    serverDown: false,     // the last attempt could not reach the server
    needsLogin: false,
    csrf: null,
    retryDelay: 1000,
    retryTimer: null,
    writes: Promise.resolve()
  };
  var userId = body.getAttribute("data-user-id");

  function mine(item) { return item.owner == null || userId == null || String(item.owner) === String(userId); }

  /** Queue an IndexedDB write; writes from one tab land in order. */
  function persist(work) {
    state.writes = state.writes.then(work).catch(function (error) { console.error("Closer outbox", error); });
    return state.writes;
  }

  function reloadMirror() {
    if (!Outbox) return Promise.resolve();
    return state.writes.then(function () { return Promise.all([Outbox.list(), Outbox.refused()]); }).then(function (lists) {
      var before = state.items;
      state.items = new Map();
      lists[0].forEach(function (item) { if (mine(item)) state.items.set(item.client_id, item); });
      state.refused = lists[1].filter(mine);
      var acknowledgedElsewhere = false;
      before.forEach(function (item, id) { if (!state.items.has(id) && !state.live.has(id)) acknowledgedElsewhere = true; });
      render();
      return acknowledgedElsewhere;
    });
  }

  /* ---------- The screen: server state plus the outbox ---------- */

  var outcomeInfo = {};
  document.querySelectorAll("#tap-form button[name=outcome]").forEach(function (button) {
    var label = button.querySelector(".tap__label");
    outcomeInfo[button.value] = {
      points: parseInt(button.getAttribute("data-points"), 10) || 0,
      label: label ? label.textContent : button.value
    };
  });

  function labelFor(item) {
    return item.label || (outcomeInfo[item.outcome] && outcomeInfo[item.outcome].label) || item.outcome;
  }

  /** The day the tally counts: today in the rep's timezone. A cached tally from another day counts as zero. */
  function tallyBase(tally) {
    var today = localDay(new Date());
    if (tally.getAttribute("data-day") !== today) return { day: today, dials: 0, points: 0 };
    return {
      day: today,
      dials: parseInt(tally.getAttribute("data-dials"), 10) || 0,
      points: parseInt(tally.getAttribute("data-points"), 10) || 0
    };
  }

  function setText(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function render() {
    var tally = document.getElementById("tally");
    var recent = document.getElementById("recent");
    var items = Array.from(state.items.values()).filter(mine).sort(function (a, b) { return a.seq - b.seq; });
    var known = {};
    if (recent) {
      recent.querySelectorAll(".recent__item--waiting").forEach(function (li) { li.remove(); });
      recent.querySelectorAll("li[data-client-id]").forEach(function (li) {
        li.classList.remove("recent__item--undoing");
        known[li.getAttribute("data-client-id")] = li;
      });
    }
    var base = tally ? tallyBase(tally) : { day: localDay(new Date()), dials: 0, points: 0 };
    var dials = base.dials;
    var points = base.points;
    var waitingRows = [];
    items.forEach(function (item) {
      var counts = localDay(new Date(item.occurred_at)) === base.day;
      var li = known[item.client_id];
      if (item.kind === "tap") {
        if (li) return;  // the server already has it
        if (counts) { dials += 1; points += item.points || 0; }
        waitingRows.push(item);
      } else if (li) {
        if (!li.classList.contains("recent__item--undone")) {
          if (counts) { dials -= 1; points -= item.points || 0; }
          li.classList.add("recent__item--undoing");
        }
      } else if (item.origin === "server") {
        if (counts) { dials -= 1; points -= item.points || 0; }
      } else {
        waitingRows.push(item);  // a tap taken back before the device knew it arrived
      }
    });
    if (tally) {
      setText(tally.querySelector("[data-tally=dials]"), String(dials));
      setText(tally.querySelector("[data-tally=points]"), String(points));
    }
    // Like the server's list, only the latest few rows; the tally and the count cover the rest.
    if (recent && waitingRows.length) renderWaitingRows(recent, waitingRows.slice(-RECENT_SHOWN));
    renderStatus(items);
    renderRefused();
  }

  function renderWaitingRows(recent, rows) {
    var list = recent.querySelector(".recent__list");
    if (!list) {
      var empty = recent.querySelector(".empty");
      if (empty) empty.hidden = true;
      list = document.createElement("ol");
      list.className = "recent__list";
      recent.appendChild(list);
    }
    var fragment = document.createDocumentFragment();
    rows.slice().reverse().forEach(function (item) { fragment.appendChild(waitingRow(item)); });
    list.insertBefore(fragment, list.firstChild);
  }

  function waitingRow(item) {
    var li = document.createElement("li");
    var undone = item.kind === "undo";
    li.className = "recent__item recent__item--waiting" + (undone ? " recent__item--undone" : "");
    li.setAttribute("data-client-id", item.client_id);
    var outcome = document.createElement("span");
    outcome.className = "recent__outcome";
    outcome.textContent = labelFor(item);
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " (waiting to sync)";
    outcome.appendChild(hint);
    var time = document.createElement("time");
    time.setAttribute("datetime", item.occurred_at);
    time.textContent = clock(new Date(item.occurred_at));
    li.appendChild(outcome);
    li.appendChild(time);
    if (undone) {
      var mark = document.createElement("span");
      mark.className = "recent__undone";
      mark.textContent = "undone";
      li.appendChild(mark);
    } else {
      var pts = document.createElement("span");
      pts.className = "recent__points";
      pts.textContent = "+" + (item.points || 0);
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "undo";
      undo.setAttribute("data-undo-waiting", item.client_id);
      undo.setAttribute("aria-label", "Undo " + labelFor(item) + " at " + time.textContent);
      undo.textContent = "Undo";
      li.appendChild(pts);
      li.appendChild(undo);
    }
    return li;
  }

  var RECENT_SHOWN = 8;  // rows in the latest-calls list, as the server sends it
  var statusBox = document.getElementById("sync-status");
  function renderStatus(items) {
    if (!statusBox) return;
    var waiting = items.filter(function (item) { return !state.live.has(item.client_id); }).length;
    var offline = !navigator.onLine || state.serverDown;
    var count = document.getElementById("sync-waiting");
    var text = waiting ? waiting + " waiting to sync" : "";
    if (offline && !waiting) text = "Taps are saved on this device";
    setText(count, text);
    if (count) count.setAttribute("data-waiting", String(waiting));
    var badge = document.getElementById("offline-indicator");
    if (badge) badge.hidden = !offline;
    var login = document.getElementById("sync-login");
    if (login) login.hidden = !(state.needsLogin && waiting);
    statusBox.hidden = !(waiting || offline);
    statusBox.classList.toggle("banner--offline", offline);
  }

  var refusedBox = document.getElementById("sync-refused");
  function renderRefused() {
    if (!refusedBox) return;
    var list = document.getElementById("sync-refused-list");
    var keys = state.refused.map(function (item) { return item.client_id; }).join(",");
    if (list.getAttribute("data-keys") !== keys) {
      list.setAttribute("data-keys", keys);
      list.textContent = "";
      state.refused.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "refused__item";
        var when = item.occurred_at ? " at " + clock(new Date(item.occurred_at)) + " on " + localDay(new Date(item.occurred_at)) : "";
        li.textContent = (item.kind === "undo" ? "Undo of " : "") + labelFor(item) + when + ": " + item.reason;
        list.appendChild(li);
      });
    }
    refusedBox.hidden = state.refused.length === 0;
  }

  /* ---------- Taps and undos ---------- */

  /** Send through htmx now, or keep for the outbox? Offline or an unreachable server: keep. */
  function canSendLive() { return navigator.onLine && !state.serverDown && !state.needsLogin; }

  function track(item) {
    state.items.set(item.client_id, item);
    render();
    persist(function () { return Outbox && Outbox.put(item); });
    if (!item.attempts) askForBackgroundSync();
  }

  // Capture phase: runs before htmx sees the submit, so the tap shows and is
  // stored before any request; offline, htmx never sees it at all.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "tap-form") return;
    var button = event.submitter;
    if (!button || button.name !== "outcome") return;
    var info = outcomeInfo[button.value] || { points: parseInt(button.getAttribute("data-points"), 10) || 0 };
    queue(event, {
      client_id: newId(), kind: "tap", outcome: button.value, occurred_at: isoNow(),
      points: info.points, label: info.label
    });
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.undo");
    if (!button) return;
    var waitingId = button.getAttribute("data-undo-waiting");
    if (waitingId) return undoWaiting(waitingId);
    var li = button.closest("li[data-client-id]");
    if (!li) return;
    var time = li.querySelector("time");
    queue(event, {
      client_id: li.getAttribute("data-client-id"), kind: "undo", origin: "server",
      outcome: li.getAttribute("data-outcome"), occurred_at: time ? time.getAttribute("datetime") : isoNow(),
      points: parseInt(li.getAttribute("data-points"), 10) || 0
    });
  }, true);

  /** Record a tap or undo in the outbox; let htmx send it when online, or hold it for the next sync. */
  function queue(event, item) {
    var live = canSendLive();
    item.owner = userId;
    item.seq = Outbox ? Outbox.nextSeq() : Date.now();
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
    var item = state.items.get(clientId);
    if (!item || !Outbox) return;
    // Show it at once; the outbox decides (atomically) whether the server may have seen it.
    state.items.set(clientId, Object.assign({}, item, { kind: "undo", origin: "outbox" }));
    if (!item.attempts) state.items.delete(clientId);
    render();
    persist(function () {
      return Outbox.undo(clientId).then(function (result) {
        if (result.action === "deleted") state.items.delete(clientId);
        else state.items.set(clientId, result.item);
        render();
        if (result.action === "queued") scheduleSync(0);
      });
    });
  }

  /** The item a request belongs to, if it came from a tap or an undo we tracked. */
  function itemOf(detail) {
    var config = detail.requestConfig || detail;
    return config && config.triggeringEvent && config.triggeringEvent.closerItem;
  }

  body.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var item = itemOf(detail);
    if (item) {
      var current = state.items.get(item.client_id);
      // Taken back while it waited in htmx's queue: the outbox delivers the undo instead.
      if (!current || current.kind !== item.kind) {
        state.live.delete(item.client_id);
        render();
        scheduleSync(0);
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
    if (state.csrf) detail.headers["X-CSRFToken"] = state.csrf;
  });

  body.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    var item = itemOf(detail);
    var xhr = detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (!item) return;
    state.live.delete(item.client_id);
    if (status === 200 && !xhr.getResponseHeader("HX-Redirect")) {
      acknowledge(item);
      reachable(true);
      if (state.items.size) scheduleSync(0);
    } else if (status === 422 || status === 404) {
      var reason = (new DOMParser().parseFromString(xhr.responseText || "", "text/html").body.textContent || "").trim();
      refuseLocally(item, reason || "Refused by the server.");
    } else {
      // Lost on the way, an expired token or session, a server error: it stays for the outbox.
      if (status === 0) reachable(false);
      if (status === 204 || status === 401) state.needsLogin = true;
      var waiting = state.items.get(item.client_id);
      if (waiting) waiting.status = "pending";
      persist(function () { return Outbox && Outbox.release(item.client_id); });
      scheduleSync();
    }
    render();
  });

  body.addEventListener("htmx:afterSwap", render);
  body.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "recent-list") trimRecent();
    if (target && target.id === "tally") render();
  });
  // Whatever the server just changed on the screen is the state to start from offline.
  body.addEventListener("htmx:afterSettle", saveSnapshotFromPage);

  /** A tap's answer puts its row on top of the list; keep the server's rows to the list's length. */
  function trimRecent() {
    var rows = document.querySelectorAll("#recent-list > li[data-client-id]:not(.recent__item--waiting)");
    for (var i = RECENT_SHOWN; i < rows.length; i++) rows[i].remove();
  }

  function acknowledge(item) {
    var current = state.items.get(item.client_id);
    if (current && current.kind === item.kind) state.items.delete(item.client_id);
    persist(function () {
      return Outbox && Outbox.settle([item], [{ client_id: item.client_id, kind: item.kind, status: "accepted" }]);
    });
  }

  function refuseLocally(item, reason) {
    persist(function () {
      return Outbox && Outbox.settle([item], [{ client_id: item.client_id, kind: item.kind, status: "rejected", reason: reason }]);
    }).then(reloadMirror);
  }

  /* ---------- The last server state, for a cold start offline ---------- */

  /** The tally and the list as the server last sent them: this device's waiting rows left out. */
  function saveSnapshotFromPage() {
    var tally = document.getElementById("tally");
    var recent = document.getElementById("recent");
    if (!tally || !recent) return;
    var copy = recent.cloneNode(true);
    copy.querySelectorAll(".recent__item--waiting").forEach(function (li) { li.remove(); });
    copy.querySelectorAll(".recent__item--undoing").forEach(function (li) { li.classList.remove("recent__item--undoing"); });
    saveSnapshot(tally, copy);
  }

  function saveSnapshot(tally, recent) {
    if (!Outbox || !tally || !recent) return;
    var snapshot = {
      day: tally.getAttribute("data-day"), asOf: parseInt(tally.getAttribute("data-as-of"), 10) || 0,
      tally: tally.outerHTML, recent: recent.outerHTML, user: userId
    };
    persist(function () { return Outbox.setMeta("snapshot", snapshot); });
  }

  /** A cached page may be older than what this device last heard from the server: use the newer. */
  function applySnapshot() {
    var tally = document.getElementById("tally");
    var recent = document.getElementById("recent");
    if (!Outbox || !tally || !recent) return Promise.resolve();
    return Outbox.getMeta("snapshot").then(function (snapshot) {
      if (!snapshot || String(snapshot.user) !== String(userId)) return;
      if (snapshot.asOf <= (parseInt(tally.getAttribute("data-as-of"), 10) || 0)) return;
      replaceFromHtml({ tally: snapshot.tally, recent: snapshot.recent });
    }).catch(function () { /* no snapshot yet */ });
  }

  function replaceFromHtml(parts) {
    Object.keys(parts).forEach(function (id) {
      var current = document.getElementById(id);
      if (!current || !parts[id]) return;
      var holder = document.createElement("template");
      holder.innerHTML = parts[id];
      var fresh = holder.content.firstElementChild;
      if (!fresh) return;
      fresh.removeAttribute("hx-swap-oob");
      current.replaceWith(fresh);
      if (window.htmx) htmx.process(fresh);
    });
  }

  /** After a sync, read the main screen again so every widget matches the server. */
  function refreshFromServer() {
    if (!document.getElementById("tally")) return Promise.resolve();
    return fetch("/", { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok || response.redirected) return;
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var parts = {};
        ["tally", "recent", "game"].forEach(function (id) {
          var el = doc.getElementById(id);
          if (el) parts[id] = el.outerHTML;
        });
        replaceFromHtml(parts);
        saveSnapshot(doc.getElementById("tally"), doc.getElementById("recent"));
        render();
      });
    }).catch(function () { /* offline again: the outbox overlay stays */ });
  }

  /* ---------- Sync: every trigger funnels into one replay at a time ---------- */

  function reachable(ok) {
    if (state.serverDown === !ok) return;
    state.serverDown = !ok;
    render();
  }

  function setToken(token) {
    state.csrf = token;
    body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
  }

  function syncNow() {
    if (!Outbox) return Promise.resolve();
    return Outbox.sync({ exclude: state.live, onToken: setToken }).then(function (result) {
      reachable(true);
      state.needsLogin = result.status === "login";
      state.retryDelay = 1000;
      return reloadMirror().then(function (ackedElsewhere) {
        if (result.changed || ackedElsewhere) return refreshFromServer();
      }).then(function () { return result; });
    }, function (error) {
      reachable(false);
      scheduleSync();
      askForBackgroundSync();
      return reloadMirror().then(function () { return { status: "error", message: error && error.message }; });
    });
  }

  /** Retry with exponential backoff (1 s up to a minute): the network often returns in stages. */
  function scheduleSync(delay) {
    if (state.retryTimer) {
      if (delay !== 0) return;
      clearTimeout(state.retryTimer);
    }
    var wait = delay === undefined ? state.retryDelay * (0.8 + Math.random() * 0.4) : delay;
    if (delay === undefined) state.retryDelay = Math.min(state.retryDelay * 2, 60000);
    state.retryTimer = setTimeout(function () {
      state.retryTimer = null;
      if (!state.items.size && delay === undefined) return;
      syncNow();
    }, wait);
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("closer-outbox");
    }).catch(function () { /* not supported or not allowed: the other triggers remain */ });
  }

  window.addEventListener("online", function () { state.serverDown = false; render(); syncNow(); });
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state.items.size) syncNow();
  });
  if (Outbox && Outbox.channel) {
    Outbox.channel.addEventListener("message", function () {
      reloadMirror().then(function (ackedElsewhere) { if (ackedElsewhere) refreshFromServer(); });
    });
  }

  var refusedDismiss = document.getElementById("sync-refused-dismiss");
  if (refusedDismiss) refusedDismiss.addEventListener("click", function () {
    state.refused = [];
    render();
    persist(function () { return Outbox && Outbox.dismissRefused(); });
  });

  // Logging out: the page copy holds this rep's data, so drop it; waiting taps stay
  // with their owner and sync after the next login.
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("nav__logout")) {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget-shell" });
      }
    }
  });

  /* ---------- Service worker: offline shell, updates, Background Sync ---------- */

  var updateBanner = document.getElementById("update-banner");
  var reloadRequested = false;

  function offerUpdate(worker) {
    if (!updateBanner || !worker) return;
    updateBanner.hidden = false;
    document.getElementById("update-reload").onclick = function () {
      reloadRequested = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    };
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (registration) {
      if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
      registration.addEventListener("updatefound", function () {
        var worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
        });
      });
      if (!navigator.serviceWorker.controller && document.getElementById("tally")) {
        // This first page came from the network, not the worker: have the worker keep a copy.
        navigator.serviceWorker.ready.then(function (ready) {
          if (ready.active) ready.active.postMessage({ type: "cache-shell" });
        });
      }
    }).catch(function (error) { console.warn("Closer: no service worker", error); });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloadRequested) window.location.reload();
    });
  }

  /* ---------- Install ---------- */

  var installButton = document.getElementById("install-app");
  var installPrompt = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    installPrompt = event;
    if (installButton) installButton.hidden = false;
    var hint = document.getElementById("ios-install");
    if (hint) hint.hidden = true;
  });
  if (installButton) installButton.addEventListener("click", function () {
    if (!installPrompt) return;
    var prompt = installPrompt;
    installPrompt = null;
    installButton.hidden = true;
    prompt.prompt();
  });
  window.addEventListener("appinstalled", function () { if (installButton) installButton.hidden = true; });

  var standalone = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) || navigator.standalone === true;
  var iOS = /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  var iosHint = document.getElementById("ios-install");
  // Every iOS browser is Safari underneath: no install prompt, only Share > Add to Home Screen.
  if (iosHint && iOS && !standalone && !installPrompt) {
    var dismissed = false;
    try { dismissed = localStorage.getItem("closer-ios-hint") === "dismissed"; } catch (e) { /* private mode */ }
    iosHint.hidden = dismissed;
    document.getElementById("ios-install-dismiss").addEventListener("click", function () {
      iosHint.hidden = true;
      try { localStorage.setItem("closer-ios-hint", "dismissed"); } catch (e) { /* private mode */ }
    });
  }

  /* ---------- Start: show what waits, then flush it ---------- */

  render();
  var ready = (Outbox ? applySnapshot().then(reloadMirror) : Promise.resolve()).then(function () {
    if (userId && navigator.onLine) return syncNow();
  });

  window.Closer = {
    newId: newId,
    sync: syncNow,
    ready: ready,
    state: state,
    localDay: localDay
  };
})();
