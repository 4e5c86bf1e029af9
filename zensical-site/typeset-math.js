// Zensical only: typeset pymdownx.arithmatex (generic) output in the browser with the vendored
// KaTeX (assets/vendor/katex/katex.min.js, loaded before this file). The MkDocs build typesets
// at build time instead and never loads this file.
(function () {
  function typeset(root) {
    if (typeof katex === "undefined") return;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.typeset) return;
      var tex = el.textContent.trim();
      var display = el.tagName === "DIV";
      var m = tex.match(/^\\\(([\s\S]*)\\\)$/) || tex.match(/^\\\[([\s\S]*)\\\]$/) ||
              tex.match(/^\$\$([\s\S]*)\$\$$/) || tex.match(/^\$([\s\S]*)\$$/);
      if (m) tex = m[1];
      if (/^\\\[|^\$\$/.test(el.textContent.trim())) display = true;
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: false });
        el.dataset.typeset = "1";
      } catch (e) { console.error("KaTeX:", e, tex); }
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { typeset(document); });  // instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document); });
  } else {
    typeset(document);
  }
})();
