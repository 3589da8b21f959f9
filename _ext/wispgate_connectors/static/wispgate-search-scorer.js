/* WISPGate Integration Guide: the search scorer (html_search_scorer, set by search.py).
 *
 * Ranking: listing pages (the landing page, domain and use-case pages, the catalog
 * pages) repeat the cards and names of the guides, so a match there ranks below
 * every match on another page, unless it is the listing page's own title.  The
 * search page names the listing pages in WISPGATE_SEARCH_PAGES.
 *
 * One result per page: searchtools.js merges results only when docname, title,
 * anchor, description and file are all equal, so a page found by its title, its
 * text, an index entry and its connector object shows up to four times.  score()
 * is called on every result of a query, in one go, before that merge: it gives all
 * results of a page the title and anchor of the page's best result, so the merge
 * keeps one.  Titles come from the index's page titles, as written (object names
 * in the index are HTML-escaped, and searchtools escapes them again: "&amp;"). */
var Scorer = (function () {
  "use strict";
  var LISTING_PENALTY = 1000;
  var seen = new Map(); // docname -> {best, title, anchor, results} for the query being scored
  var clearing = false;
  var titleIndex = null;
  var titleOf = new Map();

  // object names are HTML in the index
  function text(html) {
    return new DOMParser().parseFromString(html, "text/html").documentElement.textContent;
  }

  function pageTitle(docName, fallback) {
    var index = typeof Search !== "undefined" ? Search._index : null;
    if (!index) return fallback;
    if (index !== titleIndex) {
      titleIndex = index;
      titleOf = new Map(index.docnames.map(function (name, i) { return [name, index.titles[i]]; }));
    }
    return titleOf.has(docName) ? titleOf.get(docName) : fallback;
  }

  function isListing(docName) {
    var pages = window.WISPGATE_SEARCH_PAGES;
    if (!pages) return false;
    return pages.listings.some(function (entry) {
      return entry.slice(-1) === "/" ? docName.indexOf(entry) === 0 : docName === entry;
    });
  }

  return {
    // Sphinx's defaults, which a scorer replaces as a whole
    objNameMatch: 11,
    objPartialMatch: 6,
    objPrio: { 0: 15, 1: 5, 2: -5 },
    objPrioDefault: 0,
    title: 15,
    partialTitle: 7,
    term: 5,
    partialTerm: 2,

    // result: [docname, title, anchor, description, score, filename, kind]
    score: function (result) {
      if (!clearing) {
        // the results of one query are scored synchronously: forget them afterwards
        clearing = true;
        queueMicrotask(function () { seen.clear(); clearing = false; });
      }
      var docName = result[0], kind = result[6];
      var ownTitle = kind === "title" && result[2] === "";
      var score = result[4] - (isListing(docName) && !ownTitle ? LISTING_PENALTY : 0);
      // a section title keeps its "Page > Section" text and anchor; anything else shows the page
      var title = kind === "title" ? result[1] : pageTitle(docName, kind === "object" ? text(result[1]) : result[1]);
      var anchor = kind === "title" ? result[2] : "";
      var page = seen.get(docName);
      if (!page) {
        page = { best: score, title: title, anchor: anchor, results: [] };
        seen.set(docName, page);
      } else if (score > page.best) {
        page.best = score;
        page.title = title;
        page.anchor = anchor;
      }
      page.results.push(result);
      page.results.forEach(function (r) {
        r[1] = page.title;
        r[2] = page.anchor;
        r[3] = null;
      });
      return score;
    },
  };
})();
