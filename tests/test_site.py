"""The built site: links, anchors, images, privacy, and coverage of the seed questions."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from nn_notes.content import embeds
from nn_notes.pages import question_bank
from nn_notes.runner.snippets import discover

ROOT = Path(__file__).resolve().parents[1]
# Attributes through which a page loads something (as opposed to linking to it).
LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
           "embed": "src", "object": "data"}


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@functools.cache  # each check walks every page: parse each once per session (read-only)
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file an internal link points at and its fragment; None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    base = site if parts.path.startswith("/") else page.parent  # the site is served from its root
    target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
    if target.is_dir() or not parts.path or parts.path.endswith("/"):
        target = target / "index.html" if target.is_dir() or parts.path.endswith("/") else target
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(built_site):
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in pages(built_site):
        for anchor in soup(page).find_all("a", href=True):
            resolved = resolve(built_site, page, anchor["href"])
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{page.relative_to(built_site)} -> {anchor['href']}"
            if not target.exists():
                broken.append(f"missing file: {where}")
            elif fragment and target.suffix == ".html" and fragment not in ("only-light", "only-dark"):
                if target not in ids:
                    ids[target] = {tag["id"] for tag in soup(target).find_all(id=True)}
                if fragment not in ids[target]:
                    broken.append(f"missing anchor: {where}")
    assert not broken, "\n".join(sorted(set(broken)))


def test_every_image_resolves_and_has_alt_text(built_site):
    problems = []
    for page in pages(built_site):
        for img in soup(page).find_all("img"):
            where = f"{page.relative_to(built_site)}: {img.get('src')}"
            if not (img.get("alt") or "").strip():
                problems.append(f"no alt text: {where}")
            resolved = resolve(built_site, page, img.get("src", ""))
            if resolved and not resolved[0].exists():
                problems.append(f"missing image: {where}")
    assert not problems, "\n".join(problems)


def test_generated_figures_come_in_light_and_dark_pairs(built_site):
    page = built_site / "training" / "overfitting-and-dropout" / "index.html"
    sources = [img["src"] for img in soup(page).select("figure.nn-figure img")]
    light = [s for s in sources if s.endswith("#only-light")]
    assert light, "the exemplar page shows no generated figure"
    assert sorted(s.replace(".light.svg#only-light", "") for s in light) == sorted(
        s.replace(".dark.svg#only-dark", "") for s in sources if s.endswith("#only-dark"))


def test_notebook_pages_are_lean_and_show_the_demos_figures(built_site):
    notebooks = sorted((built_site / "generated" / "pages").rglob("index.html"))
    assert len(notebooks) >= 10, notebooks
    for page in notebooks:
        html = page.read_text()
        where = page.relative_to(built_site)
        assert "data:image/svg+xml;base64" not in html, f"{where}: a figure is still inlined"
        assert "No description has been provided" not in html, where
        assert ".jupyter-wrapper{" not in html and "<clipboard-copy" not in html, f"{where}: JupyterLab CSS"
        assert len(html) < 400_000, f"{where}: {len(html):,} bytes"
        document = soup(page)
        assert document.select(".jupyter-wrapper pre > code"), f"{where}: no code block"
    figures = soup(built_site / "generated" / "pages" / "training" / "overfitting-and-dropout" / "index.html")
    light = [img["src"] for img in figures.select(".jupyter-wrapper img[src$='#only-light']")]
    dark = [img["src"] for img in figures.select(".jupyter-wrapper img[src$='#only-dark']")]
    assert light and len(light) == len(dark)
    topic = soup(built_site / "training" / "overfitting-and-dropout" / "index.html")
    assert [src.rsplit("/", 1)[1] for src in light] == [
        img["src"].rsplit("/", 1)[1] for img in topic.select("figure.nn-figure img[src$='#only-light']")]


def test_nothing_is_loaded_from_another_host(built_site):
    external = []
    for page in pages(built_site):
        document = soup(page)
        for tag, attribute in LOADING.items():
            for element in document.find_all(tag):
                url = element.get(attribute, "")
                if re.match(r"^(https?:)?//", url):
                    external.append(f"{page.relative_to(built_site)}: <{tag} {attribute}={url}>")
        for link in document.find_all("link", href=True):
            if set(link.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload", "manifest"} \
                    and re.match(r"^(https?:)?//", link["href"]):
                external.append(f"{page.relative_to(built_site)}: <link href={link['href']}>")
        for style in document.find_all(style=True):
            if re.search(r"url\(\s*['\"]?(https?:)?//", style["style"]):
                external.append(f"{page.relative_to(built_site)}: inline style loads {style['style'][:80]}")
    for sheet in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", sheet.read_text(errors="replace")):
            external.append(f"{sheet.relative_to(built_site)}: url({url})")
    assert not external, "\n".join(external)


def heading_jumps(document: BeautifulSoup) -> list[str]:
    """Headings of the page's content that go down more than one level at once (h2 then h4):
    screen-reader users navigate by heading level (axe: heading-order)."""
    content = document.select_one("article.md-content__inner") or document
    jumps, previous = [], 1
    for heading in content.find_all(re.compile(r"^h[1-6]$")):
        level = int(heading.name[1])
        if level > previous + 1:
            jumps.append(f"h{previous} then h{level}: {heading.get_text(' ', strip=True)[:60]!r}")
        previous = level
    return jumps


def test_no_heading_skips_a_level(built_site):
    problems = [f"{page.relative_to(built_site)}: {jump}" for page in pages(built_site)
                for jump in heading_jumps(soup(page))]
    assert not problems, "\n".join(problems)


def test_heading_check_finds_a_skipped_level_and_accepts_coming_back_up():
    good = BeautifulSoup("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h3>e</h3>", "html.parser")
    bad = BeautifulSoup("<h1>a</h1><h2>b</h2><h4>planted</h4>", "html.parser")
    assert heading_jumps(good) == []
    assert heading_jumps(bad) == ["h2 then h4: 'planted'"]


def seed_questions() -> list[tuple[str, str, str]]:
    rows = (ROOT / "tests" / "seed_questions.tsv").read_text().splitlines()
    return [tuple(row.split("\t")) for row in rows if row and not row.startswith("#")]


@pytest.mark.parametrize("page,anchor,question", seed_questions(), ids=lambda value: value[:40])
def test_every_seed_question_has_a_heading(built_site, page, anchor, question):
    html = soup(built_site / page / "index.html")
    heading = html.find(["h2"], id=anchor)
    assert heading is not None, f"{page}: no question heading with id {anchor!r} for {question!r}"


def test_every_page_has_the_front_matter_the_site_relies_on():
    import yaml

    missing = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        relative = page.relative_to(ROOT / "docs")
        if relative.parts[0] == "generated":
            continue
        text = page.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
        # Question pages feed the question bank and tags; the others (home, review log) do not.
        question_page = any(question_bank.QUESTION.match(line) for line in text.splitlines())
        keys = {"title", "description", "tags", "difficulty"} if question_page else {"title", "description"}
        if keys - set(meta or {}):
            missing.append(f"docs/{relative}: missing {sorted(keys - set(meta or {}))}")
    assert not missing, "\n".join(missing)


def question_headings(site: Path) -> dict[str, set[str]]:
    """Page URL -> ids of its `##` question headings, for every page in the nav."""
    found = {}
    for page in pages(site):
        relative = page.relative_to(site).parent.as_posix()
        if relative in (".", "questions", "tags", "search") or relative.startswith("generated"):
            continue
        # A question is an h2 followed by its short answer (the skeleton in CONTRIBUTING.md).
        ids = {h2["id"] for h2 in soup(page).select("article h2[id]")
               if (answer := h2.find_next_sibling()) is not None and "abstract" in (answer.get("class") or [])}
        if ids:
            found[relative + "/"] = ids
    return found


def test_question_bank_lists_every_question_on_the_site(built_site):
    bank = built_site / "questions" / "index.html"
    links = {resolve(built_site, bank, a["href"]) for a in soup(bank).select("article h3 a[href]:not(.headerlink)")}
    listed = {(target.parent.relative_to(built_site).as_posix() + "/", fragment) for target, fragment in links}
    expected = {(page, anchor) for page, ids in question_headings(built_site).items() for anchor in ids}
    assert len(expected) >= 4
    assert not expected - listed, f"questions missing from the bank: {sorted(expected - listed)}"
    assert not listed - expected, f"bank entries that are not questions: {sorted(listed - expected)}"
    assert len(soup(bank).select("article details.abstract")) == len(expected)  # one hidden answer each


def test_404_page_and_sitemap_lead_back_into_the_site(built_site):
    not_found = soup(built_site / "404.html")
    links = {a["href"] for a in not_found.select("article a[href]")}
    assert "/questions/" in links and "/training/overfitting-and-dropout/" in links
    sitemap = (built_site / "sitemap.xml").read_text()
    for page in ("training/overfitting-and-dropout/", "questions/", "architectures/attention/"):
        assert f"{page}</loc>" in sitemap, page


def test_build_report_lists_every_snippet(built_site):
    report = soup(built_site / "build-report" / "index.html")
    listed = {code.get_text() for code in report.select("article table code")}
    assert listed == {s.rel for s in discover(ROOT)}


def test_forge_links_come_from_the_repository_address(built_site):
    """REPO_URL (the deploy workflow's github.repository) gives the header, edit and
    view-source links; the built site names no other repository."""
    from conftest import TEST_REPO_URL

    page = soup(built_site / "training" / "overfitting-and-dropout" / "index.html")
    assert page.select_one("a.md-source")["href"] == TEST_REPO_URL
    edit = page.select_one('a[title="Edit this page"]')
    assert edit and edit["href"] == f"{TEST_REPO_URL}/edit/main/docs/training/overfitting-and-dropout.md"
    sources = [a["href"] for a in page.select(".nn-downloads a") if a.get_text() == "view source"]
    embedded = [name for _, name in embeds((ROOT / "docs" / "training" / "overfitting-and-dropout.md").read_text())]
    assert sources == [f"{TEST_REPO_URL}/blob/main/snippets/{name}.py" for name in embedded]
    placeholder = [p.relative_to(built_site).as_posix() for p in pages(built_site)
                   if "github.com/example/" in p.read_text(encoding="utf-8")]
    assert not placeholder, f"a placeholder repository address is left in {placeholder}"


@pytest.mark.slow
def test_a_build_without_a_repository_address_has_no_forge_links(built_site, tmp_path):
    """A local build (no REPO_URL) is strict-clean: no header, edit or view-source links,
    and the contributing page keeps the text of links to repository files."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NN_NOTES_RUN_DEMOS": "false"}  # outputs: built_site's
    env.pop("REPO_URL", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    page = soup(tmp_path / "training" / "overfitting-and-dropout" / "index.html")
    assert page.select_one("a.md-source") is None
    assert page.select_one('a[title="Edit this page"]') is None
    assert not [a for a in page.select(".nn-downloads a") if a.get_text() == "view source"]
    assert page.select(".nn-downloads a[download]"), "the downloads themselves stay"
    contributing = soup(tmp_path / "contributing" / "index.html")
    assert contributing.find(string=re.compile("review-log")) is not None
