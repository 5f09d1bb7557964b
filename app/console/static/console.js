// The console's only script (served from this origin; the CSP allows nothing else).
// Calendar: tapping or focusing a day shows its name and source document in #day-info,
// for phones where there is no hover.
(function () {
  "use strict";
  var info = document.getElementById("day-info");
  if (!info) { return; }
  function show(el) {
    info.textContent = el.getAttribute("data-info") || el.getAttribute("title") || "";
  }
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest(".day") : null;
    if (el) { show(el); }
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.classList && e.target.classList.contains("day")) { show(e.target); }
  });
})();
