/* WISPGate Integration Guide: fill the left navigation from _static/wg-nav/<group>.json.
 * Pages carry only the path to the current page and a few siblings, so their size
 * does not grow with the catalog.  The full lists are fetched only when a reader needs
 * them: when a group shortened to a window (its "All N" link) is expanded, at load for
 * the current page's group or when the reader opens one, and only that group's file
 * (cached by the browser); without it the window and its link stay. */
(function () {
  "use strict";

  var loading = {};

  function root() {
    var html = document.documentElement;
    return html.getAttribute("data-content_root") || "./";
  }

  // one group's full list (navigation.group_file), fetched once per page and group
  function load(file) {
    if (!loading[file]) {
      loading[file] = fetch(root() + "_static/" + file).then(function (r) {
        if (!r.ok) throw new Error(file + ": " + r.status);
        return r.json();
      });
      loading[file].catch(function () { delete loading[file]; });  // opening the group again tries again
    }
    return loading[file];
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
    var file = list.getAttribute("data-wg-nav-file");
    if (list.hasAttribute("data-wg-filled") || !file || !/^wg-nav\/[0-9a-f]+\.json$/.test(file)) return;
    load(file).then(function (entry) {
      if (entry && entry.url === list.getAttribute("data-wg-nav") && !list.hasAttribute("data-wg-filled")) {
        fill(list, entry, root());
      }
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
