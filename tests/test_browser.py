"""The built site in a real browser: search, the colour toggle, and a clean console."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=built_site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watched:
    """A page that records console errors, failed requests and requests to other hosts."""

    def __init__(self, browser, site_url, scheme="light"):
        self.context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        host = urlsplit(site_url).netloc
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
                     and self.problems.append(f"other host: {r.url}"))

    def close(self):
        self.context.close()


def site_pages(built_site) -> list[str]:
    """Every page: topic pages, the question bank, tags, and the rendered page notebooks."""
    return sorted(str(p.relative_to(built_site).parent).replace(".", "") + "/" for p in built_site.rglob("index.html"))


def open_search(page) -> None:
    """Open the search box and wait until the search worker has built its index (slow on a
    loaded machine: it indexes the whole site in the browser)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "!/Initializing/i.test(document.querySelector('.md-search-result__meta')?.textContent || 'Initializing')",
        timeout=120_000)


def search(page, query: str) -> list[str]:
    """Type a query as a person would; return the links of the top 3 result groups."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=5)  # Material searches on key events, not on fill()
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta').textContent.match(/\\d|No matching/)", timeout=30_000)
    page.wait_for_timeout(300)  # results are replaced while the worker answers
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].slice(0, 3)
        .flatMap(item => [...item.querySelectorAll('a.md-search-result__link')].map(a => a.href))""")


def test_search_for_dropout_finds_the_dropout_page(browser, site_url):
    watched = Watched(browser, site_url)
    watched.page.goto(site_url)
    open_search(watched.page)
    top = search(watched.page, "dropout")
    assert any("training/overfitting-and-dropout/" in href for href in top), top
    assert not watched.problems, watched.problems
    watched.close()


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_loads_cleanly_and_only_from_this_site(browser, site_url, built_site, scheme):
    problems = []
    for path in site_pages(built_site):
        watched = Watched(browser, site_url, scheme)
        watched.page.goto(site_url + path.lstrip("/"), wait_until="networkidle")
        problems += [f"{path}: {p}" for p in watched.problems]
        watched.close()
    assert not problems, "\n".join(problems)


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


def figure_pages(built_site) -> list[str]:
    return [path for path in site_pages(built_site)
            if "#only-dark" in (built_site / path.lstrip("/") / "index.html").read_text()]


def test_every_figure_swaps_with_the_colour_scheme_on_every_page(browser, site_url, built_site):
    problems = []
    paths = figure_pages(built_site)
    assert len(paths) >= 5, paths
    for scheme, shown, hidden in (("light", "only-light", "only-dark"), ("dark", "only-dark", "only-light")):
        watched = Watched(browser, site_url, scheme)
        for path in paths:
            watched.page.goto(site_url + path.lstrip("/"))
            counts = watched.page.evaluate(f"""() => {{
                const visible = img => getComputedStyle(img).display !== 'none';
                const shown = [...document.querySelectorAll('img[src$="#{shown}"]')];
                const hidden = [...document.querySelectorAll('img[src$="#{hidden}"]')];
                return [shown.length, shown.filter(visible).length, hidden.filter(visible).length];
            }}""")
            if counts[0] == 0 or counts[1] != counts[0] or counts[2]:
                problems.append(f"{path} ({scheme}): {counts[1]}/{counts[0]} shown, {counts[2]} of the other shown")
        watched.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site_url, built_site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe, problems = Axe(), []
    watched = Watched(browser, site_url, scheme)
    for path in site_pages(built_site):
        watched.page.goto(site_url + path.lstrip("/"))
        results = axe.run(watched.page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    watched.close()
    assert not problems, "\n".join(problems)


def search_queries() -> list[tuple[str, str, str]]:
    rows = (Path(__file__).parent / "search_queries.tsv").read_text().splitlines()
    return [tuple(row.split("\t")) for row in rows if row.strip() and not row.startswith("#")]


def test_search_finds_what_people_type(browser, site_url):
    """Each query's expected page and section must be among the top 3 results; target 95 %."""
    queries = search_queries()
    assert len(queries) >= 40
    watched = Watched(browser, site_url)
    page = watched.page
    page.goto(site_url)
    open_search(page)
    misses = []
    for query, expected_page, anchor in queries:
        hrefs = search(page, query)
        found = [urlsplit(href).path.lstrip("/") + (f"#{urlsplit(href).fragment}" if urlsplit(href).fragment else "")
                 for href in hrefs]
        wanted = f"{expected_page}/" + (f"#{anchor}" if anchor else "")
        if not any(f == wanted or (not anchor and f.startswith(wanted)) for f in found):
            misses.append(f"{query!r}: expected {wanted}, got {found}")
    watched.close()
    hit_rate = 1 - len(misses) / len(queries)
    print(f"search: {len(queries) - len(misses)}/{len(queries)} in the top 3 ({hit_rate:.0%})")
    assert hit_rate >= 0.95, "\n".join(misses)
