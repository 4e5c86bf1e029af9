"""The runner's contract (DESIGN.md), one behaviour per test, on a throwaway project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nn_notes.runner import cache

pytestmark = pytest.mark.slow  # builds a project or runs demos in subprocesses: not in `make check`

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture
def project(snippet_project):
    return snippet_project


def test_second_run_is_all_cache_hits(project):
    project.write("demo/a.py", "print('hello from a')\n")
    project.write("demo/b.py", "print('hello from b')\n")
    assert set(project.statuses(project.run()).values()) == {"ran"}
    second = project.run()
    assert project.statuses(second) == {"demo/a": "cached", "demo/b": "cached"}
    assert "hello from a" in (project.generated / "demo" / "a.md").read_text()


def test_editing_one_snippet_reruns_only_that_one(project):
    project.write("demo/a.py", "print(1)\n")
    project.write("demo/b.py", "print(2)\n")
    project.run()
    project.write("demo/a.py", "print(10)\n")
    report = project.run()
    assert project.statuses(report) == {"demo/a": "ran", "demo/b": "cached"}
    assert "10" in (project.generated / "demo" / "a.md").read_text()


def test_editing_an_imported_helper_invalidates_the_snippet(project):
    project.write("demo/_shared.py", "VALUE = 1\n")
    project.write("demo/uses_helper.py", "from _shared import VALUE\nprint('value', VALUE)\n")
    project.write("demo/independent.py", "print('no helper')\n")
    project.run()
    project.write("demo/_shared.py", "VALUE = 2\n")
    report = project.run()
    assert project.statuses(report) == {"demo/uses_helper": "ran", "demo/independent": "cached"}
    assert "value 2" in (project.generated / "demo" / "uses_helper.md").read_text()


def test_corrupt_cache_entry_is_detected_and_rerun(project):
    project.write("demo/a.py", "print('intact')\n")
    project.run()
    [entry] = [p for p in (project.root / ".cache").iterdir() if re.fullmatch(r"[0-9a-f]{32}", p.name)]
    (entry / "result.json").write_text('{"truncated": ')
    report = project.run()
    assert project.statuses(report) == {"demo/a": "ran"}
    assert "intact" in (project.generated / "demo" / "a.md").read_text()


def test_exception_is_reported_with_file_and_line(project):
    project.write("demo/bad.py", """
        import math

        x = math.sqrt(4)
        raise ValueError("planted failure")
    """)
    project.page("page.md", "demo/bad")
    report = project.run()
    [failure] = report.failures
    assert failure.message.startswith("snippets/demo/bad.py:4: ValueError: planted failure")
    assert "docs/page.md" in failure.message
    assert "planted failure" in (project.generated / "demo" / "bad.md").read_text()


def test_syntax_error_names_its_line(project):
    project.write("demo/typo.py", "x = 1\ny = (\n\nprint(x)\n")
    [failure] = project.run().failures
    assert failure.message.startswith("snippets/demo/typo.py:")
    assert "SyntaxError" in failure.message


def test_timeout_kills_the_snippet_and_its_children(project):
    project.write("demo/hangs.py", """
        import subprocess
        child = subprocess.Popen(["sleep", "604"])
        while True:
            pass
    """)
    project.write("demo/fine.py", "print('still runs')\n")
    started = time.monotonic()
    report = project.run(timeout=3)
    assert time.monotonic() - started < 30
    [failure] = report.failures
    assert "timed out after 3 s" in failure.message
    assert failure.message.startswith("snippets/demo/hangs.py:")
    assert project.statuses(report)["demo/fine"] == "ran"
    time.sleep(0.5)
    found = subprocess.run(["pgrep", "-f", "sleep 604"], capture_output=True, text=True)
    assert found.stdout.split() == [], "the demo's child process survived the timeout"


def test_a_slow_demo_is_named_while_it_runs(project, monkeypatch):
    from nn_notes.runner import runner, scheduler

    monkeypatch.setattr(scheduler, "NOTICE_EVERY", 0.5)
    project.write("demo/slow.py", "import time\ntime.sleep(2.2)\n")
    project.write("demo/quick.py", "print('quick')\n")
    messages: list[str] = []
    report = project.run(jobs=2, notify=messages.append)
    assert not report.failures, report.failures[0].message
    assert messages[0] == "running 2 demo(s) on 2 worker(s)", messages
    notices = [m for m in messages if m.startswith("still running")]
    assert notices and all(m.startswith("still running snippets/demo/slow.py: ") for m in notices), messages
    assert 2 <= len(notices) <= 5, messages  # one per half second of the 2.2 s, give or take the start
    assert notices[-1].endswith(f"s of its {runner.DEFAULT_TIMEOUT:g} s limit"), messages
    assert project.run(notify=messages.append) and len(messages) == len(notices) + 1, "cached: nothing to say"


def test_interpreter_exit_is_reported_not_fatal(project):
    project.write("demo/exits.py", "import os\nprint('before')\nos._exit(3)\n")
    project.write("demo/fine.py", "print('ok')\n")
    report = project.run()
    [failure] = report.failures
    assert "exited with status 3" in failure.message
    assert project.statuses(report)["demo/fine"] == "ran"


def test_segfault_is_reported_with_its_line(project):
    project.write("demo/segfault.py", "import ctypes\n\nx = 1\nctypes.string_at(0)\n")
    [failure] = project.run().failures
    assert "SIGSEGV" in failure.message
    assert failure.message.startswith("snippets/demo/segfault.py:4:")


def test_output_flood_is_stopped_and_reported(project):
    project.write("demo/floods.py", "while True:\n    print('x' * 10000)\n")
    project.write("demo/chatty.py", "print('y' * 200_000)\n")
    report = project.run(timeout=60)
    messages = {f.snippet.name: f.message for f in report.failures}
    assert "output flood" in messages["demo/floods"] and "floods.py:2:" in messages["demo/floods"]
    assert "printed 200,001 bytes" in messages["demo/chatty"]


def test_each_snippet_starts_from_fresh_state(project):
    project.write("demo/a_pollutes.py", """
        import matplotlib, torch, os
        matplotlib.rcParams["lines.linewidth"] = 9
        torch.rand(1000)
        open("left_behind.txt", "w").write("x")
        import builtins
        builtins.POLLUTED = True
    """)
    project.write("demo/b_checks.py", """
        import builtins, os, random
        import matplotlib, numpy, torch
        assert matplotlib.rcParams["lines.linewidth"] == 1.5
        assert not hasattr(builtins, "POLLUTED")
        assert os.listdir(".") == []
        first = torch.rand(1).item()
        torch.manual_seed(0)
        assert first == torch.rand(1).item(), "torch was not seeded with 0 before this snippet"
    """)
    project.write("demo/c_seeds.py", """
        import random, numpy, torch
        print(random.random(), numpy.random.rand(), torch.rand(1).item())
    """)
    report = project.run(jobs=1)
    assert not report.failures, [f.message for f in report.failures]
    seeded = (project.generated / "demo" / "c_seeds.md").read_text()
    import random

    import numpy
    random.seed(0), numpy.random.seed(0)
    assert f"{random.random()} {numpy.random.rand()}" in seeded


def test_torch_matmul_in_child_finishes_after_parent_used_threads(project):
    import torch

    torch.set_num_threads(2)
    (torch.randn(512, 512) @ torch.randn(512, 512)).sum()  # the parent's pool is now warm
    project.write("demo/matmul.py", """
        import torch
        a = torch.randn(1024, 1024)
        print("sum", float((a @ a).sum()) != 0.0)
    """)
    report = project.run(timeout=60)
    assert not report.failures, [f.message for f in report.failures]
    assert "sum True" in (project.generated / "demo" / "matmul.md").read_text()


FIGURE_SNIPPET = """
    import matplotlib.pyplot as plt

    # %% Numbers first
    print("three points")
    print("a warning", file=__import__("sys").stderr)

    # %% Then a plot
    fig, ax = plt.subplots(label="A rising line through three points")
    ax.plot([1, 2, 3], [1, 4, 9], label="squares")
    ax.set_xlabel("x")
    ax.legend()
