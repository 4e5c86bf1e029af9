"""Build-time benchmark: our runner against a plain build, markdown-exec and mkdocs-jupyter.

    python scripts/bench.py [--repeat N] [--cold-repeat N] [--markdown-exec-repeat N]
                            [--jupyter-repeat N] [--edit-snippet NAME] [--skip VARIANT ...]
                            [--competitor-threads N|default] [--check] [--keep]

Works on a copy of the project in a temporary folder (the working tree's docs/generated and
caches are never touched) and measures, in one run on the same machine:

- ours, cold: `mkdocs build --strict` from empty caches (runner's, pages' and mkdocs-jupyter's);
- ours, warm: the same build again, nothing changed (pages come from the page cache);
- ours, edit: one snippet edited (a comment appended), so the runner re-runs that one only
  and only the page that embeds it is converted from Markdown again;
- plain: runner disabled (NN_NOTES_RUN_DEMOS=false), its outputs already in place, and every
  page converted from Markdown (NN_NOTES_PAGE_CACHE=false): what a cold build must do besides
  running the demos. And, to show what a cold build pays besides the snippets, the same with
  mkdocs-jupyter's cache emptied ("plain, cold notebook cache": it renders our notebooks);
- markdown-exec: the same pages with every embed replaced by `exec="on"` python blocks made
  from the snippet's cells (plus a block per cell that prints each open figure as SVG HTML);
- mkdocs-jupyter: the same snippets as notebooks, built with `execute: true` from an empty
  mkdocs-jupyter cache (pages link to them where they embedded the demo);
- the limit: plain + (the snippets' own CPU seconds from the runner's report) / cores.

The comparison trees use the real site's config (theme, extensions, nav, our plugin
with the runner disabled) and each snippet gets what our runner gives it from outside: seeds, one
torch thread, torch's default dtype (see setup_code). Each build's own CPU seconds and the
CPU the rest of this shared machine used meanwhile are recorded too: the table shows them,
and a "CPU view" splits a cold build's CPU into plain, snippets, notebook rendering and the
rest, which others' load cannot distort.

Variants are interleaved round by round, so a burst of load from someone else on this
shared machine lands on several variants rather than on one. Each figure is the median of
its runs. Ratios, not absolute seconds, are what to compare. Prints a table and the ratios
against the targets of issue 9, and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nn_notes.content import EMBED, project_root
from nn_notes.runner.render import fence
from nn_notes.runner.snippets import split_cells

SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "generated", "__pycache__", ".pytest_cache", ".ruff_cache",
                              "bench")
VARIANTS = ("cold", "warm", "plain", "plain_cold", "edit", "markdown_exec", "mkdocs_jupyter")
# name: (comparison, target). Ratios of medians; see summarize().
TARGETS = {
    "warm_over_plain": ("<=", 1.15),
    "cold_over_limit": ("<=", 1.3),
    "edit_over_plain_plus_snippet": (None, None),  # reported, no target in the issue
    "cold_speedup_vs_markdown_exec": (">=", 1.5),
    "warm_speedup_vs_markdown_exec": (">=", 10.0),
    "cold_speedup_vs_mkdocs_jupyter": (">=", 3.0),
}
FIGURE_CLASS = "nn-bench-figure"  # marks figures emitted by the markdown-exec blocks
UNEMBEDDED_PAGE = "bench-unembedded.md"
# Competitors build with our plugin but neither our runner nor our page cache (markdown-exec
# runs its blocks while a page converts: a cached page would skip them).
COMPETITOR_PLUGIN = {"nn-notes": {"run_demos": False, "page_cache": False}}
NOTEBOOKS = "notebooks"  # folder of the mkdocs-jupyter tree's generated notebooks


# --- pure helpers: what the comparison trees contain, and the arithmetic (tests/test_bench.py)


def setup_code(threads: int | None = 1) -> str:
    """Code the other tools run before each snippet: what our runner does from outside.

    Seeds, torch's default dtype (two snippets change it: in markdown-exec's single process
    the change would leak into every later snippet and break its asserts; our runner gives
    each snippet a fresh process) and, unless threads is None (--competitor-threads default),
    one torch thread, as each of our workers has. One thread spares the other tools OpenMP's
    spin-waiting too: in one process on this shared 2-core machine, a training-loop snippet
    took 147 s with torch's default 2 threads and 5.8 s with 1.
    """
    return (
        "import random as _bench_random, numpy as _bench_numpy, torch as _bench_torch\n"
        "import matplotlib.pyplot as _bench_plt\n"
        + (f"_bench_torch.set_num_threads({threads})\n" if threads else "")
        + "_bench_torch.set_default_dtype(_bench_torch.float32)\n"
        "_bench_random.seed(0); _bench_numpy.random.seed(0); _bench_torch.manual_seed(0)\n"
        '_bench_plt.close("all")\n'
    )


# Run after each cell in markdown-exec (html="1"): every open figure as inline SVG, then closed.
FIGURES_CODE = (
    "import html as _bench_html, io as _bench_io\n"
    "import matplotlib.pyplot as _bench_plt\n"
    "for _bench_number in _bench_plt.get_fignums():\n"
    "    _bench_figure = _bench_plt.figure(_bench_number)\n"
    "    _bench_buffer = _bench_io.StringIO()\n"
    '    _bench_figure.savefig(_bench_buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")\n'
    '    _bench_svg = _bench_buffer.getvalue()\n'
    '    _bench_svg = _bench_svg[_bench_svg.index("<svg"):]\n'
    '    _bench_alt = _bench_html.escape(_bench_figure.get_label() or "", quote=True)\n'
    f'    print(f\'<figure class="{FIGURE_CLASS}" role="img" aria-label="{{_bench_alt}}">{{_bench_svg}}</figure>\')\n'
    '_bench_plt.close("all")\n'
)


def _block(code: str, options: str) -> str:
    marks = fence(code)
    return f"{marks}python {options}\n{code.rstrip()}\n{marks}\n"


def markdown_exec_blocks(name: str, rel: str, source: str, threads: int | None = 1) -> str:
    """Markdown that makes markdown-exec do what our runner does for one snippet.

    A hidden block seeds random, numpy and torch (as the runner does before each snippet);
    then per cell a block that shows the source and runs it with its stdout as text, and a
    hidden block that prints every open matplotlib figure as inline SVG HTML and closes it
    (the runner captures each open figure at the end of each cell). One session per snippet,
    so cells share their globals as they do in our runner.
    """
    session = f'session="{name}"'
    parts = [_block(setup_code(threads), f'exec="on" {session}')]
    for number, cell in enumerate(split_cells(source)):
        title = rel if number == 0 else (cell.title or f"{rel} (continued)")
        title = title.replace('"', "'")
        parts.append(_block(cell.source, f'exec="on" {session} source="above" result="text" title="{title}"'))
        parts.append(_block(FIGURES_CODE, f'exec="on" {session} html="1"'))
    return "\n".join(parts)


def notebook_from_snippet(name: str, rel: str, source: str, threads: int | None = 1) -> bytes:
    """The snippet as an unexecuted notebook: a setup cell (SVG figures, seeds), then its cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    intro = nbformat.v4.new_markdown_cell(f"# {name.rsplit('/', 1)[-1].replace('_', ' ')}\n\nSource: `{rel}`")
    intro.id = "intro"
    setup = nbformat.v4.new_code_cell('%config InlineBackend.figure_formats = ["svg"]\n' + setup_code(threads).rstrip("\n"))
    setup.id = "setup"
    nb.cells += [intro, setup]
    for number, cell in enumerate(split_cells(source), start=1):
        code = nbformat.v4.new_code_cell(cell.source.rstrip("\n"))
        code.id = f"cell-{number}"
        nb.cells.append(code)
    nbformat.validate(nb)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def replace_embeds(text: str, replacement: Callable[[str], str]) -> tuple[str, list[str]]:
    """Each `--8<-- "generated/<name>.md"` line -> replacement(name), indented like the line."""
    out, names = [], []
    for line in text.splitlines(keepends=True):
        embed = EMBED.match(line)
        if not embed:
            out.append(line)
            continue
        names.append(embed["name"])
        indent = line[: len(line) - len(line.lstrip())]
        body = replacement(embed["name"])
        out.append("".join(indent + part if part.strip() else part for part in body.splitlines(keepends=True)))
        if not out[-1].endswith("\n"):
            out[-1] += "\n"
    return "".join(out), names


