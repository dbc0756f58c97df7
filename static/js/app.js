/* Closer's page script: small, no framework beyond htmx. Loaded with defer. */
(function () {
  "use strict";

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

  // Every tap gets its client id before its first attempt.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "tap-form" && !event.detail.parameters.client_id) {
      event.detail.parameters.client_id = newId();
    }
  });

  window.Closer = { newId: newId };
})();