"""


def test_figures_are_captured_per_cell_in_light_and_dark_with_alt_text(project):
    project.write("demo/plot.py", FIGURE_SNIPPET)
    assert not project.run().failures
    out = project.generated / "demo"
    fragment = (out / "plot.md").read_text()
    assert '{ .python title="snippets/demo/plot.py" }' in fragment  # the first cell names the file
    assert '{ .python title="Numbers first" }' in fragment
    assert '{ .python title="Then a plot" }' in fragment
    assert "three points" in fragment and ".nn-stderr" in fragment and "a warning" in fragment
    assert "![A rising line through three points](/generated/demo/plot-3-1.light.svg#only-light)" in fragment
    assert "![A rising line through three points](/generated/demo/plot-3-1.dark.svg#only-dark)" in fragment
    light, dark = (out / "plot-3-1.light.svg").read_text(), (out / "plot-3-1.dark.svg").read_text()
    assert light.startswith("<?xml") and dark.startswith("<?xml") and light != dark
    assert "#ffffff" in light and "#1e2129" in dark  # backgrounds follow the colour scheme
    assert "#e2e4ea" in dark and "#e2e4ea" not in light  # text and axes turn light on dark
    notebook = json.loads((out / "plot.ipynb").read_text())
    outputs = [o for cell in notebook["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]
    assert [o["output_type"] for o in outputs] == ["stream", "stream", "display_data"]
    assert "".join(outputs[2]["data"]["text/plain"]) == "A rising line through three points"


def test_figure_without_alt_text_is_an_error(project):
    project.write("demo/no_alt.py", "import matplotlib.pyplot as plt\n\nplt.plot([1, 2])\n")
    [failure] = project.run().failures
    assert failure.message.startswith("snippets/demo/no_alt.py:1:") and "alt text" in failure.message


def test_forced_runs_are_byte_identical(project):
    project.write("demo/plot.py", FIGURE_SNIPPET)
    project.write("demo/random_numbers.py", "import torch\nprint(torch.randn(3))\n")

    def snapshot():
        return {p.relative_to(project.generated): p.read_bytes() for p in project.generated.rglob("*") if p.is_file()}

    project.run(force=True)
    first = snapshot()
    project.run(force=True)
    assert snapshot() == first and len(first) >= 8


def test_unchanged_outputs_are_not_rewritten(project):
    project.write("demo/a.py", "print('same')\n")
    project.run()
    fragment = project.generated / "demo" / "a.md"
    before = fragment.stat().st_mtime_ns
    project.run(force=True)
    assert fragment.stat().st_mtime_ns == before


def test_failure_replaces_stale_output_and_deleted_snippets_leave_nothing(project):
    path = project.write("demo/plot.py", FIGURE_SNIPPET)
    project.write("demo/gone.py", "print('soon deleted')\n")
    project.run()
    assert (project.generated / "demo" / "plot-3-1.light.svg").exists()
    path.write_text(path.read_text() + "\nraise RuntimeError('broken now')\n")
    (project.root / "snippets" / "demo" / "gone.py").unlink()
    project.run()
    remaining = sorted(p.name for p in (project.generated / "demo").iterdir())
    assert remaining == ["plot.md"]
    assert "broken now" in (project.generated / "demo" / "plot.md").read_text()


def test_cli_json_report_and_exit_status(project):
    project.write("demo/good.py", "print('fine')\n")
    project.write("demo/bad.py", "x = 1\n\n\nraise SystemError('planted')\n")
    command = [sys.executable, str(SCRIPTS / "run_snippets.py"), "--root", str(project.root), "--json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    statuses = {s["path"]: s["status"] for s in report["snippets"]}
    assert statuses == {"snippets/demo/bad.py": "failed", "snippets/demo/good.py": "ran"}
    assert all(isinstance(s["seconds"], float) for s in report["snippets"])
    assert "snippets/demo/bad.py:4: SystemError: planted" in result.stderr
    again = subprocess.run(command + ["good"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0
    assert [s["status"] for s in json.loads(again.stdout)["snippets"]] == ["cached"]


def test_a_page_notebook_is_published_as_soon_as_its_last_demo_has_run(project):
    """So the build can render it while other demos still run; a page with a failing demo
    gets none, and the final notebook is the one announced (same bytes)."""
    project.write("demo/fast.py", "print('fast')\n")
    project.write("demo/slow.py", "import time\ntime.sleep(1.5)\nprint('slow')\n")
    project.write("demo/bad.py", "raise ValueError('no notebook for this page')\n")
    project.page("quick.md", "demo/fast")
    project.page("both.md", "demo/fast", "demo/slow")
    project.page("broken.md", "demo/bad")
    announced = {}

    def ready(path: Path) -> None:
        run_over = (project.generated / "demo" / "fast.md").exists()  # fragments publish at the end
        announced[path.relative_to(project.generated).as_posix()] = (run_over, path.read_bytes())

    project.run(page_notebook_ready=ready)
    assert sorted(announced) == ["pages/both.ipynb", "pages/quick.ipynb"]
    assert announced["pages/quick.ipynb"][0] is False  # announced while the slow demo ran
    for name, (_, data) in announced.items():
        assert (project.generated / name).read_bytes() == data
    assert not (project.generated / "pages" / "broken.ipynb").exists()


@pytest.mark.parametrize("damage", ["edited", "truncated", "forced"])
def test_a_damaged_page_notebook_memo_is_rendered_again(project, damage):
    """The memo of a page's notebook is published as it is: an edit to it must not be."""
    project.write("demo/note.py", "print('genuine output')\n")
    project.page("page.md", "demo/note")
    project.run()
    [memo] = (project.root / ".cache" / "pages").glob("*.ipynb")
    published = project.generated / "pages" / "page.ipynb"
    genuine = published.read_bytes()
    data = memo.read_bytes()
    if damage == "forced":  # a memo edited and re-sealed is trusted, until --force
        notebook = data.partition(b"\n")[2].replace(b"genuine output", b"forged output")
        memo.write_bytes(cache.sealed(notebook))
    else:
        memo.write_bytes(data.replace(b"genuine output", b"forged output") if damage == "edited"
                         else data[: len(data) // 2])
    project.run(force=damage == "forced")
    assert published.read_bytes() == genuine
    assert b"forged" not in memo.read_bytes()


def rendered_titles(fragment: str) -> list[str]:
    """The code-block titles a reader sees, from the fragment as the site's Markdown renders it."""
    import html
    import re

    import markdown

    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "pymdownx.highlight", "pymdownx.superfences"])
    return [html.unescape(t) for t in re.findall(r'<span class="filename">(.*?)</span>', md.convert(fragment))]


