/* WISPGate Integration Guide: the landing filter, sortable tables and the redirect of an
 * anchor to the part of a catalog page that holds it.
 * Progressive enhancement only: without scripts the form stays hidden and a sentence
 * points to the domain pages, and every table row stays where it is. */
(function () {
  "use strict";

  var KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var indexPromise = null;

  function root() {
    return document.documentElement.getAttribute("data-content_root") || "./";
  }

  /* catalog-index.json (shape version 2), fetched once per page and only when needed.
   * decodeIndex makes its rows objects named by its "fields", with the defaults its schema
   * names filled in (schema/catalog-index.schema.json), and each connector's data path;
   * the planner uses it too (window.wgCatalog). */
  function loadIndex() {
    if (!indexPromise) {
      indexPromise = fetch(root() + "catalog-index.json")
        .then(function (r) {
          if (!r.ok) throw new Error("catalog-index.json: " + r.status);
          return r.json();
        })
        .then(decodeIndex);
      indexPromise.catch(function () { indexPromise = null; });  // a later interaction may try again
    }
    return indexPromise;
  }

  function decodeIndex(index) {
    var fields = index.fields;
    index.connectors = index.connectors.map(function (row) {
      var c = {};
      fields.forEach(function (name, i) { if (i < row.length) c[name] = row[i]; });
      c.status = c.status || "ga";
      c.after = c.after || [];
      c.url = c.url || index.url_template.replace("{id}", c.id);
      c.data = index.data_template.replace("{id}", c.id);
      return c;
    });
    return index;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* --- the landing filter: the whole catalog from the index, rendered on demand -------- */

  function initFilter(form) {
    var results = document.getElementById(form.getAttribute("data-target"));
    if (!results || !window.fetch) return;
    var list = results.querySelector(".wg-results");
    var more = results.querySelector(".wg-results-more");
    var none = el("p", "wg-results-none", "No connector matches: clear the search or a filter.");
    none.hidden = true;
    results.insertBefore(none, list);
    var count = form.querySelector(".wg-filter-count");
    var all = form.querySelector(".wg-filter-all");
    var page = parseInt(form.getAttribute("data-page"), 10) || 60;
    var badges = JSON.parse(form.getAttribute("data-badges") || "{}");
    var fields = ["q", "domain", "use-case", "complexity", "status", "sync"];
    var data = null, titles = null, matches = [], shown = 0, started = false;

    function value(name) {
      return form.elements[name].value.trim().toLowerCase();
    }

    function prepare(index) {
      titles = { domain: {}, useCase: {} };
      index.domains.forEach(function (d) { titles.domain[d.key] = d.title; });
      index.use_cases.forEach(function (u) { titles.useCase[u.key] = u.title; });
      data = index.connectors.filter(function (c) { return c.status !== "archived"; }).map(function (c) {
        var words = [c.name, c.id, c.type, titles.domain[c.domain] || c.domain].concat(
          c.use_cases.map(function (u) { return titles.useCase[u] || u; }));
        return { c: c, text: words.join(" ").toLowerCase() };
      });
    }

    function badge(text, classes) {
      return el("span", classes, text);
    }

    function item(c) {
      var li = el("li", "wg-result");
      var title = el("p", "wg-result-name");
      var a = el("a", "reference internal", c.name);
      a.href = root() + c.url;
      title.appendChild(a);
      li.appendChild(title);
      var meta = el("p", "wg-result-meta");
      meta.appendChild(badge(c.type, badges.type));
      var level = (badges.complexity || {})[c.complexity];
      if (level) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(badge(level[0], level[1])); }
      var status = (badges.status || {})[c.status];
      if (status) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(badge(status[0], status[1])); }
      li.appendChild(meta);
      var where = [titles.domain[c.domain] || c.domain];
      var cases = c.use_cases.map(function (u) { return titles.useCase[u] || u; }).join(", ");
      li.appendChild(el("p", "wg-result-where", where + (cases ? " · " + cases : "")));
      return li;
    }

    function showMore(focus) {
      var next = matches.slice(shown, shown + page);
      var fragment = document.createDocumentFragment();
      next.forEach(function (m) { fragment.appendChild(item(m.c)); });
      var first = fragment.firstChild;
      list.appendChild(fragment);
      shown += next.length;
      var left = matches.length - shown;
      more.hidden = left <= 0;
      more.firstChild.textContent = "Show " + Math.min(page, left) + " more (" + left + " not shown)";
      updateCount();
      if (focus && first) first.querySelector("a").focus();
    }

    function updateCount() {
      var total = data.length;
      var noun = total === 1 ? " connector" : " connectors";
      var text = matches.length === total ? total + noun : matches.length + " of " + total + noun;
      if (shown < matches.length) text += "; the first " + shown + " are listed";
      count.textContent = text;
    }

    function render() {
      var q = value("q"), domain = value("domain"), useCase = value("use-case"), complexity = value("complexity");
      var status = value("status"), sync = value("sync");
      matches = data.filter(function (m) {
        var c = m.c;
        return (!domain || c.domain === domain) &&
          (!useCase || c.use_cases.indexOf(useCase) !== -1) &&
          (!complexity || c.complexity === complexity) &&
          (!status || c.status === status) &&
          (!sync || c.sync === sync) &&
          (!q || m.text.indexOf(q) !== -1);
      });
      list.replaceChildren();
      shown = 0;
      none.hidden = matches.length > 0;
      results.hidden = false;
      if (all) all.hidden = true;
      showMore(false);
    }

    function remember() {
      // keep the filter in the address, so a filtered view can be shared
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (name) {
        var v = value(name);
        if (v) params.set(name, v); else params.delete(name);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function apply() {
      remember();
      if (data) { render(); return; }
      if (!started) count.textContent = "Loading the catalog…";
      started = true;
      loadIndex().then(function (index) {
        if (!data) prepare(index);
        render();
      }, function () {
        started = false;
        count.textContent = "The list of connectors could not be loaded (opened from a file?): " +
          "the domain pages list every connector.";
      });
    }

    var initial = new URLSearchParams(window.location.search);
    var asked = false;
    fields.forEach(function (name) {
      var v = initial.get(name);
      if (!v) return;
      form.elements[name].value = v;
      asked = asked || form.elements[name].value !== "";
    });
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    if (all) all.addEventListener("click", apply);
    more.firstChild.addEventListener("click", function () { showMore(true); });
    form.hidden = false;
    if (asked) apply();  // a shared, filtered address: show its matches at once
  }

  /* --- an anchor on a catalog page split into parts -------------------------------------
   * Family pages (catalog/ports.html...) carry data-wg-parts="<prefix>": an old link to
   * #<prefix>-<connector id> goes to the part page of the connector's domain that holds it.
   * Parts chunk each domain's connectors in the index's order, data-wg-page-size each. */

  function redirectToPart(holder) {
    var prefix = holder.getAttribute("data-wg-parts");
    var base = holder.getAttribute("data-wg-base") || "";
    var size = parseInt(holder.getAttribute("data-wg-page-size"), 10);
    var suffix = holder.getAttribute("data-wg-suffix") || ".html";
    var hash = window.location.hash;
    if (!prefix || !size || size < 1 || hash.indexOf("#" + prefix + "-") !== 0) return;
    var id;
    try { id = decodeURIComponent(hash.slice(1)); } catch (e) { return; }
    if (document.getElementById(id)) return;
    var cid = id.slice(prefix.length + 1);
    if (!KEY.test(cid) || !window.fetch) return;
    loadIndex().then(function (index) {
      // parts cut the index's order, archived connectors included (listing.Scope.members);
      // an archived connector is on no part page
      var members = index.connectors;
      var target = members.filter(function (c) { return c.id === cid; })[0];
      if (!target || target.status === "archived" || !KEY.test(target.domain)) return;
      var position = 0;
      for (var i = 0; members[i] !== target; i += 1) {
        if (members[i].domain === target.domain) position += 1;
      }
      var part = Math.floor(position / size) + 1;
      var page = target.domain + (part === 1 ? "" : "--" + part) + suffix;  // generate.part_doc
      window.location.replace(root() + base + page + hash);
    }, function () { /* the page stays as it is */ });
  }

  /* --- sortable tables ------------------------------------------------------------------ */

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
    var holder = document.querySelector("[data-wg-parts]");
    if (holder) {
      redirectToPart(holder);
      window.addEventListener("hashchange", function () { redirectToPart(holder); });
    }
  }

  window.wgCatalog = { decodeIndex: decodeIndex };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
