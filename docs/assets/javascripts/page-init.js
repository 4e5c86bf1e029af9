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
      load("script", { src: new URL("katex.min.js", vendor).href }),
    ]);
    return katex;
  }

  // pymdownx.arithmatex (generic mode) leaves \( … \) or \[ … \] in each .arithmatex element.
  // Render those elements directly, a few per task, instead of scanning the whole page's text:
  // long pages stay responsive while the math appears.
  function renderMath(elements, done) {
    const batch = elements.splice(0, 12);
    for (const element of batch) {
      const source = element.textContent.trim();
      const display = source.startsWith("\\[");
      try {
        window.katex.render(source.slice(2, -2), element, { displayMode: display, throwOnError: false });
      } catch (error) {
        console.warn("KaTeX could not render", source, error);
      }
    }
    if (elements.length) setTimeout(() => renderMath(elements, done), 0);
    else done();
  }

  // Wide math and notebook code scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable).
  function focusableScrollers(body) {
    body.querySelectorAll("div.arithmatex, .highlight-ipynb").forEach((block) => {
      if (block.scrollWidth > block.clientWidth) block.tabIndex = 0;
    });
  }

  document$.subscribe(({ body }) => {
    const math = [...body.querySelectorAll(".arithmatex")];
    if (!math.length) return focusableScrollers(body);
    loadKatex().then(() => renderMath(math, () => focusableScrollers(body)));
  });
})();
