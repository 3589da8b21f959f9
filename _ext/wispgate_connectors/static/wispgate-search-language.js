/* WISPGate Integration Guide: the query side of the search language (search.py,
 * OperatorSearch).  Sphinx puts this after its English stemmer in language_data.js.
 *
 * Tokens are made as the index makes them: every run of letters, digits and "_",
 * and a run joined by "-" or "." (X-Paystack-Signature, TR-069, 500.001.1001) stays
 * one token.  searchtools.js drops every query term made only of digits, so the
 * splitter marks such terms and the stemmer takes the mark off again: 3799 is
 * searched as 3799.  Plain words are stemmed as English; anything with a digit,
 * "_", "-" or "." is searched as written, as it is indexed. */
var splitQuery = (function () {
  "use strict";
  var token = /[\p{L}\p{N}_]+(?:[-.][\p{L}\p{N}_]+)*/gu;
  return function (query) {
    return (query.match(token) || []).map(function (t) {
      return /^\d+$/.test(t) ? "#" + t : t;
    });
  };
})();

window.Stemmer = (function (English) {
  "use strict";
  return function () {
    var english = new English();
    this.stemWord = function (word) {
      if (word.charAt(0) === "#") return word.slice(1);
      return /^\p{L}+$/u.test(word) ? english.stemWord(word) : word;
    };
  };
})(window.Stemmer);
