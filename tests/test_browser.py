"""The built site in a real browser: search, the colour toggle, and a clean console."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
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
    return sorted(str(p.relative_to(built_site).parent).replace(".", "") + "/"
                  for p in built_site.rglob("index.html") if "generated" not in p.parts)


def test_search_for_dropout_finds_the_dropout_page(browser, site_url):
    watched = Watched(browser, site_url)
    page = watched.page
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("dropout")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    top = [results.nth(i).get_attribute("href") for i in range(min(3, results.count()))]
    assert any("training/overfitting-and-dropout/" in href for href in top), top
    watched.close()


def test_colour_toggle_swaps_light_and_dark_figures(browser, site_url):
    watched = Watched(browser, site_url, scheme="light")
    page = watched.page
    page.goto(site_url + "training/overfitting-and-dropout/")
    light = page.locator("figure.nn-figure img[src$='#only-light']").first
    dark = page.locator("figure.nn-figure img[src$='#only-dark']").first
    light.scroll_into_view_if_needed()
    assert light.is_visible() and not dark.is_visible()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark.scroll_into_view_if_needed()
    assert dark.is_visible() and not light.is_visible()
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
