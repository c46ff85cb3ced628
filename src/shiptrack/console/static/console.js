// Progress of a CSV import: polls its counts and updates the page (without script, a reload
// shows them). Served by shiptrack itself; the page's CSP allows no other script.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var box = document.querySelector("[data-progress-url]");
  if (!box || box.getAttribute("data-status") !== "running") return;
  var bar = document.getElementById("import-progress");
  function show(counts) {
    ["processed", "total", "created", "existing", "failed", "status"].forEach(function (name) {
      var field = box.querySelector('[data-field="' + name + '"]');
      if (field) field.textContent = String(counts[name]);
    });
    bar.max = counts.total;
    bar.value = counts.processed;
  }
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (counts) {
        show(counts);
        if (counts.status === "running") setTimeout(poll, 500);
        else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
})();
