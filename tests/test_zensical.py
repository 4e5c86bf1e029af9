"""The second build: Zensical makes the same site from the same sources (make zensical).

Checked against the MkDocs build (conftest's built_site): every topic page, every demo and
every figure it has, math typeset in the browser, and nothing loaded from another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser import require_chromium, serve

from nn_notes import zensical_build
from nn_notes.content import snippet_files, snippet_name
from nn_notes.tools.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.slow  # a whole second build
ROOT = Path(__file__).resolve().parents[1]
LOCAL = {"127.0.0.1", "localhost"}
FIGURE = re.compile(r'(?:src|href)="([^"#?]*generated/[^"#?]+\.svg)')
MKDOCS_ONLY = ("generated/",)  # the notebook pages: mkdocs-jupyter renders them, Zensical copies the .ipynb


@pytest.fixture(scope="session")
def zensical_site(built_site, tmp_path_factory) -> Path:
    """Built from the outputs the MkDocs build generated (its demos ran there)."""
    return zensical_build.build(ROOT, site=tmp_path_factory.mktemp("zensical") / "site", run_demos=False)


def topic_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("index.html"))
            if not p.relative_to(site).as_posix().startswith(MKDOCS_ONLY)}


def figures(site: Path, rel: str, html: str) -> set[Path]:
    base = site / rel
    return {((site / url.lstrip("/")) if url.startswith("/") else base.parent / url).resolve()
            for url in FIGURE.findall(html)}


def test_every_page_of_the_mkdocs_build_is_there(built_site, zensical_site):
    missing = sorted(set(topic_pages(built_site)) - set(topic_pages(zensical_site)))
    assert not missing, missing
    assert len(topic_pages(built_site)) > 40


def test_every_demo_is_on_the_same_page(built_site, zensical_site):
    ours, theirs = topic_pages(built_site), topic_pages(zensical_site)
    names = [f"snippets/{snippet_name(ROOT, path)}.py" for path in snippet_files(ROOT)]
    missing = [f"{rel}: {name}" for rel, html in ours.items() for name in names
               if f"{name}</span>" in html and f"{name}</span>" not in theirs[rel]]
    shown = sum(f"{name}</span>" in html for html in ours.values() for name in names)
    assert shown >= len(names), "each demo's title is on some page of the MkDocs build"
    assert not missing, missing


def test_every_figure_is_there(built_site, zensical_site):
    ours, theirs = topic_pages(built_site), topic_pages(zensical_site)
    expected = {path.relative_to(built_site.resolve()) for rel, html in ours.items()
                for path in figures(built_site, rel, html)}
    found = {path.relative_to(zensical_site.resolve()) for rel, html in theirs.items()
             for path in figures(zensical_site, rel, html) if path.is_file()}
    assert expected, "the MkDocs pages show figures"
    assert not sorted(expected - found), sorted(expected - found)[:10]


def test_no_page_refers_to_a_resource_on_another_host(zensical_site):
    """What a page loads (src=, and href= of <link>); links for the reader to follow are fine."""
    found = []
    for rel, html in topic_pages(zensical_site).items():
        urls = re.findall(r'\bsrc="([^"]+)"', html) + re.findall(r'<link\b[^>]*\bhref="([^"]+)"', html)
        found += [f"{rel}: {url}" for url in urls if urlsplit(url).hostname not in (None, *LOCAL)]
    assert not found, found[:10]


@pytest.fixture(scope="module")
def served(zensical_site):
    server = serve(zensical_site)
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


@pytest.mark.browser
def test_math_renders_and_no_request_leaves_the_site(zensical_site, served, browser):
    """In Chromium: every formula is typeset by the local KaTeX, without an error, and no page
    requests anything from another host (the theme's script fetches some files itself)."""
    outside, unrendered, errors, formulas = [], [], [], 0
    context = browser.new_context()
    for rel, html in topic_pages(zensical_site).items():
        page = context.new_page()
        page.on("request", lambda request, rel=rel: urlsplit(request.url).hostname not in (None, *LOCAL)
                and urlsplit(request.url).scheme in ("http", "https") and outside.append(f"{rel}: {request.url}"))
        page.on("pageerror", lambda error, rel=rel: errors.append(f"{rel}: {error}"))
        page.goto(served + rel.removesuffix("index.html"), wait_until="networkidle")
        if 'class="arithmatex"' in html:
            total, done = page.locator(".arithmatex").count(), page.locator(".arithmatex .katex").count()
            formulas += total
            if done != total or page.locator(".katex-error").count():
                unrendered.append(f"{rel}: {done} of {total} typeset")
        page.close()
    context.close()
    assert formulas > 100, "the site's math is on these pages"
    assert not outside, outside[:10]
    assert not unrendered, unrendered
    assert not errors, errors[:10]


def test_a_bad_page_stops_the_build_naming_page_and_line_and_removes_stale_output(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnav:\n  - index.md\n")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text('# Home\n\n--8<-- "generated/t/gone.md"\n')
    old = tmp_path / "site-zensical"
    (old / "index.html").parent.mkdir()
    (old / "index.html").write_text("an older build")
    with pytest.raises(zensical_build.ZensicalError, match=r"docs/index.md:3: embeds generated/t/gone.md"):
        zensical_build.build(tmp_path)
    assert not old.exists(), "an older build would no longer match the sources"
