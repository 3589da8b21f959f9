/* WISPGate Integration Guide: the landing filter and sortable tables.
 * Progressive enhancement only: without scripts every card and row stays visible. */
(function () {
  "use strict";

  function initFilter(form) {
    var grid = document.getElementById(form.getAttribute("data-target"));
    if (!grid) return;
    var items = Array.prototype.slice.call(grid.querySelectorAll(".wg-card-item"));
    var count = form.querySelector(".wg-filter-count");
    var fields = ["q", "domain", "use-case", "complexity", "status", "sync"];

    function value(name) {
      return form.elements[name].value.trim().toLowerCase();
    }

    function apply() {
      var q = value("q"), domain = value("domain"), useCase = value("use-case"), complexity = value("complexity");
      var status = value("status"), sync = value("sync");
      var shown = 0;
      items.forEach(function (item) {
        var ok = (!domain || item.classList.contains("wg-d-" + domain)) &&
          (!useCase || item.classList.contains("wg-u-" + useCase)) &&
          (!complexity || item.classList.contains("wg-c-" + complexity)) &&
          (!status || item.classList.contains("wg-s-" + status)) &&
          (!sync || item.classList.contains("wg-m-" + sync)) &&
          (!q || item.textContent.toLowerCase().indexOf(q) !== -1);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === items.length
        ? items.length + " connectors"
        : shown + " of " + items.length + " connectors";
      // keep the filter in the address, so a filtered view can be shared
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (name) {
        var v = value(name);
        if (v) params.set(name, v); else params.delete(name);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    var initial = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      if (initial.get(name)) form.elements[name].value = initial.get(name);
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function sortKey(cell) {
    var rank = { "wg-sort-low": "1", "wg-sort-medium": "2", "wg-sort-high": "3" };
    for (var cls in rank) {
      if (cell.classList.contains(cls)) return rank[cls];
    }
    return cell.textContent.trim().toLowerCase();
  }

  function initSortable(table) {
    var headers = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(headers, function (th, index) {
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      th.classList.add("wg-sort-header");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[index]), y = sortKey(b.cells[index]);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  function init() {
    document.querySelectorAll("form.wg-filter").forEach(initFilter);
    document.querySelectorAll("table.wg-sortable").forEach(initSortable);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
