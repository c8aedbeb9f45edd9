// Filters for the case and coverage tables, and reveal-on-link for anchors inside collapsed
// evidence. The report reads completely without it (everything is shown); nothing is fetched.
(function () {
  "use strict";

  function applyFilter(bar) {
    var table = document.getElementById(bar.getAttribute("data-target"));
    if (!table) return;
    var allowed = {};
    var boxes = bar.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) allowed[boxes[i].value] = boxes[i].checked;
    var search = bar.querySelector("input[type=search]");
    var query = search ? search.value.trim().toLowerCase() : "";
    var rows = table.querySelectorAll("tbody tr[data-status]");
    var shown = 0;
    for (var j = 0; j < rows.length; j++) {
      var row = rows[j];
      var visible = allowed[row.getAttribute("data-status")] !== false &&
          (query === "" || (row.getAttribute("data-text") || "").indexOf(query) !== -1);
      row.hidden = !visible;
      if (visible) shown++;
    }
    // A group's head row carries its tally, so it stays while its rows are only collapsed by
    // verdict; a search hides the groups it leaves empty.
    var groups = table.querySelectorAll("tbody");
    for (var k = 0; k < groups.length; k++) {
      var any = groups[k].querySelector("tr[data-status]:not([hidden])");
      var head = groups[k].querySelector("tr.group");
      if (head) head.hidden = !any && query !== "";
    }
    var out = bar.querySelector("output");
    if (out) out.textContent = shown + " of " + rows.length + " shown";
  }

  var bars = document.querySelectorAll(".filter-bar");
  for (var b = 0; b < bars.length; b++) {
    (function (bar) {
      bar.hidden = false;
      // Verdicts collapsed on opening (passing and not-applicable cases): their rows are one tick
      // away and their counts stay in each group's head row.
      var collapsed = (bar.getAttribute("data-collapsed") || "").split(" ");
      var ticks = bar.querySelectorAll("input[type=checkbox]");
      for (var c = 0; c < ticks.length; c++)
        if (collapsed.indexOf(ticks[c].value) !== -1) ticks[c].checked = false;
      bar.addEventListener("input", function () { applyFilter(bar); });
      bar.addEventListener("change", function () { applyFilter(bar); });
      bar.addEventListener("submit", function (e) { e.preventDefault(); });
      applyFilter(bar);
    })(bars[b]);
  }

  // A link to #case-... must land on a visible element, even inside closed evidence or a
  // filtered-out row.
  function reveal() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.hidden) node.hidden = false;
    }
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  if (location.hash) reveal();

  // Printing keeps what is open: each failing case's failing step (open in the page), the other
  // steps as their summary line (print CSS); nothing is opened for print, so a failing report
  // prints its findings rather than every passing step of every failing case.
})();