@pytest.mark.parametrize("title,shown", [
    ('A CNN "with pooling" grows', 'A CNN "with pooling" grows'),  # was cut to 'A CNN'
    ("it's 'fine'", "it's 'fine'"),
    ('it\'s "both"', "it's \u201cboth\u201d"),  # attr_list cannot hold both: curly quotes
    ("braces {x} and <tags> & co", "braces {x} and <tags> & co"),
])
def test_cell_titles_with_quotes_render_whole(project, title, shown):
    project.write("demo/titled.py", f"print(1)\n\n# %% {title}\nprint(2)\n")
    assert not project.run().failures
    titles = rendered_titles((project.generated / "demo" / "titled.md").read_text())
    assert [t for t in titles if t != "Output"] == ["snippets/demo/titled.py", shown]


def test_a_figure_is_shown_under_the_cell_that_draws_it_not_a_later_one(project):
    project.write("demo/two_cells.py", """
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(label="Drawn in the first cell")
        ax.plot([1, 2])
        print("first output")

        # %% Second
        print("second output")
        fig2, ax2 = plt.subplots(label="Drawn in the second cell")
        ax2.plot([2, 1])
    """)
    assert not project.run().failures
    fragment = (project.generated / "demo" / "two_cells.md").read_text()
    order = [fragment.index(mark) for mark in (
        "first output", "![Drawn in the first cell]", 'title="Second"', "second output",
        "![Drawn in the second cell]")]
    assert order == sorted(order), fragment
    assert fragment.count("![Drawn in the first cell]") == 2  # light and dark, once each