def cpu_seconds_from_report(report: dict) -> float:
    """Sum of every snippet's own CPU seconds in a runner report (.cache/snippets/report.json)."""
    return sum(entry.get("cpu_seconds") or 0.0 for entry in report["snippets"])


def ran_snippet_cpu_seconds(report: dict) -> float:
    """CPU seconds of the snippets that really ran in this build (an edit build: the edited one)."""
    return sum(entry.get("cpu_seconds") or 0.0 for entry in report["snippets"] if entry["status"] == "ran")


def median_cpu_snippet(report: dict) -> str:
    """The snippet whose CPU time is the median of the report's: a typical one to edit."""
    entries = sorted(report["snippets"], key=lambda e: (e.get("cpu_seconds") or 0.0, e["path"]))
    return entries[(len(entries) - 1) // 2]["path"]


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def summarize(runs: dict[str, list[float]], snippets_cpu: list[float], edit_snippet_cpu: list[float],
              cores: int, cpu: dict[str, list[float]] | None = None,
              others: dict[str, list[float]] | None = None) -> dict:
    """The results: the six ratios of issue 9, then the median seconds they come from, then every run.

    runs holds the wall seconds of each build per variant (VARIANTS); a variant not measured
    has an empty list and its ratios are None. cpu and others, when given, hold each build's
    own CPU seconds and the CPU seconds the rest of the machine used meanwhile.
    """
    med = {v: (statistics.median(runs[v]) if runs.get(v) else None) for v in VARIANTS}
    work = statistics.median(snippets_cpu) if snippets_cpu else None
    edit_cpu = statistics.median(edit_snippet_cpu) if edit_snippet_cpu else None
    plain = med["plain"]
    limit = plain + work / cores if plain is not None and work is not None else None
    plain_plus_snippet = plain + edit_cpu if plain is not None and edit_cpu is not None else None
    results = {
        "warm_over_plain": _ratio(med["warm"], plain),
        "cold_over_limit": _ratio(med["cold"], limit),
        "edit_over_plain_plus_snippet": _ratio(med["edit"], plain_plus_snippet),
        "cold_speedup_vs_markdown_exec": _ratio(med["markdown_exec"], med["cold"]),
        "warm_speedup_vs_markdown_exec": _ratio(med["markdown_exec"], med["warm"]),
        "cold_speedup_vs_mkdocs_jupyter": _ratio(med["mkdocs_jupyter"], med["cold"]),
    }
    seconds = {f"{v}_seconds": med[v] for v in VARIANTS}
    seconds.update({"snippets_cpu_seconds": work, "limit_seconds": limit,
                    "edited_snippet_cpu_seconds": edit_cpu, "plain_plus_snippet_seconds": plain_plus_snippet})
    results.update({k: (round(v, 3) if v is not None else None) for k, v in seconds.items()})
    results["runs_seconds"] = {v: [round(s, 3) for s in runs.get(v, [])] for v in VARIANTS}
    for key, values in (("runs_cpu_seconds", cpu), ("runs_others_cpu_seconds", others)):
        if values is not None:
            results[key] = {v: [round(s, 3) for s in values.get(v, [])] for v in VARIANTS}
    return results


def check_targets(results: dict) -> list[tuple[str, float | None, str | None, float | None, bool | None]]:
    """(key, value, comparison, target, met) for each ratio; met is None without a target or value."""
    rows = []
    for key, (comparison, target) in TARGETS.items():
        value = results.get(key)
        met = None
        if comparison and value is not None:
            met = value <= target if comparison == "<=" else value >= target
        rows.append((key, value, comparison, target, met))
    return rows


def ceilings(results: dict) -> dict[str, float | None]:
    """The best each cold speedup could be on this content: ours exactly at the limit.

    A cold build converts every page and runs every snippet, so a target above its ceiling
    cannot be met without making the plain build or the snippets' own work cheaper. (Warm
    builds have no such ceiling: the page cache makes them cheaper than plain.)
    """
    return {
        "cold_speedup_vs_markdown_exec": _ratio(results.get("markdown_exec_seconds"), results.get("limit_seconds")),
        "cold_speedup_vs_mkdocs_jupyter": _ratio(results.get("mkdocs_jupyter_seconds"), results.get("limit_seconds")),
    }


def others_share(results: dict, variant: str, cores: int) -> float | None:
    """Median share of the machine's CPU that others used during this variant's builds."""
    walls = results["runs_seconds"].get(variant, [])
    others = results.get("runs_others_cpu_seconds", {}).get(variant, [])
    shares = [o / (w * cores) for o, w in zip(others, walls) if w]
    return statistics.median(shares) if shares else None


def cpu_view(results: dict) -> str | None:
    """Where a cold build's own CPU seconds go; unlike wall time, immune to others' load."""
    own = results.get("runs_cpu_seconds", {})
    if not all(own.get(v) for v in ("cold", "plain", "plain_cold")) or results.get("snippets_cpu_seconds") is None:
        return None
    cold, plain, plain_cold = (statistics.median(own[v]) for v in ("cold", "plain", "plain_cold"))
    snippets = results["snippets_cpu_seconds"]
    notebooks = plain_cold - plain
    rest = cold - plain - snippets - notebooks
    return (f"CPU view of a cold build (immune to others' load): {cold:.1f} CPU-s = plain {plain:.1f} + snippets "
            f"{snippets:.1f} + mkdocs-jupyter re-rendering the generated notebooks {notebooks:.1f} + the rest "
            f"{rest:.1f} (fork server start-up importing torch, per-snippet fork and publishing)")


def report_text(results: dict, notes: list[str], cores: int = 1) -> str:
    """The table of median seconds, then the ratios with targets."""
    labels = {
        "plain_seconds": "plain (runner off, outputs in place)",
        "plain_cold_seconds": "plain, mkdocs-jupyter cache emptied",
        "warm_seconds": "ours, warm (nothing changed)",
        "edit_seconds": "ours, one snippet edited",
        "cold_seconds": "ours, cold (empty caches)",
        "limit_seconds": "limit: plain + snippets' CPU / cores",
        "snippets_cpu_seconds": "snippets' own CPU, summed",
        "edited_snippet_cpu_seconds": "edited snippet's own CPU",
        "markdown_exec_seconds": "markdown-exec (executes every build)",
        "mkdocs_jupyter_seconds": "mkdocs-jupyter, execute: true, cold",
    }
    lines = [f"{'build':<40} {'median s':>9} {'own CPU s':>9} {'others':>6}  runs (s)"]
    runs = results["runs_seconds"]
    own = results.get("runs_cpu_seconds", {})
    for key, label in labels.items():
        value = results.get(key)
        shown = f"{value:9.2f}" if value is not None else f"{'-':>9}"
        variant = key.removesuffix("_seconds")
        cpu = f"{statistics.median(own[variant]):9.2f}" if own.get(variant) else " " * 9
        share = others_share(results, variant, cores)
        share = f"{share:6.0%}" if share is not None else " " * 6
        each = ", ".join(f"{s:.2f}" for s in runs.get(variant, []))
        lines.append(f"{label:<40} {shown} {cpu} {share}  {each}")
    lines.append("")
    lines.append(f"{'ratio':<32} {'value':>7}  {'target':<8} result")
    for key, value, comparison, target, met in check_targets(results):
        shown = f"{value:7.3f}" if value is not None else f"{'-':>7}"
        goal = f"{comparison} {target:g}" if comparison else "(none)"
        verdict = "-" if met is None else ("met" if met else "MISSED")
        lines.append(f"{key:<32} {shown}  {goal:<8} {verdict}")
    best = ", ".join(f"{key} {value:.2f}" for key, value in ceilings(results).items() if value is not None)
    if best:
        lines.append(f"ceiling (ours exactly at the limit): {best}")
    view = cpu_view(results)
    if view:
        lines.append(view)
    lines += [f"note: {note}" for note in notes]
    return "\n".join(lines)


# --- the comparison trees


def _site_config(project: Path) -> dict:
    """The real site's mkdocs.yml, read with MkDocs' own YAML loader (it knows !ENV and friends)."""
    from mkdocs.utils.yaml import yaml_load

    with open(project / "mkdocs.yml", encoding="utf-8") as handle:
        return yaml_load(handle)


def _plugins(project: Path) -> list:
    return list(_site_config(project).get("plugins", []))


def _plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def comparison_config(project: Path, tree: Path, plugins: list) -> None:
    """tree/mkdocs.yml: the real site's config (INHERIT) with these plugins.

    JSON is YAML, so the file is written with json. The real theme, Markdown extensions and
    nav stay, and so does our plugin's question bank and page tweaks (without its runner and
    page cache, and it finds no embed left), so the only difference from our build is who
    executes the demos.
    """
    plugins = [p for p in plugins if _plugin_name(p) != "nn-notes"] + [COMPETITOR_PLUGIN]
    config = {
        "INHERIT": os.path.relpath(project / "mkdocs.yml", tree),
        "strict": False,
        "plugins": plugins,
    }
    (tree / "mkdocs.yml").write_text(json.dumps(config, indent=1) + "\n")
    # The rest of the project as links (theme overrides, files the plugin reads at the root).
    for entry in sorted(project.iterdir()):
        if entry.name not in {"docs", "mkdocs.yml", "site", ".cache"} and not (tree / entry.name).exists():
            (tree / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())


def _copy_docs(project: Path, tree: Path) -> Path:
    docs = tree / "docs"
    shutil.copytree(project / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    return docs


def _snippet_sources(project: Path) -> dict[str, tuple[str, str]]:
    """name -> (rel, source) for every snippet the runner would run."""
    from nn_notes.runner.snippets import discover

    return {s.name: (s.rel, s.path.read_text(encoding="utf-8")) for s in discover(project)}


def make_markdown_exec_tree(project: Path, tree: Path, threads: int | None = 1) -> int:
    """The real pages, each embed replaced by markdown-exec blocks; returns the snippet count."""
    docs = _copy_docs(project, tree)
    snippets = _snippet_sources(project)
    done: set[str] = set()

    def blocks(name: str) -> str:
        if name not in snippets:
            return f"*(no snippet {name})*\n"
        if name in done:  # executed once, where first embedded (as our runner runs it once)
            return f"*(demo `{name}` is shown on another page)*\n"
        done.add(name)
        return markdown_exec_blocks(name, *snippets[name], threads=threads)

    for page in sorted(docs.rglob("*.md")):
        text, names = replace_embeds(page.read_text(encoding="utf-8"), blocks)
        if names:
            page.write_text(text, encoding="utf-8")
    rest = [name for name in snippets if name not in done]
    if rest:
        body = "# Demos embedded in no page\n\n" + "\n".join(f"## {n}\n\n{blocks(n)}" for n in rest)
        (docs / UNEMBEDDED_PAGE).write_text(body, encoding="utf-8")
    plugins = [p for p in _plugins(project) if _plugin_name(p) != "mkdocs-jupyter"] + ["markdown-exec"]
    comparison_config(project, tree, plugins)
    return len(snippets)


def make_mkdocs_jupyter_tree(project: Path, tree: Path, threads: int | None = 1) -> int:
    """The real pages linking to one executed notebook per snippet; returns the snippet count."""
    docs = _copy_docs(project, tree)
    snippets = _snippet_sources(project)
    for name, (rel, source) in snippets.items():
        target = docs / NOTEBOOKS / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(notebook_from_snippet(name, rel, source, threads=threads))

    def link(name: str) -> str:
        return f"[:material-notebook-outline: run `{name}` as a notebook](/{NOTEBOOKS}/{name}.ipynb)\n"

    for page in sorted(docs.rglob("*.md")):
        text, names = replace_embeds(page.read_text(encoding="utf-8"), link)
        if names:
            page.write_text(text, encoding="utf-8")
    plugins = []
    for entry in _plugins(project):
        if _plugin_name(entry) == "mkdocs-jupyter":
            options = dict(entry["mkdocs-jupyter"] or {}) if isinstance(entry, dict) else {}
            options.update({"include": [f"{NOTEBOOKS}/**/*.ipynb"], "execute": True, "allow_errors": False,
                            "cache": True, "cache_dir": str(tree / ".cache" / "mkdocs-jupyter")})
            entry = {"mkdocs-jupyter": options}
        plugins.append(entry)
    if "mkdocs-jupyter" not in map(_plugin_name, plugins):
        plugins.append({"mkdocs-jupyter": {"include": [f"{NOTEBOOKS}/**/*.ipynb"], "execute": True,
                                           "allow_errors": False,
                                           "cache_dir": str(tree / ".cache" / "mkdocs-jupyter")}})
    comparison_config(project, tree, plugins)
    return len(snippets)


# --- running builds


class BuildFailed(SystemExit):
    pass


def become_subreaper() -> bool:
    """Make orphaned descendants our children (Linux), so that their CPU time is counted.

    The runner's fork server outlives the mkdocs process by a moment; without this it would
    be reparented to init and its snippets' CPU time lost to the accounting.
    """
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_orphans(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)


def machine_busy_seconds() -> float:
    """CPU seconds all cores have been busy since boot, everyone's work together (/proc/stat)."""
    try:
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    except (OSError, ValueError):
        return 0.0
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Build:
    seconds: float  # wall
    cpu: float  # CPU seconds of the build's own processes (mkdocs, fork server, snippets, kernels)
    others: float  # CPU seconds the rest of this shared machine used meanwhile
    log: str


def mkdocs_build(cwd: Path, site: Path, env_extra: dict[str, str], strict: bool) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env_extra}
    for name in ("NN_NOTES_RUN_DEMOS", "NN_NOTES_PAGE_CACHE"):
        if name not in env_extra:
            env.pop(name, None)
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
    if strict:
        command.append("--strict")
    cpu, busy = children_cpu_seconds(), machine_busy_seconds()
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    reap_orphans()
    cpu = children_cpu_seconds() - cpu
    others = max(0.0, machine_busy_seconds() - busy - cpu)
    if result.returncode:
        problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO")]
        raise BuildFailed(f"build in {cwd} failed:\n" + "\n".join(problems[-60:]))
    return Build(seconds, cpu, others, result.stderr)


class Bench:
    def __init__(self, tmp: Path, strict: bool):
        self.tmp = tmp
        self.project = tmp / "project"
        self.cache = tmp / "runner-cache"
        self.strict = strict
        self.runs: dict[str, list[float]] = {v: [] for v in VARIANTS}
        self.cpu: dict[str, list[float]] = {v: [] for v in VARIANTS}
        self.others: dict[str, list[float]] = {v: [] for v in VARIANTS}
        self.snippets_cpu: list[float] = []
        self.edit_cpu: list[float] = []
        self.notes: list[str] = []
        self.edit_target: Path | None = None
        self.edit_original = ""
        self.md_exec_failures = 0

    def record(self, variant: str, build: Build) -> Build:
        self.runs[variant].append(build.seconds)
        self.cpu[variant].append(build.cpu)
        self.others[variant].append(build.others)
        return build

    def ours(self, plain: bool = False) -> Build:
        extra = {"NN_NOTES_CACHE": str(self.cache)}
        if plain:
            extra.update(NN_NOTES_RUN_DEMOS="false", NN_NOTES_PAGE_CACHE="false")
        return mkdocs_build(self.project, self.tmp / "site-ours", extra, self.strict)

    def report(self) -> dict:
        return json.loads((self.cache / "report.json").read_text())

    def cold(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.project / ".cache", ignore_errors=True)  # mkdocs-jupyter's cache too
        shutil.rmtree(self.project / "docs" / "generated", ignore_errors=True)
        self.record("cold", self.ours())
        report = self.report()
        failed = [e["path"] for e in report["snippets"] if e["status"] != "ran"]
        if failed:
            raise BuildFailed(f"cold build did not run every snippet: {failed}")
        self.snippets_cpu.append(cpu_seconds_from_report(report))

    def warm(self) -> None:
        self.record("warm", self.ours())
        ran = [e["path"] for e in self.report()["snippets"] if e["status"] == "ran"]
        if ran:
            raise BuildFailed(f"a warm build re-ran snippets: {ran}")

    def plain(self) -> None:
        self.record("plain", self.ours(plain=True))

    def plain_cold(self) -> None:
        # Only the notebooks' cache: the page caches stay as the cold build left them, so the
        # warm build after this one is still warm.
        shutil.rmtree(self.project / ".cache" / "mkdocs-jupyter", ignore_errors=True)
        self.record("plain_cold", self.ours(plain=True))

    def choose_edit(self, name: str | None) -> None:
        if name:
            matches = sorted(p for p in (self.project / "snippets").rglob("*.py") if name in p.relative_to(self.project).as_posix())
            if not matches:
                sys.exit(f"--edit-snippet {name}: no snippet matches")
            self.edit_target = matches[0]
        else:
            self.edit_target = self.project / median_cpu_snippet(self.report())
        self.edit_original = self.edit_target.read_text(encoding="utf-8")

    def edit(self, number: int) -> None:
        assert self.edit_target is not None
        self.edit_target.write_text(self.edit_original + f"\n# benchmark edit {number}\n", encoding="utf-8")
        try:
            self.record("edit", self.ours())
            report = self.report()
            ran = [e["path"] for e in report["snippets"] if e["status"] == "ran"]
            if len(ran) != 1:
                raise BuildFailed(f"an edit build ran {ran}, not just the edited snippet")
            self.edit_cpu.append(ran_snippet_cpu_seconds(report))
        finally:
            self.edit_target.write_text(self.edit_original, encoding="utf-8")
        self.ours()  # untimed: publish the original's outputs again (a cache hit), so warm stays warm

    def markdown_exec(self) -> None:
        tree = self.tmp / "markdown-exec"
        build = self.record("markdown_exec", mkdocs_build(
            tree, tree / "site", {"MPLBACKEND": "Agg"}, strict=False))
        failures = build.log.count("Execution of python code block")
        self.md_exec_failures = max(self.md_exec_failures, failures)

    def mkdocs_jupyter(self) -> None:
        tree = self.tmp / "mkdocs-jupyter"
        shutil.rmtree(tree / ".cache", ignore_errors=True)  # cold: it caches executed notebooks
        self.record("mkdocs_jupyter", mkdocs_build(tree, tree / "site", {}, strict=False))


def count_figures(site: Path, needle: str) -> int:
    return sum(page.read_text(encoding="utf-8", errors="replace").count(needle) for page in site.rglob("*.html"))


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of warm, plain and edit (default 5)")
    parser.add_argument("--cold-repeat", type=int, default=3,
                        help="cold builds of ours, and plain builds with mkdocs-jupyter's cache emptied (default 3)")
    parser.add_argument("--markdown-exec-repeat", type=int, default=2, help="markdown-exec builds (default 2)")
    parser.add_argument("--jupyter-repeat", type=int, default=1, help="mkdocs-jupyter cold builds (default 1)")
    parser.add_argument("--edit-snippet", metavar="NAME", help="snippet to edit (default: the median by CPU time)")
    parser.add_argument("--competitor-threads", default="1", metavar="N|default",
                        help="torch threads in markdown-exec and the notebooks: 1 like our runner's workers "
                             "(default), or 'default' for torch's own choice")
    parser.add_argument("--skip", nargs="*", default=[], choices=["markdown_exec", "mkdocs_jupyter"],
                        help="leave out a comparison (its ratios are then null)")
    parser.add_argument("--no-strict", action="store_true",
                        help="build our site without --strict (only while someone's unfinished page breaks it)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    parser.add_argument("--output", type=Path, default=None, help=argparse.SUPPRESS)  # bench/results.json
    args = parser.parse_args(argv)
    root = project_root()
    args.output = args.output or root / "bench" / "results.json"
    if min(args.repeat, args.cold_repeat) < 1:
        parser.error("--repeat and --cold-repeat must be at least 1")
    threads = None if args.competitor_threads == "default" else int(args.competitor_threads)

    tmp = Path(tempfile.mkdtemp(prefix="nn-notes-bench-"))
    become_subreaper()
    load_before = os.getloadavg()
    started = time.perf_counter()
    try:
        bench = Bench(tmp, strict=not args.no_strict)
        shutil.copytree(root, bench.project, ignore=SKIP)
        counts = {}
        if "markdown_exec" not in args.skip and args.markdown_exec_repeat > 0:
            counts["markdown-exec"] = make_markdown_exec_tree(bench.project, tmp / "markdown-exec", threads)
        if "mkdocs_jupyter" not in args.skip and args.jupyter_repeat > 0:
            counts["mkdocs-jupyter"] = make_mkdocs_jupyter_tree(bench.project, tmp / "mkdocs-jupyter", threads)
        rounds = max(args.repeat, args.cold_repeat, args.markdown_exec_repeat, args.jupyter_repeat)
        for number in range(rounds):
            print(f"round {number + 1}/{rounds} ...", file=sys.stderr, flush=True)
            if number < args.cold_repeat:
                bench.cold()
                bench.plain_cold()
            if number == 0:
                bench.choose_edit(args.edit_snippet)
            if number < args.repeat:
                bench.warm()
                bench.plain()
                bench.edit(number)
            if number < args.markdown_exec_repeat and "markdown_exec" not in args.skip:
                bench.markdown_exec()
            if number < args.jupyter_repeat and "mkdocs_jupyter" not in args.skip:
                bench.mkdocs_jupyter()
        ours_figures = len(list((bench.project / "docs" / "generated").rglob("*.light.svg")))
        figures = [f"ours {ours_figures} (each light + dark)"]
        if bench.runs["markdown_exec"]:
            found = count_figures(tmp / "markdown-exec" / "site", f'<figure class="{FIGURE_CLASS}"')
            figures.append(f"markdown-exec {found}")
        if bench.runs["mkdocs_jupyter"]:
            found = count_figures(tmp / "mkdocs-jupyter" / "site", '<div class="jp-RenderedSVG')
            figures.append(f"mkdocs-jupyter {found}")
        notes = [
            f"{len(bench.report()['snippets'])} snippets; edited: {bench.edit_target.relative_to(bench.project).as_posix()}; "
            f"{cores()} cores; comparison trees built: {counts or 'none'}",
            "figures in the built sites: " + ", ".join(figures),
            f"'own CPU s': CPU of the build's processes (mkdocs, fork server, snippets, kernels); 'others': "
            f"share of all {cores()} cores that other people's processes used meanwhile (median); load average "
            f"before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}. Others' work slows every variant, "
            "but not the snippets' CPU seconds in the limit",
            f"total benchmark time {time.perf_counter() - started:.0f} s; our site built "
            + ("without --strict (--no-strict)" if args.no_strict else "with --strict")
            + f"; torch threads in markdown-exec and notebooks: {threads or 'torch default'}",
        ]
        if bench.md_exec_failures:
            notes.append(f"WARNING: {bench.md_exec_failures} markdown-exec blocks raised: that comparison is not like for like")
        if args.keep:
            notes.append(f"kept {tmp}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    results = summarize(bench.runs, bench.snippets_cpu, bench.edit_cpu, cores(), bench.cpu, bench.others)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(report_text(results, notes, cores()))
    print(f"written: {args.output.relative_to(root) if args.output.is_relative_to(root) else args.output}")
    missed = [row[0] for row in check_targets(results) if row[4] is False]
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
