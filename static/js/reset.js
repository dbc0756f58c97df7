/* The reset timer: counts down to the end the server set, guides box breathing, and unlocks
 * "I'm ready" at the half-way moment the server put in the page (data-ready-at), then "Done".
 *
 * The server recorded the start and refuses a finish before half the time, so this only has to
 * show the time honestly: it corrects for the device clock with the server's "now" at page load.
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
  var readyAt = Number(box.getAttribute("data-ready-at")) || endsAt;
  var skew = Number(box.getAttribute("data-server-now")) - Date.now();
  var remaining = document.getElementById("reset-remaining");
  var progress = document.getElementById("reset-progress");
  var status = document.getElementById("reset-status");
  var phase = document.getElementById("breath-phase");
  /** A word the server put in the page (#script-words, in the rep's language). */
  function word(key) {
    var block = document.getElementById("script-words");
    return (block ? JSON.parse(block.textContent)[key] : "") || "";
  }

  var PHASES = [word("breathe_in"), word("hold"), word("breathe_out"), word("hold")];
  var PHASE_MS = 4000;
  var total = Math.max(1, endsAt - startedAt);
  var timer = null;
  var ready = false;
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
    if (!ready && now >= readyAt && left > 0) {
      // Said once, not on every tick: a screen reader hears it one time.
      ready = true;
      done.disabled = false;
      done.textContent = word("ready");
      if (status) status.textContent = word("feeling_ready");
    }
    if (left <= 0) {
      clearInterval(timer);
      done.disabled = false;
      done.textContent = word("done");
      box.classList.add("reset--up");
      if (status) status.textContent = word("times_up");
      done.focus();
    }
  }

  // Until half the time has passed the button waits; without this script the server still checks the time.
  done.disabled = true;
  done.textContent = word("ready");
  tick();
  if (endsAt - serverNow() > 0) timer = setInterval(tick, 250);
})();
