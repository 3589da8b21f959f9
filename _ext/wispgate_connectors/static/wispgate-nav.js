/* WISPGate Integration Guide: fill the left navigation from _static/wg-nav.json.
 * Pages carry only the path to the current page and a few siblings, so their size
 * does not grow with the catalog; this script loads the full lists once (the
 * browser caches the file) and puts every connector back under its group. */
(function () {
  "use strict";

  function root() {
    var html = document.documentElement;
    return html.getAttribute("data-content_root") || "./";
  }

  function fill(list, entry, base) {
    var here = window.location.pathname;
    var fragment = document.createDocumentFragment();
    entry.children.forEach(function (child) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var href = new URL(base + child.url, window.location.href);
      li.className = "toctree-l2";
      a.className = "reference internal";
      a.textContent = child.title;
      if (href.pathname === here) {
        li.className += " current current-page";
        a.className = "current reference internal";
        a.href = "#";
      } else {
        a.href = base + child.url;
      }
      li.appendChild(a);
      fragment.appendChild(li);
    });
    list.replaceChildren(fragment);
    list.setAttribute("data-wg-filled", "");
  }

  function init() {
    var lists = document.querySelectorAll(".sidebar-tree ul[data-wg-nav]");
    if (!lists.length || !window.fetch) return;
    var base = root();
    fetch(base + "_static/wg-nav.json")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var byUrl = {};
        data.groups.forEach(function (g) {
          g.entries.forEach(function (e) { byUrl[e.url] = e; });
        });
        lists.forEach(function (list) {
          var entry = byUrl[list.getAttribute("data-wg-nav")];
          if (entry) fill(list, entry, base);
        });
      })
      .catch(function () { /* the windowed list and its "All N" link stay */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
