"""Shared fixtures: the project's root and one strict build of the real site per session."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nn_notes.runner.runner import run_snippets

ROOT = Path(__file__).resolve().parents[1]
# What the deploy workflow sets from github.repository; the built site's forge links use it.
TEST_REPO_URL = "https://github.com/nn-notes-test/interview-notes"


def pytest_collection_modifyitems(items):
    """Mark every test that needs the real site built, so `make check` can leave them out."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, record_testsuite_property) -> Path:
    """`mkdocs build --strict` of the real site, runner included, into a temporary folder.
    Its duration goes into the JUnit report: scripts/test_timing.py takes it out of the
    time of the test that happened to build it."""
    site = tmp_path_factory.mktemp("site")
    started = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPO_URL": TEST_REPO_URL}
    env.pop("NN_NOTES_RUN_DEMOS", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
    assert result.returncode == 0, "strict build failed:\n" + "\n".join(problems[-60:])
    record_testsuite_property("site_build_s", round(time.perf_counter() - started, 2))
    return site


@pytest.fixture
def snippet_project(tmp_path):
    """A throwaway project for the runner: snippets/ and docs/, its cache inside it."""
    (tmp_path / "snippets" / "demo").mkdir(parents=True)
    (tmp_path / "docs").mkdir()

    class Project:
        root = tmp_path
        generated = tmp_path / "docs" / "generated"

        def write(self, name: str, source: str) -> Path:
            path = tmp_path / "snippets" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source).lstrip())
            return path

        def page(self, name: str, *embeds: str) -> None:
            lines = ["# Page", ""] + [f'--8<-- "generated/{e}.md"' for e in embeds]
            (tmp_path / "docs" / name).write_text("\n".join(lines) + "\n")

        def run(self, **options):
            options.setdefault("progress", False)
            return run_snippets(root=tmp_path, cache_dir=tmp_path / ".cache", **options)

        def statuses(self, report) -> dict[str, str]:
            return {o.snippet.name: o.status for o in report.outcomes}

    return Project()
