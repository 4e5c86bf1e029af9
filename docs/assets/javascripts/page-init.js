// Runs after every page load, including instant navigation (Material's document$).
// Math needs no script: the nn-notes plugin typesets it with KaTeX at build time.
(() => {
  // Wide math, tables and notebook code scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable).
  const SCROLLERS = "div.arithmatex, .highlight-ipynb, .md-typeset__scrollwrap";
  function reachableIfScrolling(block) {
    if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
  }
  function within(root) {
    if (root.matches(SCROLLERS)) reachableIfScrolling(root);
    root.querySelectorAll(SCROLLERS).forEach(reachableIfScrolling);
  }

  document$.subscribe(({ body }) => within(body));
  // Blocks with `content-visibility: auto` (site.css) have no layout while off screen, so
  // they cannot be measured at load: measure each when it comes near the screen. The event
  // does not bubble, hence the capturing listener.
  document.addEventListener("contentvisibilityautostatechange", (event) => {
    if (!event.skipped) within(event.target);
  }, true);
})();
