/* Closer's service worker, served at /sw.js (scope /) by webapp/views/pwa.py.
 *
 * The server writes in VERSION (a hash of every static file), the precache list
 * and the outbox URL, so a deploy with new static files changes these bytes and
 * the browser installs the new worker; the page then offers "Reload".
 *
 * Rules: POSTs and /api/ are never touched; htmx fragments (HX-Request) are never
 * stored; the main page is network-first with a short timeout and falls back to
 * the last copy; versioned static files are cache-first.
 *
 * The kept main screen is one rep's: it is shown only while the server's
 * closer_user cookie names that same rep (read with the Cookie Store API where
 * the browser has it), and it is thrown away as soon as a page comes back for
 * someone else or for nobody (the login page, a redirect to it, a 401).
 */
"use strict";

var VERSION = "__CLOSER_VERSION__";
var PRECACHE = ["__CLOSER_PRECACHE__"];
var STATIC_CACHE = "closer-static-" + VERSION;
var PAGE_CACHE = "closer-pages";
var SHELL_URL = "/";
var NAVIGATION_TIMEOUT_MS = 3000;
var SYNC_TAG = "closer-outbox";
var OWNER_COOKIE = "closer_user";
var OWNER_HEADER = "X-Closer-User";

importScripts("__CLOSER_OUTBOX_URL__");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(PRECACHE); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("closer-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
      .then(function () { return refreshShell(); })
  );
  // Activation is one more chance to flush taps left waiting.
  syncInWorker().catch(function () { /* the page and Background Sync retry */ });
});

self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  if (type === "cache-shell") event.waitUntil(refreshShell());
  if (type === "forget-shell") event.waitUntil(caches.delete(PAGE_CACHE));
});

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) event.waitUntil(syncInWorker());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") return;
  if (request.headers.get("HX-Request")) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request, url));
  } else if (request.mode === "navigate" || (request.headers.get("Accept") || "").indexOf("text/html") !== -1) {
    event.respondWith(page(event, request, url));
  }
});

/** Replay the outbox from the worker (Background Sync, activation), with the page's own code. */
function syncInWorker() {
  return self.CloserOutbox.sync({}).then(function (result) {
    if (result.changed) return refreshShell();
    return null;
  });
}

/** Store the main page as the offline shell; only a real, logged-in page, never a redirect. */
function refreshShell() {
  var url = new URL(SHELL_URL, self.location.origin);
  return fetch(SHELL_URL, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
    return noteWhoseScreen(response, url).then(function () { return storePage(SHELL_URL, response); });
  }).catch(function () { return null; });
}

/** Forget the kept screen when a page answers for another rep, or for nobody (logged out, session ended). */
function noteWhoseScreen(response, url) {
  var owner = response.headers.get(OWNER_HEADER);
  var loggedOut = response.status === 401 || (url.pathname === SHELL_URL && (response.type === "opaqueredirect" || response.redirected));
  if (owner === null && !loggedOut) return Promise.resolve();
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(SHELL_URL).then(function (kept) {
      if (kept && (loggedOut || kept.headers.get(OWNER_HEADER) !== owner)) return cache.delete(SHELL_URL);
      return null;
    });
  });
}

/** Who the server says is logged in on this device: a user id, null for nobody, undefined when the worker cannot read cookies. */
function loggedInHere() {
  if (!self.cookieStore) return Promise.resolve(undefined);
  return self.cookieStore.get(OWNER_COOKIE).then(function (cookie) { return cookie ? cookie.value : null; }, function () { return undefined; });
}

function storePage(key, response) {
  if (!response || !response.ok || response.redirected || response.type !== "basic") return null;
  var type = response.headers.get("Content-Type") || "";
  if (type.indexOf("text/html") === -1) return null;
  var copy = response.clone();
  return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(key, copy); });
}

/** Only the main screen is kept: its forms work offline through the outbox; other pages' do not. */
function pageCacheKey(url) {
  return url.pathname === SHELL_URL ? SHELL_URL : null;
}

function page(event, request, url) {
  var key = pageCacheKey(url);
  var network = fetch(request);
  event.waitUntil(network.then(function (response) {
    var copy = key ? response.clone() : null;  // now, before the page reads the body
    return noteWhoseScreen(response, url).then(function () { return copy ? storePage(key, copy) : null; });
  }).catch(function () { return null; }));
  return new Promise(function (resolve) {
    var done = false;
    function finish(response) { if (!done) { done = true; resolve(response); } }
    var timer = setTimeout(function () {
      // A slow network: show the last copy now; the fresh one still refreshes the cache.
      cachedPage(key).then(function (cached) { if (cached) finish(cached); });
    }, NAVIGATION_TIMEOUT_MS);
    network.then(function (response) { clearTimeout(timer); finish(response); }, function () {
      clearTimeout(timer);
      cachedPage(key).then(function (cached) { finish(cached || offlinePage()); });
    });
  });
}

