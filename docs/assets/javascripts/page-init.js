// Render the math that pymdownx.arithmatex (generic mode) wraps in \\( \\) and \\[ \\], after every instant-navigation page load.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
  // Wide math and notebook code scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable).
  body.querySelectorAll("div.arithmatex, .highlight-ipynb").forEach((block) => {
    if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
  });
});
