/* Celebrations: a toast (and, for big moments, confetti) arrives by out-of-band swap;
   this adds a short vibration where supported and clears the toasts after a while.
   Motion is left out when the device asks for reduced motion. */
(function () {
  "use strict";
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var timer = null;

  function celebrate(box) {
    var kind = box.getAttribute("data-celebrate");
    if (!kind) return;
    if (!reduced && navigator.vibrate) navigator.vibrate(kind === "big" ? [40, 60, 40, 60, 80] : [30]);
    clearTimeout(timer);
    timer = setTimeout(function () {
      var current = document.getElementById("celebration");
      if (!current) return;
      current.classList.add("celebration--done");
      setTimeout(function () {
        current.innerHTML = ""; current.removeAttribute("data-celebrate"); current.classList.remove("celebration--done");
      }, 500);
    }, kind === "big" ? 5000 : 3500);
  }

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail && event.detail.target;
    // The swap replaced the element: look the new one up rather than keep the old.
    if (target && target.id === "celebration") celebrate(document.getElementById("celebration"));
  });
  var first = document.getElementById("celebration");
  if (first) celebrate(first);
})();
