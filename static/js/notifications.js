/* Notifications on the page: the Settings switch that subscribes this browser to push,
 * and the bell, refreshed when the service worker shows a notification.
 *
 * The server decides everything else (which kinds, when, the VAPID key it writes into
 * the page); this file only talks to the browser's Push API and swaps the bell.
 */
(function () {
  "use strict";

  function csrfToken() {
    return fetch("/api/v1/csrf", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) { return body.csrf_token; });
  }

  function postJson(url, body) {
    return csrfToken().then(function (token) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(body)
      });
    });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function pushSupported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  /** The Settings switch: on subscribes this browser (asking permission only now), off unsubscribes it. */
  function setUpSwitch() {
    var box = document.getElementById("push-switch");
    if (!box) return;
    var toggle = document.getElementById("push-toggle");
    var status = document.getElementById("push-status");
    function say(text) { status.textContent = text; }
    if (!pushSupported()) {
      say("This browser cannot receive push notifications here (on an iPhone, install Closer to the home screen first). The list under the bell still works.");
      return;
    }
    if (Notification.permission === "denied") {
      say("Notifications are blocked for Closer in this browser's settings. The list under the bell still works.");
      return;
    }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (subscription) {
        toggle.checked = !!subscription;
        toggle.disabled = false;
        say(subscription ? "This browser gets notifications." : "This browser gets no notifications.");
        toggle.addEventListener("change", function () {
          toggle.disabled = true;
          var change = toggle.checked ? turnOn(registration, box) : turnOff(registration, box);
          change.then(function (text) { say(text); }, function (error) {
            toggle.checked = !toggle.checked;
            say(error && error.message ? error.message : "That did not work. Try again.");
          }).then(function () { toggle.disabled = false; });
        });
      });
    });
  }

  function turnOn(registration, box) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("Notifications were not allowed; nothing changed.");
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.publicKey)
      });
    }).then(function (subscription) {
      return postJson(box.dataset.subscribeUrl, subscription.toJSON());
    }).then(function (response) {
      if (!response.ok) throw new Error("The server did not take this browser's subscription.");
      return "This browser gets notifications.";
    });
  }

  function turnOff(registration, box) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return postJson(box.dataset.unsubscribeUrl, { endpoint: endpoint });
      });
    }).then(function () { return "This browser gets no notifications."; });
  }

  /** Swap the bell for a fresh one (its count) when a notification arrives or the page comes back. */
  function refreshBell() {
    var bell = document.getElementById("bell");
    if (!bell) return;
    fetch(bell.dataset.bellUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#bell");
        if (fresh && fresh.dataset.bellUrl) bell.replaceWith(fresh);
      })
      .catch(function () { /* offline: the count waits */ });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "closer-notification") refreshBell();
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refreshBell();
  });
  document.addEventListener("DOMContentLoaded", setUpSwitch);
  window.CloserNotifications = { refreshBell: refreshBell };
})();
