/* The reset timer: counts down to the end the server set, guides box breathing, then enables Done.
 *
 * The server recorded the start and refuses an early finish, so this only has to show the
 * time honestly: it corrects for the device clock with the server's "now" at page load.
 * The breathing shape is animated in CSS and stands still under prefers-reduced-motion;
 * the words still change every four seconds, which is text, not motion.
 */
(function () {
  "use strict";

  var box = document.getElementById("reset");
  var done = document.getElementById("reset-done");
  if (!box || !done) return;

  var startedAt = Number(box.getAttribute("data-started-at"));
  var endsAt = Number(box.getAttribute("data-ends-at"));
  var skew = Number(box.getAttribute("data-server-now")) - Date.now();
  var remaining = document.getElementById("reset-remaining");
  var progress = document.getElementById("reset-progress");
  var status = document.getElementById("reset-status");
  var phase = document.getElementById("breath-phase");
  var PHASES = ["Breathe in", "Hold", "Breathe out", "Hold"];
  var PHASE_MS = 4000;
  var total = Math.max(1, endsAt - startedAt);
  var timer = null;
  // The CSS shape starts moving when the page shows, so the words count from then too.
  var shownAt = Date.now();

  function serverNow() { return Date.now() + skew; }

  function clock(ms) {
    var seconds = Math.ceil(Math.max(0, ms) / 1000);
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function tick() {
    var now = serverNow();
    var left = endsAt - now;
    remaining.textContent = clock(left);
    if (progress) {
      progress.max = Math.round(total / 1000);
      progress.value = Math.min(progress.max, Math.round((now - startedAt) / 1000));
      progress.textContent = Math.round(100 * progress.value / progress.max) + "%";
    }
    if (phase) phase.textContent = PHASES[Math.floor((Date.now() - shownAt) / PHASE_MS) % PHASES.length];
    if (left <= 0) {
      clearInterval(timer);
      done.disabled = false;
      box.classList.add("reset--up");
      if (status) status.textContent = "Time's up. Tap Done to log your reset.";
      done.focus();
    }
  }

  // Until the time is up, Done waits; without this script the server still checks the time.
  done.disabled = true;
  tick();
  if (endsAt - serverNow() > 0) timer = setInterval(tick, 250);
})();