/** The kept copy, only for the rep it was kept for: whoever opens the app next never sees it. */
function cachedPage(key) {
  if (!key) return Promise.resolve(null);
  return caches.open(PAGE_CACHE).then(function (cache) {
    return Promise.all([cache.match(key), loggedInHere()]).then(function (found) {
      var kept = found[0], owner = found[1];
      if (!kept || owner === undefined) return kept || null;  // no Cookie Store API: cleared on every change seen
      if (kept.headers.get(OWNER_HEADER) === owner) return kept;
      return cache.delete(key).then(function () { return null; });
    });
  });
}

function staticFile(request, url) {
  var versioned = url.searchParams.get("v") === VERSION;
  return caches.open(STATIC_CACHE).then(function (cache) {
    return (versioned ? cache.match(request) : Promise.resolve(null)).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (versioned && response.ok) cache.put(request, response.clone());
        return response;
      }).catch(function () {
        // An old page asking for an old version offline gets the current file.
        return caches.match(request, { ignoreSearch: true }).then(function (any) { return any || Response.error(); });
      });
    });
  });
}

function offlinePage() {
  var css = PRECACHE.filter(function (u) { return u.indexOf("/css/") !== -1; })[0] || "";
  var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Offline · Closer</title><link rel=\"stylesheet\" href=\"" + css + "\"></head>" +
    "<body><main class=\"page\"><section class=\"card\"><h1>You are offline</h1>" +
    "<p>This page needs a connection. Logging calls works offline on the main screen; " +
    "taps are saved on this device and sync when you are back online.</p>" +
    "<p><a class=\"button\" href=\"/\">Open the main screen</a></p></section></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/* ---- Notifications: push, click, snooze. Their own handlers, apart from caching. ---- */

var SNOOZE_ACTION = "snooze";

self.addEventListener("push", function (event) {
  event.waitUntil(showPushed(event.data ? readPush(event.data) : null));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(answerNotification(event.notification, event.action));
});

// Tests (and nothing else) can ask the worker to act as if a shown notification were clicked:
// Chromium's DevTools can deliver a push but not click what it shows.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "closer-notification-click") return;
  event.waitUntil(self.registration.getNotifications({ tag: data.tag }).then(function (shown) {
    if (!shown.length) return null;
    shown[0].close();
    return answerNotification(shown[0], data.action || "");
  }));
});

function readPush(data) {
  try { return data.json(); } catch (error) { return { title: "Closer", body: data.text() }; }
}

/** Show what the server pushed, with the app's icon and badge; reminders get a Snooze button. */
function showPushed(message) {
  message = message || { title: "Closer", body: "" };
  var options = {
    body: message.body || "",
    icon: message.icon || "/static/icons/icon-192.png",
    badge: message.badge || "/static/icons/badge-96.png",
    tag: message.tag || "closer",
    renotify: true,
    data: { id: message.id, url: message.url || "/", reminder: !!message.reminder }
  };
  if (message.reminder) options.actions = [{ action: SNOOZE_ACTION, title: "Snooze 1 h" }];
  return self.registration.showNotification(message.title || "Closer", options).then(tellPages);
}

/** Open pages refresh their bell. */
function tellPages() {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "closer-notification" }); });
  });
}

/** A click opens the right page (through the inbox, which notes it was opened); Snooze asks the server. */
function answerNotification(notification, action) {
  var data = notification.data || {};
  if (action === SNOOZE_ACTION && data.id) return snoozeReminder(data.id);
  var target = data.id ? "/notifications/" + encodeURIComponent(data.id) + "/open" : (data.url || "/");
  return focusOrOpen(target);
}

/** Bring an open Closer window to the page (focused when the browser allows it), else open one. */
function focusOrOpen(target) {
  var url = new URL(target, self.location.origin);
  if (url.origin !== self.location.origin) url = new URL("/", self.location.origin);
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    var page = pages.filter(function (p) { return new URL(p.url).origin === url.origin; })[0];
    if (!page) return self.clients.openWindow(url.href);
    return page.navigate(url.href).then(function (navigated) {
      var shown = navigated || page;
      return shown.focus ? shown.focus().catch(function () { return shown; }) : shown;
    }).catch(function () { return self.clients.openWindow(url.href); });
  });
}

function snoozeReminder(id) {
  return fetch("/api/v1/csrf", { credentials: "same-origin" }).then(function (response) {
    return response.json();
  }).then(function (body) {
    return fetch("/api/v1/notifications/" + encodeURIComponent(id) + "/snooze", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": body.csrf_token }
    });
  }).catch(function () { return null; });
}
