// Questions typed into the search box ("what is a dead relu") should rank by their content
// words. Material's search worker turns every query term into a prefix ("a" becomes "a*"),
// and lunr runs no stop-word filter on prefix terms, so "a" matched every title starting
// with "a" (AdaGrad, Adam, attention) with the full title boost. The index leaves these
// words out (lunr's English list, copied below), so they can only ever match as prefixes
// of other words. One loss: the index keeps identifiers whole (`_` is no separator), so
// "torch no grad" no longer reaches `no_grad` through "no*"; typing "no_grad" does.
// The last word is kept while it may still be being typed (no space after it yet).
// Queries using lunr's syntax (quotes, +, -, ~, ^, *, title:/text:/tags:) pass as typed.
// This wraps Material's worker message {type: 2 (query), data: text}, an internal of the
// pinned mkdocs-material, and applies to every Worker: the site starts no other one.
// tests/test_browser.py::test_search_ignores_stop_words fails if it stops working.
(() => {
  const STOP_WORDS = new Set((
    "a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got " +
    "had has have he her hers him his how however i if in into is it its just least let " +
    "like likely may me might most must my neither no nor not of off often on only or other " +
    "our own rather said say says she should since so some than that the their them then " +
    "there these they this tis to too twas us wants was we were what when where which while " +
    "who whom why will with would yet you your").split(" "));
  const QUERY = 2;
  const LUNR_SYNTAX = /^[+-]|["^~*]|^(title|text|tags):/;

  function contentWords(query) {
    const words = query.trim().split(/\s+/);
    if (words.some((word) => LUNR_SYNTAX.test(word))) return query;
    const typing = !/\s$/.test(query);
    const kept = words.filter((word, i) =>
      (typing && i === words.length - 1) || !STOP_WORDS.has(word.toLowerCase()));
    return kept.length ? kept.join(" ") : query;
  }

  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === QUERY && typeof message.data === "string")
      message = { ...message, data: contentWords(message.data) };
    return post.call(this, message, ...rest);
  };
})();
