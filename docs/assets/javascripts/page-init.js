// Runs after every page load, including instant navigation (Material's document$).
(() => {
  // KaTeX (vendored, ~300 KB) is fetched only by pages that contain math.
  const vendor = new URL("../vendor/katex/", document.currentScript.src);
  let katex = null;

  function load(tag, attributes) {
    return new Promise((resolve, reject) => {
      const element = Object.assign(document.createElement(tag), attributes);
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadKatex() {
    katex ??= Promise.all([
      load("link", { rel: "stylesheet", href: new URL("katex.min.css", vendor).href }),
      load("script", { src: new URL("katex.min.js", vendor).href })
        .then(() => load("script", { src: new URL("auto-render.min.js", vendor).href })),
    ]);
    return katex;
  }

  // Wide math and notebook code scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable).
  function focusableScrollers(body) {
    body.querySelectorAll("div.arithmatex, .highlight-ipynb").forEach((block) => {
      if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
    });
  }

  document$.subscribe(({ body }) => {
    if (!body.querySelector(".arithmatex")) return focusableScrollers(body);
    loadKatex().then(() => {
      // pymdownx.arithmatex (generic mode) wraps math in \( \) and \[ \].
      renderMathInElement(body, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: false,
      });
      focusableScrollers(body);
    });
  });
})();
