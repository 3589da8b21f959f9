/* WISPGate Integration Guide: the stack planner.
 * The reader picks connectors (pre-selected from ?c=a,b,c, and the address follows the picks);
 * the page shows one plan: the order to set them up, merged prerequisites, one firewall
 * table, one readiness checklist and the worst outage fail modes.  Data comes from
 * catalog-index.json (shape version 2: rows, defaults left out; see decode) and one
 * connectors/<id>.json per picked connector. */
(function () {
  "use strict";

  var FAIL_RANK = { closed: 0, degraded: 1, open: 2 };
  var FAIL_WORDS = {
    closed: "fails closed: subscribers lose service or cannot pay",
    degraded: "degrades: service continues with less",
    open: "fails open: subscribers keep their service"
  };

  /* order(index, ids): domains in the catalog's order (network and AAA first, then payments,
   * messaging, operations); within a domain, connectors named in `after` come first, then by name. */
  function order(index, ids) {
    var byId = {}, domainRank = {};
    index.connectors.forEach(function (c) { byId[c.id] = c; });
    index.domains.forEach(function (d, i) { domainRank[d.key] = i; });
    var chosen = ids.filter(function (id) { return byId[id]; }).map(function (id) { return byId[id]; });
    chosen.sort(function (a, b) {
      return (domainRank[a.domain] - domainRank[b.domain]) || a.name.localeCompare(b.name);
    });
    var out = [], placed = {}, visiting = {};
    function place(c) {
      if (placed[c.id] || visiting[c.id]) return;
      visiting[c.id] = true;
      (c.after || []).forEach(function (dep) {
        var d = byId[dep];
        if (d && d.domain === c.domain && chosen.indexOf(d) !== -1) place(d);
      });
      visiting[c.id] = false;
      placed[c.id] = true;
      out.push(c);
    }
    chosen.forEach(place);
    return out;
  }

  /* catalog-index.json's rows as objects with their defaults: the decoder of wispgate.js,
   * which every page loads before this script. */
  function decode(json) {
    return window.wgCatalog.decodeIndex(json);
  }

  function norm(text) { return text.toLowerCase().replace(/[`*_]/g, "").replace(/\s+/g, " ").trim(); }

  /* merge(index, ordered, details): the plan's merged parts; details[id] is connectors/<id>.json. */
  function merge(index, ordered, details) {
    var prereqs = [], seen = {}, rules = [], ruleSeen = {}, own = [], outage = [];
    ordered.forEach(function (c) {
      var d = details[c.id];
      (d.prerequisites || []).forEach(function (p) {
        var k = norm(p);
        if (seen[k]) { seen[k].from.push(c.name); return; }
        seen[k] = { text: p, from: [c.name] };
        prereqs.push(seen[k]);
      });
      (d.network || []).forEach(function (r) {
        var k = [r.from, r.to, r.protocol, r.ports.join(","), r.host || ""].join("|").toLowerCase();
        if (ruleSeen[k]) { ruleSeen[k].from.push(c.name); return; }
        ruleSeen[k] = { rule: r, from: [c.name], url: c.href || c.url };
        rules.push(ruleSeen[k]);
      });
      var r = d.readiness || {};
      var items = (r.pre_deployment || []).concat(r.post_deployment || []);
      if (items.length) own.push({ name: c.name, url: c.href || c.url, items: items });
      if (d.outage) outage.push({ name: c.name, url: c.href || c.url, mode: d.outage.fail_mode, subscribers: d.outage.subscribers });
    });
    outage.sort(function (a, b) { return FAIL_RANK[a.mode] - FAIL_RANK[b.mode] || a.name.localeCompare(b.name); });
    var common = (index.readiness.pre_deployment || []).concat(index.readiness.post_deployment || []);
    return { prerequisites: prereqs, rules: rules, common: common, own: own, outage: outage };
  }

  function inline(text) {
    /* MyST source as safe HTML: escape first, then `code`; links and roles keep their words */
    var esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    esc = esc.replace(/\{[\w:-]+\}`([^`]*)`/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    return esc.replace(/`([^`]+)`/g, "<code>$1</code>");
  }

  function plain(text) {
    return text.replace(/\{[\w:-]+\}`([^`]*)`/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  }

  function markdown(ordered, plan) {
    var lines = ["# Implementation plan", "", "## Order", ""];
    ordered.forEach(function (c, i) { lines.push((i + 1) + ". " + c.name + " (" + c.url + ")"); });
    lines.push("", "## Prerequisites", "");
    plan.prerequisites.forEach(function (p) { lines.push("- " + plain(p.text) + " (" + p.from.join(", ") + ")"); });
    lines.push("", "## Firewall rules", "", "| From | To | Protocol | Ports | Purpose | Guide |", "|---|---|---|---|---|---|");
    plan.rules.forEach(function (x) {
      var r = x.rule, to = r.to + (r.host ? " " + r.host : "");
      lines.push("| " + [r.from, to, r.protocol.toUpperCase(), r.ports.join(", "),
        (r.optional ? "Optional: " : "") + plain(r.purpose), x.from.join(", ")].join(" | ").replace(/\n/g, " ") + " |");
    });
    lines.push("", "## Readiness checklist", "");
    plan.common.forEach(function (t) { lines.push("- [ ] " + plain(t)); });
    plan.own.forEach(function (o) {
      lines.push("", "### " + o.name, "");
      o.items.forEach(function (t) { lines.push("- [ ] " + plain(t)); });
    });
    lines.push("", "## If an integration is down", "");
    plan.outage.forEach(function (o) { lines.push("- " + o.name + ": " + FAIL_WORDS[o.mode] + ". " + plain(o.subscribers)); });
    return lines.join("\n") + "\n";
  }

  function render(out, ordered, plan) {
    var html = [];
    html.push('<h3>Set up in this order</h3><ol class="wg-plan-order">');
    ordered.forEach(function (c) {
      html.push('<li><a href="' + (c.href || c.url) + '">' + inline(c.name) + "</a></li>");
    });
    html.push("</ol><h3>Prerequisites</h3><ul class=\"wg-plan-prereqs\">");
    plan.prerequisites.forEach(function (p) {
      html.push("<li>" + inline(p.text) + ' <span class="wg-plan-from">(' + inline(p.from.join(", ")) + ")</span></li>");
    });
    html.push('</ul><h3>Firewall rules</h3><div class="table-wrapper"><table class="wg-network wg-plan-rules">' +
      "<thead><tr><th>From</th><th>To</th><th>Protocol</th><th>Ports</th><th>Purpose</th><th>Guide</th></tr></thead><tbody>");
    plan.rules.forEach(function (x) {
      var r = x.rule;
      html.push("<tr><td>" + inline(r.from) + "</td><td>" + inline(r.to) + (r.host ? " <code>" + inline(r.host) + "</code>" : "") +
        "</td><td>" + r.protocol.toUpperCase() + "</td><td><code>" + inline(r.ports.join(", ")) + "</code></td><td>" +
        (r.optional ? "<em>Optional:</em> " : "") + inline(r.purpose) + '</td><td><a href="' + x.url + '">' +
        inline(x.from.join(", ")) + "</a></td></tr>");
    });
    html.push('</tbody></table></div><h3>Readiness checklist</h3><ul class="wg-plan-checklist">');
    plan.common.forEach(function (t) { html.push("<li>☐ " + inline(t) + "</li>"); });
    html.push("</ul>");
    plan.own.forEach(function (o) {
      html.push('<h4><a href="' + o.url + '">' + inline(o.name) + '</a></h4><ul class="wg-plan-checklist">');
      o.items.forEach(function (t) { html.push("<li>☐ " + inline(t) + "</li>"); });
      html.push("</ul>");
    });
    html.push('<h3>If an integration is down</h3><ul class="wg-plan-outage">');
    plan.outage.forEach(function (o) {
      html.push('<li class="wg-plan-fail-' + o.mode + '"><strong>' + inline(o.name) + "</strong>: " + FAIL_WORDS[o.mode] +
        ". " + inline(o.subscribers) + "</li>");
    });
    html.push("</ul>");
    out.innerHTML = html.join("");
  }

  function init(root) {
    var base = root.getAttribute("data-index").replace(/catalog-index\.json$/, "");
    var choices = root.querySelector(".wg-planner-choices"), out = root.querySelector(".wg-planner-output");
    var search = root.querySelector("input[name=q]"), copied = root.querySelector(".wg-planner-copied");
    var index = null, details = {}, current = { ordered: [], plan: null };

    function picked() {
      return Array.prototype.slice.call(choices.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    }

    function fetchJson(url) {
      return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.json(); });
    }

    function update() {
      var ids = picked();
      var params = new URLSearchParams(window.location.search);
      params.delete("c");
      var query = params.toString();  // commas stay readable: ?c=mikrotik,stripe
      if (ids.length) query = (query ? query + "&" : "") + "c=" + ids.map(encodeURIComponent).join(",");
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      if (!ids.length) { out.innerHTML = "<p>Pick one or more connectors above.</p>"; current.ordered = []; return; }
      var ordered = order(index, ids);
      Promise.all(ordered.map(function (c) {
        return details[c.id] ? details[c.id] : fetchJson(base + c.data).then(function (d) { details[c.id] = d; return d; });
      })).then(function () {
        if (picked().join(",") !== ids.join(",")) return;  // a newer pick is on its way
        current.ordered = ordered;
        current.plan = merge(index, ordered, details);
        render(out, ordered, current.plan);
      }, function () { out.textContent = "The planner could not load its data (opened from a file?)."; });
    }

    function build() {
      var wanted = (new URLSearchParams(window.location.search).get("c") || "").split(",");
      index.domains.forEach(function (d) {
        var members = index.connectors.filter(function (c) { return c.domain === d.key && c.status !== "archived"; });
        if (!members.length) return;
        var fs = document.createElement("fieldset");
        var legend = document.createElement("legend");
        legend.textContent = d.title;
        fs.appendChild(legend);
        members.forEach(function (c) {
          var label = document.createElement("label"), box = document.createElement("input");
          box.type = "checkbox";
          box.value = c.id;
          box.checked = wanted.indexOf(c.id) !== -1;
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + c.name + (c.status === "ga" ? "" : " (" + c.status + ")")));
          label.setAttribute("data-search", (c.name + " " + c.id + " " + c.type).toLowerCase());
          fs.appendChild(label);
        });
        choices.appendChild(fs);
      });
      choices.addEventListener("change", update);
      search.addEventListener("input", function () {
        var q = search.value.trim().toLowerCase();
        choices.querySelectorAll("label").forEach(function (l) {
          l.hidden = !!q && l.getAttribute("data-search").indexOf(q) === -1;
        });
      });
      root.querySelector("[data-action=print]").addEventListener("click", function () { window.print(); });
      root.querySelector("[data-action=markdown]").addEventListener("click", function () {
        if (!current.ordered.length) return;
        var text = markdown(current.ordered, current.plan);
        root.setAttribute("data-markdown", text);
        var done = function () { copied.textContent = "Copied."; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { copied.textContent = "Copy failed: select the plan instead."; });
        } else {
          copied.textContent = "Copying needs a secure page (https); the plan is above.";
        }
      });
      root.hidden = false;
      update();
    }

    fetchJson(root.getAttribute("data-index")).then(function (json) {
      index = decode(json);
      index.connectors.forEach(function (c) { c.href = base + c.url; });  // urls are from the site root
      build();
    }, function () {
      root.hidden = false;
      out.textContent = "The planner could not load its data (opened from a file?).";
    });
  }

  window.wgPlanner = { decode: decode, order: order, merge: merge, markdown: markdown };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".wg-planner").forEach(init);
  });
})();
