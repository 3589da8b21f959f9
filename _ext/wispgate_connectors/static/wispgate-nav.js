/* WISPGate Integration Guide: fill the left navigation from _static/wg-nav.json.
 * Pages carry only the path to the current page and a few siblings, so their size
 * does not grow with the catalog.  The full lists are fetched only when a reader needs
 * them: when a group shortened to a window (its "All N" link) is expanded, at load for
 * the current page's group or when the reader opens one.  The file is fetched once per
 * page (and cached by the browser); without it the window and its link stay. */
(function () {
  "use strict";

  var loading = null;

  function root() {
    var html = document.documentElement;
    return html.getAttribute("data-content_root") || "./";
  }

  function load() {
    if (!loading) {
      loading = fetch(root() + "_static/wg-nav.json")
        .then(function (r) {
          if (!r.ok) throw new Error("wg-nav.json: " + r.status);
          return r.json();
        })
        .then(function (data) {
          var byUrl = {};
          data.groups.forEach(function (g) {
            g.entries.forEach(function (e) { byUrl[e.url] = e; });
          });
          return byUrl;
        });
      loading.catch(function () { loading = null; });  // opening a group again tries again
    }
    return loading;
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

  function complete(list) {
    if (list.hasAttribute("data-wg-filled")) return;
    load().then(function (byUrl) {
      var entry = byUrl[list.getAttribute("data-wg-nav")];
      if (entry && !list.hasAttribute("data-wg-filled")) fill(list, entry, root());
    }, function () { /* the windowed list and its "All N" link stay */ });
  }

  function init() {
    if (!window.fetch) return;
    var lists = document.querySelectorAll(".sidebar-tree ul[data-wg-nav]");
    Array.prototype.forEach.call(lists, function (list) {
      if (!list.querySelector(".wg-nav-all")) return;  // nothing left out of this group
      var box = list.parentElement.querySelector(":scope > input.toctree-checkbox");
      if (!box) { complete(list); return; }  // a theme without toggles shows every group
      if (box.checked) complete(list);
      box.addEventListener("change", function () { if (box.checked) complete(list); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
