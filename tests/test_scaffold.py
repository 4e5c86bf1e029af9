"""scripts/new_question.py: its nav edits, and the whole contributor loop in a copy of the project.

The end-to-end test copies the project's machinery (what git tracks plus untracked files it
does not ignore, outside docs/ and snippets/) and the real mkdocs.yml, with a two-page
stand-in for the content, into a temporary folder; scaffolds a new question on a new page
in a new section; checks that the placeholder convention fails; fills the placeholders in;
and then requires the convention checks and a strict build (runner included) to pass there.
The real content is built and checked once per session elsewhere (conftest's built_site).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nn_notes.tools.new_question import PLACEHOLDER, ScaffoldError, add_to_nav, main, scaffold

ROOT = Path(__file__).resolve().parents[1]
NOT_COPIED = (".git", ".venv", ".cache", "site", "docs/generated", ".pytest_cache", ".ruff_cache")

CONFIG = """\
site_name: Test  # a comment that must survive
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
nav:
  - Home: index.md
  - Training:
      - training/a.md
      - B page: training/b.md
  - Architectures:
      - architectures/c.md
  - Contributing: contributing.md
extra_css:
  - site.css
"""


# --- editing mkdocs.yml's nav ---

def nav_lines(text: str) -> list[str]:
    return text.split("nav:\n", 1)[1].split("extra_css:", 1)[0].splitlines()


def test_a_page_joins_the_section_that_holds_its_folder():
    text, message = add_to_nav(CONFIG, "training/new.md", None)
    assert nav_lines(text)[1:5] == ["  - Training:", "      - training/a.md", "      - B page: training/b.md",
                                    "      - training/new.md"]
    assert text.replace("      - training/new.md\n", "") == CONFIG  # nothing else changes
    assert message == "added training/new.md to the nav section 'Training' in mkdocs.yml"


def test_a_new_folder_gets_a_new_section_after_the_last_section():
    text, message = add_to_nav(CONFIG, "regularisation/label-smoothing.md", None)
    assert nav_lines(text)[5:9] == ["      - architectures/c.md", "  - Regularisation:",
                                    "      - regularisation/label-smoothing.md", "  - Contributing: contributing.md"]
    assert "'Regularisation'" in message
    named, _ = add_to_nav(CONFIG, "misc/x.md", "Odds: and ends")
    assert '  - "Odds: and ends":\n      - misc/x.md\n' in named


def test_the_edited_config_keeps_its_tags_and_comments_and_still_parses():
    text, _ = add_to_nav(CONFIG, "training/new.md", None)
    for kept in ("# a comment that must survive", "!ENV [SITE_URL", "!!python/name:material.extensions.emoji.twemoji"):
        assert kept in text

    class AnyTag(yaml.SafeLoader):
        pass

    AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)
    AnyTag.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    nav = yaml.load(text, Loader=AnyTag)["nav"]
    assert {"Training": ["training/a.md", {"B page": "training/b.md"}, "training/new.md"]} in nav


def test_nav_edge_cases():
    assert add_to_nav(CONFIG, "training/a.md", None) == (CONFIG, "mkdocs.yml's nav already lists training/a.md")
    no_nav = "site_name: T\n"
    assert add_to_nav(no_nav, "x/y.md", None)[0] == no_nav
    with pytest.raises(ScaffoldError, match="block list"):
        add_to_nav("site_name: T\nnav: [index.md]\n", "x/y.md", None)
    only_pages = "nav:\n  - index.md\n"
    assert add_to_nav(only_pages, "x/y.md", None)[0] == "nav:\n  - index.md\n  - X:\n      - x/y.md\n"


# --- the scaffold's arguments and output ---

@pytest.fixture
def project(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "training").mkdir(parents=True)
    (tmp_path / "docs" / "training" / "a.md").write_text(
        '---\ntitle: A\n---\n\n# A\n\n## Old? { #old }\n\n--8<-- "generated/losses/old_demo_here.md"\n')
    return tmp_path


def test_appending_to_a_page_reuses_its_topic_and_leaves_the_nav_alone(project):
    done = scaffold(project, "training/a", "Why is the sky blue?")
    page = (project / "docs" / "training" / "a.md").read_text()
    assert page.startswith('---\ntitle: A\n---\n\n# A\n\n## Old? { #old }\n')
    assert "\n## Why is the sky blue? { #why-is-the-sky-blue }\n" in page
    assert '--8<-- "generated/losses/why_is_the_sky_blue.md"' in page
    assert (project / "snippets" / "losses" / "why_is_the_sky_blue.py").is_file()
    assert (project / "mkdocs.yml").read_text() == CONFIG
    assert done == ["added the question #why-is-the-sky-blue to docs/training/a.md",
                    "created the demo stub snippets/losses/why_is_the_sky_blue.py"]


@pytest.mark.parametrize("args,message", [
    (["--page", "Training/A"], "--page 'Training/A'"),
    (["--page", "training"], "--page 'training'"),
    (["--page", "training/a", "--anchor", "Old Anchor"], "--anchor 'Old Anchor'"),
    (["--page", "training/a", "--anchor", "old"], "already has a question with the anchor #old"),
    (["--page", "training/a", "--snippet", "losses/too_short"], "at least 3 words"),
    (["--page", "training/a", "--snippet", "Losses/Has-Hyphens"], "lowercase_with_underscores"),
    (["--page", "training/a", "--title", "Sky?"], "pass --snippet"),
])
def test_bad_arguments_are_refused_without_writing(project, capsys, args, message):
    before = (project / "docs" / "training" / "a.md").read_text()
    argv = ["--root", str(project), "--title", "Why is the sky blue?", *args]
    if argv.count("--title") == 2:
        del argv[2:4]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert (project / "docs" / "training" / "a.md").read_text() == before
    assert not (project / "snippets").exists()


# --- end to end, in a copy of the project ---

def project_files(root: Path) -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            capture_output=True, check=True).stdout.decode()
    return [name for name in listed.split("\0") if name and (root / name).is_file()
            and not any(name == d or name.startswith(d + "/") for d in NOT_COPIED)
            and "__pycache__" not in name.split("/")]


# The content of the small project: the pages the site's own files link to, as stand-ins.
STAND_INS = {
    "docs/index.md": "---\ntitle: Home\ndescription: A stand-in home page.\nhide:\n  - toc\n---\n\n# Home\n",
    "docs/contributing/review-log.md": "---\ntitle: Review log\ndescription: A stand-in review log.\n---\n\n"
                                       "# Review log\n\nSee the [checklist](../contributing.md#review-checklist).\n",
}


def small_project(copy: Path) -> None:
    """The project without its content: machinery, assets and mkdocs.yml (nav cut down to
    what exists here, the rest of the configuration as it is), plus the stand-ins."""
    for name in project_files(ROOT):
        if name.startswith("docs/") and name.endswith(".md") or name.startswith("snippets/") and name.count("/") > 1:
            continue  # content: pages and demos (assets and snippets/ruff.toml stay)
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    for name, text in STAND_INS.items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text(text)
    config = (ROOT / "mkdocs.yml").read_text()
    head, nav = config.split("\nnav:\n", 1)
    assert not re.search(r"^\S", nav, re.M), "nav is the last key of mkdocs.yml"
    kept = ["  - Home: index.md", "  - Question bank: questions.md", "  - Contributing: contributing.md",
            "  - Review log: contributing/review-log.md", "  - Build report: build-report.md"]
    assert all(line in nav.splitlines() for line in kept), "the site's own pages are in the real nav"
    (copy / "mkdocs.yml").write_text(head + "\nnav:\n" + "\n".join(kept) + "\n")


def run(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def fill_in(page: Path, snippet: Path) -> None:
    """What an author does: real front matter and prose instead of every marker, a real demo."""
    text = page.read_text()
    front, body = re.match(r"(?s)\A---\n(.*?)\n---\n(.*)", text).groups()
    title = yaml.safe_load(front)["title"]
    front = yaml.safe_dump({"title": title, "description": "Whether a scaffolded question reaches the site intact.",
                            "tags": ["contributing", "softmax"], "difficulty": "easy"}, sort_keys=False)
    body = body.replace(f"{PLACEHOLDER}: ", "").replace(PLACEHOLDER, "")
    page.write_text(f"---\n{front}---\n{body}")
    snippet.write_text('''\
# %% Softmax turns any scores into a probability distribution
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
scores = torch.randn(4, 5)
probs = torch.softmax(scores, dim=1)
print(f"row sums: {probs.sum(dim=1).tolist()}")
assert torch.allclose(probs.sum(dim=1), torch.ones(4)), "each row sums to one"
assert (probs > 0).all(), "every class keeps some probability"

# %% The first row as a bar chart
fig, ax = plt.subplots(label="Bar chart of five softmax probabilities that sum to one")
ax.bar(range(5), probs[0])
ax.set(xlabel="class", ylabel="probability")
''')


@pytest.mark.slow
def test_scaffold_end_to_end_in_a_small_copy_of_the_project(tmp_path):
    copy, cache, site = tmp_path / "project", tmp_path / "cache", tmp_path / "site"
    small_project(copy)
    # A work tree of its own, so the "no committed generated output" check runs there too.
    run(["git", "init", "-q"], copy).check_returncode()
    run(["git", "add", "-A"], copy).check_returncode()
    env = {**os.environ, "NN_NOTES_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    env.pop("NN_NOTES_RUN_DEMOS", None)
    config_before = (copy / "mkdocs.yml").read_text()

    # 1. Scaffold a question on a new page in a new section.
    scaffolded = run([sys.executable, "scripts/new_question.py", "--page", "scaffolding/end-to-end-check",
                      "--title", "Does a scaffolded question reach the site?",
                      "--snippet", "scaffold_check/softmax_rows_sum_to_one", "--section-title", "Scaffold check"],
                     copy, env)
    assert scaffolded.returncode == 0, scaffolded.stderr
    page = copy / "docs" / "scaffolding" / "end-to-end-check.md"
    snippet = copy / "snippets" / "scaffold_check" / "softmax_rows_sum_to_one.py"
    config = (copy / "mkdocs.yml").read_text()
    added = [line for line in config.splitlines() if line not in config_before.splitlines()]
    assert added == ["  - Scaffold check:", "      - scaffolding/end-to-end-check.md"]
    assert len(config.splitlines()) == len(config_before.splitlines()) + 2  # nothing else changed
    assert page.is_file() and PLACEHOLDER in page.read_text() and PLACEHOLDER in snippet.read_text()

    # 2. The stub runs through the runner (figure with alt text included)...
    stub = run([sys.executable, "scripts/run_snippets.py", "scaffold_check/", "--json"], copy, env)
    assert stub.returncode == 0, stub.stderr
    assert [o["status"] for o in json.loads(stub.stdout)["snippets"]] == ["ran"]
    fragment = (copy / "docs" / "generated" / "scaffold_check" / "softmax_rows_sum_to_one.md").read_text()
    assert f"{PLACEHOLDER}: alt text that says what the plot shows" in fragment
    # ... and the placeholder check fails, naming the page and the snippet.
    unfinished = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                      "tests/test_conventions.py::test_no_placeholder_is_left_on_the_project"], copy, env)
    assert unfinished.returncode == 1, unfinished.stdout
    assert "docs/scaffolding/end-to-end-check.md:" in unfinished.stdout
    assert "snippets/scaffold_check/softmax_rows_sum_to_one.py:" in unfinished.stdout

    # 3. Fill it in; the conventions and a strict build (which runs the new demo) pass.
    fill_in(page, snippet)
    conventions = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_conventions.py"],
                      copy, env)
    build = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], copy, env,
                timeout=1800)
    failures = []
    if conventions.returncode != 0:
        failures.append("convention checks failed in the copy:\n" + conventions.stdout[-4000:])
    if build.returncode != 0:
        problems = [line for line in build.stderr.splitlines() if not line.startswith("INFO")]
        failures.append("strict build failed in the copy:\n" + "\n".join(problems[-60:]))
    assert not failures, "\n\n".join(failures)
    html = (site / "scaffolding" / "end-to-end-check" / "index.html").read_text()
    assert 'id="does-a-scaffolded-question-reach-the-site"' in html
    assert "row sums:" in html and 'alt="Bar chart of five softmax probabilities that sum to one"' in html
    assert "scaffolding/end-to-end-check/#does-a-scaffolded-question-reach-the-site" in \
        (site / "questions" / "index.html").read_text()
