// Render the math that pymdownx.arithmatex (generic mode) wraps in \\( \\) and \\[ \\], after every instant-navigation page load.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
