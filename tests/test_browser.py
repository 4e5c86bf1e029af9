"""The built site in a real browser: one visit per page and colour scheme feeds every
per-page check (clean load, figure swap, accessibility); search, the colour toggle and
self-test mode are interactions of their own. Checks that need no browser (links, alt
text, other hosts in the HTML) live in test_site.py."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nn_notes.tools.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
SCHEMES = ("light", "dark")


def require_chromium() -> None:
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site; `planted` maps a URL path to HTML served instead (the
    planted-fault test adds pages without copying the site)."""
    planted: dict[str, str] = {}

    def do_GET(self):
        html = self.planted.get(urlsplit(self.path).path)
        if html is None:
            return super().do_GET()
        body = html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(site: Path, planted: dict[str, str] | None = None) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (SiteHandler,), {"planted": planted or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site_url(built_site):
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watched:
    """A page that records console errors, uncaught errors, failed or erroring requests and
    requests to other hosts, and knows which requests are still in flight."""

    def __init__(self, browser, site_url, scheme="light", init_script: str | None = None):
        self.context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.pending: set = set()
        host = urlsplit(site_url).netloc
        on = self.page.on
        on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        on("request", lambda r: urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
           and self.problems.append(f"other host: {r.url}"))
        on("request", lambda r: self.pending.add(r))
        on("requestfinished", lambda r: self.pending.discard(r))
        on("requestfailed", lambda r: self.pending.discard(r))

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no request is in flight: what `networkidle` waits for, without its
        fixed half second of quiet on every page."""
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)

    def close(self):
        self.context.close()


def site_pages(built_site) -> list[str]:
    """Every page: topic pages, the question bank, tags, and the rendered page notebooks."""
    return sorted(str(p.relative_to(built_site).parent).replace(".", "") + "/" for p in built_site.rglob("index.html"))


# --- One visit per page and scheme ------------------------------------------------------

FIGURE_COUNTS = """([shown, hidden]) => {
    const shows = el => getComputedStyle(el).display !== 'none';  // Material hides the img, we its lightbox
    const visible = img => shows(img) && shows(img.closest('.glightbox') || img);
    const mine = [...document.querySelectorAll(`img[src$="#only-${shown}"]`)];
    const other = [...document.querySelectorAll(`img[src$="#only-${hidden}"]`)];
    return [mine.length, mine.filter(visible).length, other.filter(visible).length];
}"""

# Contrast depends on an element's colour, font size and weight, opacity and the
# background behind it. Code and math repeat a few such combinations thousands of times
# (4,700 highlighted tokens on the attention page), and checking each one was most of
# the browser's time. So within code blocks and math, axe's contrast rule checks one
# few visible text-bearing elements per combination; everything else it checks in full.
# Samples have two or more characters where the combination has any (axe leaves one
# character undecided), and there are three so that one clipped by a sideways-scrolling
# block (axe leaves that undecided too) does not hide the combination.
MARK_CONTRAST_SAMPLES = """() => {
    const backgrounds = new Map();
    const background = el => {
        if (!el) return '';
        if (!backgrounds.has(el)) {
            const colour = getComputedStyle(el).backgroundColor;
            backgrounds.set(el, colour === 'rgba(0, 0, 0, 0)' ? background(el.parentElement) : colour);
        }
        return backgrounds.get(el);
    };
    const ownText = el => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data.trim()).join('');
    const samples = new Map();  // combination -> {long: elements with 2+ characters, short: one with 1}
    for (const el of document.querySelectorAll('.highlight *, .katex *')) {
        const length = ownText(el).length;
        if (!length || !el.checkVisibility()) continue;
        const s = getComputedStyle(el);
        const key = [s.color, s.fontSize, s.fontWeight, s.opacity, background(el)].join('|');
        const found = samples.get(key) || samples.set(key, {long: [], short: null}).get(key);
        if (length > 1 && found.long.length < 3) found.long.push(el);
        else if (length === 1) found.short ||= el;
    }
    samples.forEach(({long, short}) => (long.length ? long : [short])
        .forEach(el => el.setAttribute('data-nn-contrast-sample', '')));
    return samples.size;
}"""
CONTRAST_CONTEXT = {"include": [["html"], ["[data-nn-contrast-sample]"]], "exclude": [[".highlight"], [".katex"]]}
RUN_AXE = """async ([context]) => {
    const only = {resultTypes: ['violations']};
    // The contrast rule scrolls each sample into view and then asks what lies behind it.
    // Blocks with content-visibility: auto get their real height in between, so the page
    // moves under it and a code block can seem to sit behind the footer (seen: 1.08:1 on
    // #f5f5f5). Colours do not depend on that, so lay every block out for this rule only.
    const laidOut = document.head.appendChild(document.createElement('style'));
    laidOut.textContent = '.md-typeset * { content-visibility: visible !important; }';
    const contrast = await axe.run(context, {...only, runOnly: {type: 'rule', values: ['color-contrast']}});
    laidOut.remove();
    // The contrast rule scrolls blocks into view; let the page handle that (page-init.js
    // measures blocks as they appear) as it would for a reader, before the other rules.
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const rest = await axe.run(document, {...only, rules: {'color-contrast': {enabled: false}}});
    return [...contrast.violations, ...rest.violations]
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.help} ${JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))}`);
}"""


@dataclass
class Visit:
    """What one load of one page in one colour scheme showed; every per-page check reads it."""
    path: str
    problems: list[str]  # console and page errors, failed requests, requests to other hosts
    figures: list[int]  # [this scheme's figures, how many are visible, the other scheme's visible]
    violations: list[str]  # serious and critical axe findings


def visit_pages(site_url: str, paths: list[str], scheme: str) -> list[Visit]:
    """Load each page once in `scheme` and collect everything the per-page checks need.
    Runs in a thread with a browser of its own: Playwright's sync API is per thread."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    other = "dark" if scheme == "light" else "light"
    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        watched = Watched(browser, site_url, scheme, init_script=Axe().axe_script)
        for path in paths:
            watched.problems = []
            watched.page.goto(site_url + path.lstrip("/"), wait_until="load")
            watched.settle()
            figures = watched.page.evaluate(FIGURE_COUNTS, [scheme, other])
            watched.page.evaluate(MARK_CONTRAST_SAMPLES)
            violations = watched.page.evaluate(RUN_AXE, [CONTRAST_CONTEXT])
            visits.append(Visit(path, watched.problems, figures, violations))
        watched.close()
        browser.close()
    return visits


def visit_in_both_schemes(site_url: str, paths: list[str]) -> dict[str, list[Visit]]:
    """Both schemes at once, one thread each: the machine has two cores, a page one."""
    require_chromium()
    with ThreadPoolExecutor(len(SCHEMES)) as pool:
        runs = {scheme: pool.submit(visit_pages, site_url, paths, scheme) for scheme in SCHEMES}
        return {scheme: run.result() for scheme, run in runs.items()}


@pytest.fixture(scope="module")
def visits(site_url, built_site) -> dict[str, list[Visit]]:
    return visit_in_both_schemes(site_url, site_pages(built_site))


def clean_load_problems(visits: list[Visit]) -> list[str]:
    return [f"{v.path}: {p}" for v in visits for p in v.problems]


def figure_swap_problems(visits: list[Visit], scheme: str) -> list[str]:
    return [f"{v.path} ({scheme}): {v.figures[1]}/{v.figures[0]} shown, {v.figures[2]} of the other shown"
            for v in visits if v.figures[0] + v.figures[2] and (v.figures[1] != v.figures[0] or v.figures[2])]


def accessibility_problems(visits: list[Visit]) -> list[str]:
    return [f"{v.path}: {problem}" for v in visits for problem in v.violations]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_loads_cleanly_and_only_from_this_site(visits, scheme):
    assert not (problems := clean_load_problems(visits[scheme])), "\n".join(problems)


def test_every_figure_swaps_with_the_colour_scheme_on_every_page(visits, built_site):
    with_figures = {p for p in site_pages(built_site)
                    if "#only-dark" in (built_site / p.lstrip("/") / "index.html").read_text()}
    assert len(with_figures) >= 5, with_figures
    for scheme in SCHEMES:  # the browser found each page's figures, no more and no fewer pages
        assert {v.path for v in visits[scheme] if v.figures[0]} == with_figures, scheme
    problems = [p for scheme in SCHEMES for p in figure_swap_problems(visits[scheme], scheme)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_accessibility_violations(visits, scheme):
    assert not (problems := accessibility_problems(visits[scheme])), "\n".join(problems)


def in_both_schemes(selector: str, light: str, dark: str) -> str:
    """A style that gives `selector` a colour close to the background in either scheme."""
    return (f"<style>[data-md-color-scheme=default] {selector} {{color: {light} !important}}"
            f"[data-md-color-scheme=slate] {selector} {{color: {dark} !important}}</style>")


PLANTED_FAULTS = {  # name: (what goes before </body>, the check that must catch it)
    "console-error": ('<script>console.error("planted console error")</script>', "clean load"),
    "page-error": ('<script>throw new Error("planted page error")</script>', "clean load"),
    "other-host": ('<img alt="planted" src="https://other.example/planted.png">', "clean load"),
    "missing-file": ('<img alt="planted" src="/no-such-file-planted.png">', "clean load"),
    "low-contrast-text": ('<p class="planted">planted low-contrast text</p>'
                          + in_both_schemes("p.planted", "#eeeeee", "#2a2d36"), "accessibility"),
    "low-contrast-code": (in_both_schemes(".highlight .n", "#f2f2f2", "#23262e"), "accessibility"),
    "low-contrast-math": (in_both_schemes(".katex .mord", "#f2f2f2", "#23262e"), "accessibility"),
    "unnamed-button": ("<button></button>", "accessibility"),
    "both-figures-shown": ('<style>img[src*="#only-"], .glightbox {display: inline !important}</style>',
                           "figure swap"),
}


def test_each_per_page_check_fails_on_a_planted_fault(built_site):
    """The shared visit still catches every kind of fault: copies of a real page (with code,
    math and figures), one fault planted in each, served beside the real site."""
    page = "training/overfitting-and-dropout/"
    html = (built_site / page / "index.html").read_text()
    assert all(part in html for part in ('class="n"', 'class="mord', "#only-dark")), "a page with code, math, figures"
    planted = {f"/training/planted-{name}/": html.replace("</body>", fault + "</body>")  # same depth, same links
               for name, (fault, _) in PLANTED_FAULTS.items()}
    server = serve(built_site, planted)
    try:
        found = visit_in_both_schemes(f"http://127.0.0.1:{server.server_address[1]}/", [page, *planted])
    finally:
        server.shutdown()
    checks = {"clean load": lambda v, s: clean_load_problems([v]),
              "figure swap": lambda v, s: figure_swap_problems([v], s),
              "accessibility": lambda v, s: accessibility_problems([v])}
    for scheme in SCHEMES:
        visits = {v.path.strip("/"): v for v in found[scheme]}
        original = visits[page.strip("/")]
        assert not any(check(original, scheme) for check in checks.values()), f"{page} ({scheme}) is clean"
        for name, (_, catcher) in PLANTED_FAULTS.items():
            visit = visits[f"training/planted-{name}"]
            caught = {check_name for check_name, check in checks.items() if check(visit, scheme)}
            assert caught == {catcher}, f"{name} ({scheme}): caught by {caught or 'nothing'}, not {catcher}"


# --- Interactions ------------------------------------------------------------------------

def open_search(page) -> None:
    """Open the search box and wait until the search worker has built its index (slow on a
    loaded machine: it indexes the whole site in the browser)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "!/Initializing/i.test(document.querySelector('.md-search-result__meta')?.textContent || 'Initializing')",
        timeout=120_000)


RESULTS_META = "document.querySelector('.md-search-result__meta').textContent"


def search(page, query: str, typed: bool = False) -> list[str]:
    """Enter a query; return the links of the top 3 result groups. Material searches on key
    events, not on fill(): `typed` types it key by key as a person does, otherwise it is
    filled in and one key press sends it, after an empty query has reset the results (so
    the results read are this query's, with no fixed wait)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function(f"!/\\d|No matching/.test({RESULTS_META})", timeout=30_000)
    if typed:
        box.press_sequentially(query, delay=5)
        page.wait_for_timeout(300)  # results are replaced while the worker answers each key
    else:
        box.fill(query)
        box.press("End")
    page.wait_for_function(f"/\\d|No matching/.test({RESULTS_META})", timeout=30_000)
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].slice(0, 3)
        .flatMap(item => [...item.querySelectorAll('a.md-search-result__link')].map(a => a.href))""")


@pytest.fixture(scope="module")
def search_box(browser, site_url):
    """The home page with search open and its index built, shared by the search tests."""
    watched = Watched(browser, site_url)
    watched.page.goto(site_url)
    open_search(watched.page)
    yield watched
    watched.close()


def test_search_for_dropout_finds_the_dropout_page(search_box):
    top = search(search_box.page, "dropout", typed=True)
    assert any("training/overfitting-and-dropout/" in href for href in top), top
    assert not search_box.problems, search_box.problems


def test_search_ignores_stop_words(search_box):
    """Material makes every query word a prefix: without search-stop-words.js the "a" here
    ranks the titles starting with "a" (AdaGrad, Adam, augmentation) above the answer."""
    top = search(search_box.page, "how to visualize what a cnn learned", typed=True)
    assert top and urlsplit(top[0]).path.endswith("/convolutional-networks/visualising-cnns/"), top
    assert not search_box.problems, search_box.problems


DISPLAYED = "img => getComputedStyle(img).display !== 'none'"


def test_colour_toggle_swaps_light_and_dark_figures(browser, site_url):
    watched = Watched(browser, site_url, scheme="light")
    page = watched.page
    page.goto(site_url + "training/overfitting-and-dropout/")
    light = page.locator("figure.nn-figure img[src$='#only-light']").first
    dark = page.locator("figure.nn-figure img[src$='#only-dark']").first
    assert light.evaluate(DISPLAYED) and not dark.evaluate(DISPLAYED)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert dark.evaluate(DISPLAYED) and not light.evaluate(DISPLAYED)
    dark.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=dark.element_handle())
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert not watched.problems, watched.problems
    watched.close()


def test_self_test_mode_hides_short_answers_and_remembers_it(browser, site_url):
    watched = Watched(browser, site_url)
    page = watched.page
    page.goto(site_url + "training/overfitting-and-dropout/")
    answers = page.locator("details.abstract")
    assert answers.count() >= 4
    assert all(answers.nth(i).evaluate("d => d.open") for i in range(answers.count()))
    toggle = page.locator("button.nn-self-test")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert not any(answers.nth(i).evaluate("d => d.open") for i in range(answers.count()))
    page.reload()
    assert page.locator("button.nn-self-test").get_attribute("aria-pressed") == "true"
    answers.first.locator("summary").click()
    opened = [answers.nth(i).evaluate("d => d.open") for i in range(answers.count())]
    assert opened[0] and not any(opened[1:])  # reveal one at a time
    assert not watched.problems, watched.problems
    watched.close()


def search_queries() -> list[tuple[str, str, str]]:
    rows = (Path(__file__).parent / "search_queries.tsv").read_text().splitlines()
    return [tuple(row.split("\t")) for row in rows if row.strip() and not row.startswith("#")]


def test_search_finds_what_people_type(search_box):
    """Each query's expected page and section must be among the top 3 results; target 95 %."""
    queries = search_queries()
    assert len(queries) >= 40
    misses = []
    for query, expected_page, anchor in queries:
        hrefs = search(search_box.page, query)
        found = [urlsplit(href).path.lstrip("/") + (f"#{urlsplit(href).fragment}" if urlsplit(href).fragment else "")
                 for href in hrefs]
        wanted = f"{expected_page}/" + (f"#{anchor}" if anchor else "")
        if not any(f == wanted or (not anchor and f.startswith(wanted)) for f in found):
            misses.append(f"{query!r}: expected {wanted}, got {found}")
    hit_rate = 1 - len(misses) / len(queries)
    print(f"search: {len(queries) - len(misses)}/{len(queries)} in the top 3 ({hit_rate:.1%})")
    print("\n".join(f"  missed {miss}" for miss in misses))
    assert not search_box.problems, search_box.problems
    assert hit_rate >= 0.95, "\n".join(misses)