def test_staging_folders_left_by_a_killed_run_are_removed(project):
    stale = project.root / ".cache" / "staging-left-by-a-killed-run"
    stale.mkdir(parents=True)
    (stale / "result.json").write_text("{}")
    project.write("demo/a.py", "print(1)\n")
    project.run()
    assert not stale.exists()
    assert not list((project.root / ".cache").glob("staging-*"))


def test_the_cache_key_covers_execution_not_rendering(tmp_path):
    """Editing how results are rendered or published must not re-run any demo; editing
    what executes them must."""
    from nn_notes.runner import snippets

    package = tmp_path / "runner"
    shutil.copytree(Path(snippets.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = snippets.environment_fingerprint(package)
    for name in ("render.py", "publish.py", "runner.py", "cli.py", "cache.py"):
        (package / name).write_text((package / name).read_text() + "\n# a new layout\n")
    assert snippets.environment_fingerprint(package) == before
    for name in snippets.EXECUTION_MODULES:
        (package / name).write_text((package / name).read_text() + "\n# a change\n")
        assert snippets.environment_fingerprint(package) != before, name
        before = snippets.environment_fingerprint(package)


def test_a_new_fragment_and_notebook_layout_republishes_without_running(project, monkeypatch):
    from nn_notes.runner import publish, render

    project.write("demo/first_of_two.py", "print('one')\n")
    project.write("demo/second_of_two.py", "print('two')\n")
    project.run()
    fragment, notebook = render.fragment, render.notebook
    notebooks: list[str] = []
    monkeypatch.setattr(render, "fragment", lambda *args: fragment(*args) + "\n<!-- layout 2 -->\n")
    monkeypatch.setattr(render, "notebook", lambda name, *args: notebooks.append(name) or notebook(name, *args))
    report = project.run()
    assert set(project.statuses(report).values()) == {"cached"}
    assert "<!-- layout 2 -->" in (project.generated / "demo" / "first_of_two.md").read_text()
    assert notebooks == [], "an unchanged renderer gives the memoised notebooks"
    monkeypatch.setattr(publish, "render_fingerprint", lambda: "render.py, edited")
    report = project.run()
    assert set(project.statuses(report).values()) == {"cached"}
    assert sorted(notebooks) == ["demo/first_of_two", "demo/second_of_two"], "an edited renderer re-renders them"


def test_the_figure_manifest_gives_each_demos_figures_as_data(project):
    """docs/generated/figures.json: what the notebook pages swap in, without parsing fragments."""
    draw = ("import matplotlib.pyplot as plt\n"
            "for label in {labels!r}:\n    fig, ax = plt.subplots(label=label)\n    ax.plot([0, 1])\n")
    project.write("demo/two_figures.py", draw.format(labels=["A [first]\n  plot", "second"]))
    project.write("demo/no_figure.py", "print('none')\n")
    project.run()
    manifest = json.loads((project.generated / "figures.json").read_text())
    assert manifest == {
        "demo/no_figure": [],
        "demo/two_figures": [
            {"alt": "A [first] plot", "light": "demo/two_figures-1-1.light.svg", "dark": "demo/two_figures-1-1.dark.svg"},
            {"alt": "second", "light": "demo/two_figures-1-2.light.svg", "dark": "demo/two_figures-1-2.dark.svg"}]}
    for figure in manifest["demo/two_figures"]:
        assert (project.generated / figure["light"]).is_file() and (project.generated / figure["dark"]).is_file()
    project.write("demo/no_figure.py", "raise RuntimeError('now failing')\n")
    project.run(selectors=["no_figure"])  # a partial run keeps the others' entries
    assert list(json.loads((project.generated / "figures.json").read_text())) == ["demo/two_figures"]
