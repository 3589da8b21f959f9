/* WISPGate Integration Guide: the error lookup of the troubleshooting
 * index.  A pasted line is matched against every failure point's exact `match` strings, its
 * symptom and its cause; exact matches rank first, then numbers, codes and identifiers.
 * Without scripts the index below is the whole tool. */
(function () {
  "use strict";

  var STOP = " the and for with from that this when are was not you your has have but its into than then " +
    "there their them they been will can all any may one our out who how what where which while ";

  function tokens(text) {
    var out = {};
    (text.toLowerCase().match(/[a-z0-9][a-z0-9_.:\/-]*[a-z0-9]|[0-9]/g) || []).forEach(function (t) {
      var strong = /[0-9]/.test(t) || /[_.:\/-]/.test(t);
      if (!strong && (t.length < 3 || STOP.indexOf(" " + t + " ") !== -1)) return;
      out[t] = strong ? 3 : 1;
    });
    return out;
  }

  /* score(failure, pasted): exact match strings dominate, then weighted token overlap. */
  function score(f, pasted, pastedTokens) {
    var s = 0, exact = 0;
    (f.match || []).forEach(function (m) {
      if (m && pasted.indexOf(m.toLowerCase()) !== -1) { exact += 1; s += 1000 + m.length; }
    });
    var symptom = " " + f.symptom.toLowerCase() + " ";
    var rest = " " + (f.cause + " " + (f.match || []).join(" ")).toLowerCase() + " ";
    Object.keys(pastedTokens).forEach(function (t) {
      var w = pastedTokens[t];
      if (symptom.indexOf(t) !== -1) s += 2 * w;
      else if (rest.indexOf(t) !== -1) s += w;
    });
    return { score: s, exact: exact };
  }

  function rank(failures, text) {
    var pasted = text.toLowerCase(), ts = tokens(text);
    return failures.map(function (f) {
      var r = score(f, pasted, ts);
      return { f: f, score: r.score, exact: r.exact };
    }).filter(function (r) { return r.score >= 2; })
      .sort(function (a, b) { return b.score - a.score || a.f.name.localeCompare(b.f.name); });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function initLookup(form) {
    var area = form.querySelector("textarea"), status = form.querySelector(".wg-lookup-status");
    var list = form.querySelector(".wg-lookup-results"), data = null, loading = null, timer = null;
    var index = form.getAttribute("data-index");

    function load() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-failures")).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (json) { data = json.failures; return data; });
      }
      return loading;
    }

    function show(results, text) {
      list.textContent = "";
      if (!text.trim()) { status.textContent = ""; return; }
      if (!results.length) {
        status.textContent = "No failure point matches that text. ";
        var a = el("a", null, "Browse the full index by symptom");
        a.href = index;
        status.appendChild(a);
        status.appendChild(document.createTextNode("."));
        return;
      }
      status.textContent = results.length > 10 ? "The 10 closest of " + results.length + " failure points:"
        : results.length + " matching failure point" + (results.length > 1 ? "s:" : ":");
      results.slice(0, 10).forEach(function (r) {
        var li = el("li", "wg-lookup-result" + (r.exact ? " wg-lookup-exact" : ""));
        var title = el("p", "wg-lookup-symptom");
        var a = el("a", null, r.f.symptom);
        a.href = r.f.url;
        title.appendChild(a);
        li.appendChild(title);
        var who = el("p", "wg-lookup-connector", r.f.name + (r.exact ? " · exact match" : ""));
        li.appendChild(who);
        li.appendChild(el("p", "wg-lookup-cause", "Cause: " + r.f.cause));
        li.appendChild(el("p", "wg-lookup-fix", "Fix: " + r.f.fix));
        list.appendChild(li);
      });
    }

    function run() {
      var text = area.value;
      if (!text.trim()) { show([], text); return; }
      load().then(function (failures) { show(rank(failures, text), text); }, function () {
        status.textContent = "The lookup could not load its data (opened from a file?). Use the index below.";
      });
    }

    area.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(run, 150); });
    form.hidden = false;
  }

  window.wgLookup = { rank: rank, tokens: tokens };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.wg-lookup").forEach(initLookup);
  });
})();
