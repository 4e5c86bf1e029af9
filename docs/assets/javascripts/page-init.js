// Runs after every page load, including instant navigation (Material's document$).
// Math needs no script: the MkDocs hook typesets it with KaTeX at build time.
(() => {
  // Wide math and notebook code scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable).
  function focusableScrollers(body) {
    body.querySelectorAll("div.arithmatex, .highlight-ipynb").forEach((block) => {
      if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
    });
  }

  document$.subscribe(({ body }) => focusableScrollers(body));
})();
