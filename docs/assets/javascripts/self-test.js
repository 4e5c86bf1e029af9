// Self-test mode: hide every short answer so you can answer first, then open them one at a
// time. The switch sits under the page title and remembers its state across pages and visits.
(() => {
  const KEY = "nn-notes.self-test";
  const answers = () => document.querySelectorAll("details.abstract");

  function apply(on, button) {
    answers().forEach((details) => {
      if (!("nnDefault" in details.dataset)) details.dataset.nnDefault = details.open ? "open" : "";
      details.open = on ? false : details.dataset.nnDefault === "open";  // off: as the page wrote it
    });
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Self-test mode: on (short answers hidden)" : "Self-test mode: off";
  }

  document$.subscribe(() => {
    const title = document.querySelector(".md-content__inner h1");
    if (!title || !answers().length) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button nn-self-test";
    button.title = "Hide all short answers and reveal them one at a time";
    title.insertAdjacentElement("afterend", button);
    apply(localStorage.getItem(KEY) === "on", button);
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      localStorage.setItem(KEY, on ? "on" : "off");
      apply(on, button);
    });
  });
})();
