"""The nn-notes plugin on a minimal project: build fails on a bad demo, serve shows the error."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a project or runs demos in subprocesses: not in `make check`

ROOT = Path(__file__).resolve().parents[1]


def configure(project: Path, *plugins: str, extensions: str = "", ours: str = "- nn-notes") -> None:
    """mkdocs.yml of the small project: these plugins (YAML list items), then ours (with its
    options, if any), last as in the real site."""
    items = "\n".join(textwrap.indent(textwrap.dedent(item).strip(), "  ") for item in [*plugins, ours])
    (project / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: plugin test
        exclude_docs: /generated/**/*.md
        markdown_extensions:
          - pymdownx.superfences
          - attr_list
          - md_in_html
          - pymdownx.snippets:
              base_path: [docs]
              check_paths: true
    """) + extensions + "plugins:\n" + items + "\n")


@pytest.fixture
def project(tmp_path):
    configure(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    return tmp_path


def page(project: Path, *embeds: str) -> None:
    body = "# Demo\n\n" + "\n\n".join(f'--8<-- "generated/t/{name}.md"' for name in embeds) + "\n"
    (project / "docs" / "index.md").write_text(body)


def load_plugin(project: Path, command: str = "serve"):
    """The plugin as MkDocs sets it up for `command`, and the config it has seen."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["nn-notes"]
    plugin.on_startup(command=command, dirty=False)
    return plugin, plugin.on_config(config)


@contextlib.contextmanager
def _records():
    """The messages logged while the block runs (serve reports outside MkDocs' logger)."""
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield seen
    finally:
        root.removeHandler(handler)


def ctrl_c_works() -> None:
    """In the child: SIGINT back to its default. A suite started in the background by a
    shell inherits SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def build(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NN_NOTES_CACHE", None), env.pop("NN_NOTES_RUN_DEMOS", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_build_shows_the_demo_output(project):
    (project / "snippets" / "t" / "good.py").write_text("print('output of the good demo')\n")
    page(project, "good")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "output of the good demo" in (project / "site" / "index.html").read_text()


def test_build_fails_on_a_failing_snippet_naming_file_line_and_page(project):
    (project / "snippets" / "t" / "bad.py").write_text("x = 1\ny = 2\nraise RuntimeError('planted')\n")
    page(project, "bad")
    result = build(project)
    assert result.returncode != 0
    assert "snippets/t/bad.py:3: RuntimeError: planted (embedded in docs/index.md)" in result.stderr


def test_build_fails_on_an_embed_without_a_snippet(project):
    page(project, "missing")
    result = build(project)
    assert result.returncode != 0
    assert "docs/index.md:3: embeds generated/t/missing.md, but there is no snippet snippets/t/missing.py" \
        in result.stderr


def test_an_embed_after_front_matter_is_named_by_its_line_in_the_file(project):
    (project / "docs" / "index.md").write_text(
        '---\ntitle: Demo\ndescription: one\n---\n\n# Demo\n\n--8<-- "generated/t/missing.md"\n')
    result = build(project)
    assert result.returncode != 0
    assert "docs/index.md:8: embeds generated/t/missing.md" in result.stderr, result.stderr


def test_invalid_front_matter_is_named_by_page_and_line(project):
    (project / "snippets" / "t" / "good.py").write_text("print('fine')\n")
    (project / "docs" / "index.md").write_text(
        '---\ntitle: Demo\ndescription: "an open quote\ntags: [a\n---\n\n# Demo\n\n--8<-- "generated/t/good.md"\n')
    result = build(project)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "front matter" in line]
    assert errors and errors[0].startswith("docs/index.md:") and "not valid YAML" in errors[0], result.stderr
    line = int(errors[0].split(":")[1])
    assert line in (3, 4, 5), errors[0]  # where the quote opens or where YAML notices it is unclosed
    assert "Traceback" not in result.stderr, result.stderr


def test_under_serve_bad_pages_are_logged_and_a_missing_demo_is_an_error_box(project):
    page(project, "missing")
    (project / "docs" / "other.md").write_text("---\ntitle: [unclosed\n---\n\n# Other\n")
    plugin, config = load_plugin(project)
    with _records() as records:
        plugin.on_pre_build(config=config)  # must not raise
    logged = "\n".join(records)
    assert "docs/index.md:3: embeds generated/t/missing.md" in logged, logged
    assert "docs/other.md:2: front matter is not valid YAML" in logged, logged

    class Page:
        class file:
            src_uri = "index.md"
            abs_src_path = str(project / "docs" / "index.md")
    markdown = plugin.on_page_markdown((project / "docs" / "index.md").read_text(), page=Page, config=config,
                                       files=None)
    assert '!!! failure "This demo is missing: `docs/index.md:3`"' in markdown, markdown
    assert "--8<--" not in markdown


def test_a_multi_line_error_stays_inside_its_error_box(project):
    (project / "snippets" / "t" / "bad.py").write_text("x = (1,\n")  # a SyntaxError spans lines
    page(project, "bad")
    plugin, config = load_plugin(project)
    plugin.on_pre_build(config=config)
    fragment = (project / "docs" / "generated" / "t" / "bad.md").read_text()
    box = fragment.split("\n")
    assert box[0].startswith('!!! failure "This demo failed:'), fragment
    body = [line for line in box[1:] if line.strip()]
    assert body and all(line.startswith("    ") for line in body), fragment  # nothing escapes the box
    assert "SyntaxError" in fragment, fragment


def test_under_serve_a_failure_is_shown_on_the_page_and_does_not_raise(project):
    (project / "snippets" / "t" / "bad.py").write_text("raise KeyError('shown on the page')\n")
    page(project, "bad")
    plugin, config = load_plugin(project)
    plugin.on_pre_build(config=config)  # must not raise
    fragment = (project / "docs" / "generated" / "t" / "bad.md").read_text()
    assert '!!! failure "This demo failed: `snippets/t/bad.py:1`"' in fragment
    assert "KeyError: 'shown on the page'" in fragment
    plugin.on_startup(command="build", dirty=False)
    with pytest.raises(Exception, match=r"snippets/t/bad.py:1: KeyError"):
        plugin.on_pre_build(config=config)


def test_under_serve_a_hanging_demo_is_cut_off_at_the_serve_timeout(project, monkeypatch):
    (project / "snippets" / "t" / "hangs.py").write_text("while True:\n    pass\n")
    page(project, "hangs")
    monkeypatch.delenv("NN_NOTES_CACHE", raising=False)
    configure(project, ours="- nn-notes:\n    serve_timeout: 2")
    plugin, config = load_plugin(project)
    started = time.monotonic()
    plugin.on_pre_build(config=config)
    assert time.monotonic() - started < 60  # the build default is 120 s
    fragment = (project / "docs" / "generated" / "t" / "hangs.md").read_text()
    assert "timed out after 2 s" in fragment, fragment


def test_under_serve_a_demo_edit_rebuilds_once_and_shows_the_new_output(project):
    configure(project, """
        - mkdocs-jupyter:
            include: ["generated/pages/*.ipynb"]
    """)
    (project / "snippets" / "t" / "good.py").write_text("print('first output')\n")
    page(project, "good")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NN_NOTES_CACHE", None), env.pop("NN_NOTES_RUN_DEMOS", None)
    log = project / "serve.log"
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                             env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), preexec_fn=ctrl_c_works)

    def wait_for(text: str, count: int) -> None:
        deadline = time.monotonic() + 120
        while log.read_text().count(text) < count:
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

    try:
        wait_for("Serving on", 1)
        (project / "snippets" / "t" / "good.py").write_text("print('second output')\n")
        wait_for("Reloading browsers", 1)
        time.sleep(3)  # a second rebuild, set off by the runner's own writes, would start here
        assert log.read_text().count("Building documentation") == 2, log.read_text()  # start + the edit
        page_html = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "second output" in page_html
        assert "Converting notebook" not in log.read_text()  # mkdocs-jupyter's INFO lines need --verbose
        (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text() + "\nMore prose.\n")
        wait_for("Reloading browsers", 2)  # an edit of a page is still seen
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(30)


def test_demos_stay_on_the_page_but_out_of_the_search_index(project):
    configure(project, "- search")
    (project / "snippets" / "t" / "good.py").write_text("print('zebra_output_marker')\n")
    page(project, "good")
    (project / "docs" / "index.md").write_text(
        (project / "docs" / "index.md").read_text() + "\nProse about giraffe_prose_marker.\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "index.html").read_text()
    index = (project / "site" / "search" / "search_index.json").read_text()
    assert "zebra_output_marker" in html and "data-search-exclude" not in html
    assert "giraffe_prose_marker" in index
    assert "zebra_output_marker" not in index


def test_notebook_pages_are_prerendered_into_the_plugins_cache(project):
    """The build must find every per-page notebook in mkdocs-jupyter's cache (rendered in
    parallel by nn-notes), and the page must be what mkdocs-jupyter renders by itself."""
    configure(project, """
        - mkdocs-jupyter:
            include: ["generated/pages/*/*.ipynb"]
            no_prompt: true
    """)
    config = (project / "mkdocs.yml").read_text()
    for name in ("one", "two"):
        (project / "snippets" / "t" / f"{name}.py").write_text(f"print('notebook {name}')\n")
        (project / "docs" / "topic").mkdir(exist_ok=True)
        (project / "docs" / "topic" / f"{name}.md").write_text(f'# {name}\n\n--8<-- "generated/t/{name}.md"\n')
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NN_NOTES_CACHE", None), env.pop("NN_NOTES_RUN_DEMOS", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "rendered 2 alongside the demos into mkdocs-jupyter's cache" in result.stderr
    assert result.stderr.count("Cache hit:") == 2 and "Cache miss" not in result.stderr
    cache = project / ".cache" / "mkdocs-jupyter"
    ours = {json.loads(path.read_text())["content"] for path in cache.glob("*.json")}
    assert len(ours) == 2 and any("notebook one" in content for content in ours)
    shutil.rmtree(cache)  # now the plugin renders them itself
    (project / "mkdocs.yml").write_text(config.replace("  - nn-notes\n", ""))  # mkdocs-jupyter alone
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert {json.loads(path.read_text())["content"] for path in cache.glob("*.json")} == ours


def test_build_fails_on_math_katex_cannot_render_naming_page_and_line(project):
    katex = Path(__file__).resolve().parents[1] / "docs" / "assets" / "vendor" / "katex"
    vendor = project / "docs" / "assets" / "vendor" / "katex"
    vendor.mkdir(parents=True)
    for name in ("katex.min.js", "katex.min.css"):
        shutil.copy(katex / name, vendor / name)
    configure(project, extensions="  - pymdownx.arithmatex:\n      generic: true\n")
    (project / "docs" / "index.md").write_text("# Math\n\nFine: \\(x^2\\).\n\nBroken: \\(\\frac{1}{\\).\n")
    result = build(project)
    assert result.returncode != 0, result.stderr
    assert "docs/index.md:5: the math `\\frac{1}{` does not render: KaTeX parse error" in result.stderr, result.stderr
    (project / "docs" / "index.md").write_text("# Math\n\nFine: \\(x^2\\).\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert 'class="katex"' in (project / "site" / "index.html").read_text()


def marked_processes(marker: str) -> list[int]:
    """Processes whose environment carries `marker`: the build and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_a_killed_build_leaves_no_process_behind(project, sig):
    """Killed while a demo runs and notebooks are being pre-rendered: the fork server, the
    demo, what the demo started and the pre-render workers must all end with the build,
    and Ctrl-C ends it without an exception from the interpreter's teardown."""
    configure(project, """
        - mkdocs-jupyter:
            include: ["generated/pages/*/*.ipynb"]
    """)
    (project / "docs" / "topic").mkdir()
    for name in ("one", "two"):
        (project / "snippets" / "t" / f"{name}.py").write_text(f"print('notebook {name}')\n")
        (project / "docs" / "topic" / f"{name}.md").write_text(f'# {name}\n\n--8<-- "generated/t/{name}.md"\n')
    (project / "snippets" / "t" / "slow.py").write_text(
        "import subprocess, time\nsubprocess.Popen(['setsid', 'sleep', '603'])\ntime.sleep(120)\n")
    page(project, "slow")
    marker = f"NN_NOTES_TEST_MARKER={uuid.uuid4().hex}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NN_NOTES_TEST_MARKER": marker.split("=")[1]}
    env.pop("NN_NOTES_CACHE", None), env.pop("NN_NOTES_RUN_DEMOS", None)
    errors = project / "stderr.txt"
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=errors.open("w"), preexec_fn=ctrl_c_works)
    try:
        deadline = time.monotonic() + 120
        notebooks = project / "docs" / "generated" / "pages" / "topic"
        while not (len(list(notebooks.glob("*.ipynb"))) == 2 and len(marked_processes(marker)) >= 5):
            assert time.monotonic() < deadline, "the build never reached its demos and notebooks"
            time.sleep(0.2)
        time.sleep(1)  # the pre-render workers have picked up their notebooks
        build.send_signal(sig)
        build.wait(30)
        deadline = time.monotonic() + 15
        while marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = marked_processes(marker)
        assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left if Path(f"/proc/{pid}").exists()]
        assert "Exception ignored" not in errors.read_text() and "Traceback" not in errors.read_text(), \
            errors.read_text()
    finally:
        for pid in marked_processes(marker):
            os.kill(pid, signal.SIGKILL)
