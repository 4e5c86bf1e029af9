"""The page cache: a page is converted again exactly when something it is made of changed,
and a cached build publishes the same site and reports the same problems."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nn_notes.plugin.page_cache import included_paths

pytestmark = pytest.mark.slow  # builds a project or runs demos in subprocesses: not in `make check`

@pytest.fixture
def project(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: page cache test
        plugins:
          - nn-notes:
              run_demos: false
              page_cache: !ENV [NN_NOTES_PAGE_CACHE, true]
        exclude_docs: /generated/**/*.md
        validation:
          anchors: warn
        markdown_extensions:
          - toc:
              permalink: !ENV [PAGE_CACHE_TEST_PERMALINK, false]
          - pymdownx.superfences
          - pymdownx.snippets:
              base_path: [docs]
              check_paths: true
    """))
    (tmp_path / "docs" / "generated").mkdir(parents=True)
    (tmp_path / "docs" / "generated" / "demo.md").write_text("```python\nprint('first output')\n```\n")
    (tmp_path / "docs" / "index.md").write_text(
        '# Home\n\n## A question\n\nSee [the other page](other.md#its-part).\n\n--8<-- "generated/demo.md"\n')
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Its part\n\nText.\n")
    return tmp_path


def build(project: Path, site: str = "site", cache: str = "true", **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NN_NOTES_PAGE_CACHE": cache, **extra}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def reused(result: subprocess.CompletedProcess) -> str:
    line = next((line for line in result.stderr.splitlines() if "Markdown pages: " in line), "")
    return line.split("Markdown pages: ", 1)[-1]


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site (the default theme's build time left out)."""
    return {path.relative_to(site).as_posix(): re.sub(rb"Build Date UTC : [^\n]*", b"", path.read_bytes())
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_an_unchanged_page_is_reused_and_the_site_is_the_same(project):
    first = build(project)
    assert first.returncode == 0, first.stderr
    assert reused(first) == ""  # nothing cached yet
    second = build(project, site="site2")
    assert second.returncode == 0, second.stderr
    assert reused(second) == "4 unchanged ones taken from the page cache, 0 converted"  # with the plugin's question bank and build report
    assert build(project, site="site3", cache="false").returncode == 0
    assert site_files(project / "site2") == site_files(project / "site3")
    assert "first output" in (project / "site2" / "index.html").read_text()
    assert list((project / ".cache" / "jinja").glob("*.cache"))  # the theme's compiled templates


def test_an_edited_include_converts_its_page_again(project):
    assert build(project).returncode == 0
    (project / "docs" / "generated" / "demo.md").write_text("```python\nprint('second output')\n```\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert reused(result) == "3 unchanged ones taken from the page cache, 1 converted"
    assert "second output" in (project / "site" / "index.html").read_text()
    assert len(list((project / ".cache" / "pages").glob("*.json"))) == 4  # the old entry is gone


def test_a_new_file_converts_every_page_again(project):
    """Links resolve against the site's files: a page that appears can fix or break one."""
    assert build(project).returncode == 0
    (project / "docs" / "third.md").write_text("# Third\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert reused(result) == ""


def test_a_setting_from_the_environment_converts_every_page_again(project):
    """`!ENV` values are not in mkdocs.yml's text: the resolved settings are part of the key."""
    assert build(project).returncode == 0
    result = build(project, PAGE_CACHE_TEST_PERMALINK="true")
    assert result.returncode == 0, result.stderr
    assert reused(result) == ""
    assert 'class="headerlink"' in (project / "site" / "other" / "index.html").read_text()


@pytest.mark.parametrize("page, text, reported", [
    # a broken link: that render logs a warning, so it is never stored
    ("other.md", "# Other\n\n## Its part\n\nSee [nowhere](missing.md).\n", "missing.md"),
    # a missing anchor: checked after reading, from the anchors the cached entry restores
    ("index.md", "# Home\n\nSee [the other page](other.md#no-such-part).\n", "no-such-part"),
])
def test_a_link_problem_fails_every_strict_build_not_only_the_first(project, page, text, reported):
    (project / "docs" / page).write_text(text)
    for _ in range(2):
        result = build(project)
        assert result.returncode != 0
        assert reported in result.stderr


def test_included_paths_follows_pymdownx_snippets_syntax():
    markdown = textwrap.dedent("""
        --8<-- "generated/a.md"
          --8<-- 'generated/b.md:3:5'
        ;--8<-- "escaped.md"
        --8<--
        generated/c.md
        ;generated/skipped.md
        --8<--
        text mentioning --8<-- "not/an/include.md" mid-line
    """)
    assert included_paths(markdown) == ["generated/a.md", "generated/b.md", "generated/c.md"]


@pytest.mark.parametrize("damage", ["edited", "truncated", "emptied"])
def test_a_damaged_entry_is_named_and_the_page_converted_again(project, damage):
    assert build(project).returncode == 0
    entries = sorted((project / ".cache" / "pages").glob("*.json"))
    index = next(e for e in entries if b"first output" in e.read_bytes())
    data = index.read_bytes()
    index.write_bytes({"edited": data.replace(b"first output", b"forged output"),
                       "truncated": data[: len(data) // 2], "emptied": b""}[damage])
    again = build(project, site="site2")
    assert again.returncode == 0, again.stderr
    assert "index.md: its entry in the page cache" in again.stderr and "converting the page again" in again.stderr
    html = (project / "site2" / "index.html").read_text()
    assert "first output" in html and "forged output" not in html
    assert reused(again) == "3 unchanged ones taken from the page cache, 1 converted"


def test_an_unknown_plugin_turns_the_page_cache_off_and_says_so(project):
    """A plugin that may gather state while pages convert would miss cached pages: with one
    the cache is not used at all, and the build log says why."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - markdown-exec\n"))
    for _ in range(2):
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert "page cache off: the plugin(s) markdown-exec may gather state" in result.stderr
        assert reused(result) == "", "no page was taken from the cache"
    assert not (project / ".cache" / "pages").exists()
