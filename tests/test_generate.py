"""The generation step without MkDocs: one command writes everything the pages embed or link."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs a demo in a subprocess

# MkDocs' build machinery; its one-function front-matter parser (mkdocs.utils.meta) is allowed.
MKDOCS_BUILD = ("mkdocs.config", "mkdocs.plugins", "mkdocs.structure", "mkdocs.commands", "mkdocs.theme")


def small_project(root: Path) -> None:
    files = {
        "mkdocs.yml": 'site_name: t\nrepo_url: !ENV REPO_URL\nnav:\n  - Home: index.md\n  - Topic:\n      - topic/page.md\n',
        "CONTRIBUTING.md": "# Contributing\n\nSee [the pins](requirements.txt).\n",
        "docs/index.md": "# Home\n",
        "docs/topic/page.md": textwrap.dedent('''\
            ---
            title: A page
            tags: [demo]
            difficulty: easy
            ---

            # A page

            ## Does the generation step work? { #works }

            ???+ abstract "Short answer"
                It does.

            --8<-- "generated/t/prints_and_draws_a_line.md"
            '''),
        "snippets/t/prints_and_draws_a_line.py": textwrap.dedent('''\
            import matplotlib.pyplot as plt

            print("generated without mkdocs")
            fig, ax = plt.subplots(label="A straight line")
            ax.plot([0, 1], [0, 1])
            '''),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_one_command_writes_every_output_and_imports_no_mkdocs_build(tmp_path):
    small_project(tmp_path)
    probe = ("import json, sys\nfrom nn_notes.generate import main\ncode = main([])\n"
             "print(json.dumps([m for m in sys.modules if m.startswith('mkdocs')]))\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path / "docs", capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(tmp_path)}, timeout=300)
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout.splitlines()[-1])
    assert not [m for m in imported if m.startswith(MKDOCS_BUILD)], imported
    generated = tmp_path / "docs" / "generated"
    fragment = (generated / "t" / "prints_and_draws_a_line.md").read_text()
    assert "generated without mkdocs" in fragment
    assert sorted(p.name for p in (generated / "t").glob("*.svg")) == [
        "prints_and_draws_a_line-1-1.dark.svg", "prints_and_draws_a_line-1-1.light.svg"]
    assert (generated / "t" / "prints_and_draws_a_line.ipynb").is_file()
    assert (generated / "pages" / "topic" / "page.ipynb").is_file(), "the page's notebook"
    bank = (generated / "site" / "questions.md").read_text()
    assert "[Does the generation step work?](topic/page.md#works)" in bank and "It does." in bank
    assert "snippets/t/prints_and_draws_a_line.py" in (generated / "site" / "build-report.md").read_text()
    contributing = (generated / "site" / "contributing.md").read_text()
    assert "See the pins." in contributing, "no repository address: a repository file keeps only its text"


def test_a_failing_demo_fails_the_command_naming_file_and_line(tmp_path):
    small_project(tmp_path)
    (tmp_path / "snippets" / "t" / "prints_and_draws_a_line.py").write_text("x = 1\nraise ValueError('planted')\n")
    result = subprocess.run([sys.executable, "-c", "import sys\nfrom nn_notes.generate import main\nsys.exit(main([]))"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "snippets/t/prints_and_draws_a_line.py:2: ValueError: planted (embedded in docs/topic/page.md)" \
        in result.stderr
