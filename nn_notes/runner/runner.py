"""Decide which snippets must run, run them in parallel forked children, publish outputs."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from nn_notes.content import GENERATED, embedding_pages, page_embeds
from nn_notes.runner import child, render, sandbox
from nn_notes.runner.cache import Cache, sealed, sha256, unsealed, write_atomic, write_if_changed
from nn_notes.runner.snippets import Snippet, cache_key, discover, environment_fingerprint

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 4096  # per demo, beyond what torch and matplotlib already map
MEMORY_VARIABLE = "NN_NOTES_SNIPPET_MEMORY_MB"
NOTICE_EVERY = 5.0  # seconds between "still running" notices for a slow demo
NOTEBOOK = "notebook.ipynb"  # name of a snippet's rendered notebook inside its cache entry


@dataclass
class Outcome:
    snippet: Snippet
    status: str  # "ran" | "cached" | "failed"
    result: dict
    files: dict[str, bytes] = field(default_factory=dict)  # figure files by name
    notebook: bytes = b""  # the snippet's own notebook, rendered once and cached with it
    key: str = ""  # cache key: identifies this exact output
    seconds: float = 0.0  # wall time in this run; 0 for a cache hit
    message: str = ""  # for failures: `snippets/x/y.py:LINE: error (embedded in …)`

    def summary(self) -> dict:
        return {
            "path": self.snippet.rel,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": self.result.get("cpu_seconds"),
            "snippet_wall_seconds": self.result.get("wall_seconds"),
            "peak_rss_mb": self.result.get("peak_rss_mb"),
            "error": self.message or None,
        }


@dataclass
class Report:
    outcomes: list[Outcome]
    seconds: float

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_json(self) -> dict:
        return {"seconds": round(self.seconds, 3), "snippets": [o.summary() for o in self.outcomes]}

    def summary_line(self) -> str:
        counts = {s: sum(o.status == s for o in self.outcomes) for s in ("ran", "cached", "failed")}
        return (f"snippets: {len(self.outcomes)} total, {counts['ran']} ran, {counts['cached']} cached, "
                f"{counts['failed']} failed in {self.seconds:.1f} s")


_context = None


def _fork_context():
    """One fork server per process; it imports torch and matplotlib once, then forks per snippet."""
    global _context
    if _context is None:
        # The server is a new interpreter: it imports the installed package like any other.
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["nn_notes.runner.worker"])
        main_file = getattr(sys.modules["__main__"], "__file__", None)
        if main_file:  # see worker.adopt_parent_main
            os.environ["NN_NOTES_PARENT_MAIN"] = os.path.normpath(main_file)
    return _context


def _last_snippet_line(text: str, rel: str) -> int | None:
    lines = re.findall(rf'File "{re.escape(rel)}", line (\d+)', text)
    return int(lines[-1]) if lines else None


def _crash_result(snippet: Snippet, staging: Path, why: str) -> dict:
    """A result for a child that left none: it crashed, exited early or was killed."""
    line = None
    faults = staging / "faulthandler.txt"
    if faults.is_file():
        line = _last_snippet_line(faults.read_text(errors="replace"), snippet.rel)
    progress = staging / "running_cell.json"
    if line is None and progress.is_file():
        line = json.loads(progress.read_text())["line"]
    return {"path": snippet.rel, "status": "failed", "cells": [],
            "error": {"line": line or 1, "message": why, "traceback": ""}}


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the interpreter died with signal {signal.Signals(-exitcode).name} while running this cell"
    return f"the interpreter exited with status {exitcode} before the snippet finished (os._exit or sys.exit?)"


class _Running:
    def __init__(self, snippet, key, staging, workdir, process, timeout):
        self.snippet, self.key, self.staging, self.process = snippet, key, staging, process
        self.workdir = workdir
        self.started = time.perf_counter()
        self.deadline = self.started + timeout
        self.next_notice = self.started + NOTICE_EVERY

    def kill(self) -> None:
        sandbox.kill_descendants(self.process.pid)  # even those that started their own session
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the child called setsid()
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.join()

    def clean_up(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def _job(snippet: Snippet, root: Path, staging: Path, workdir: Path, memory_mb: int) -> dict:
    """What a child needs: where it writes (workdir, staging) and what it may read."""
    helpers = sorted((root / "snippets").glob("*.py"))  # shared helpers a demo may import
    readable = [*_outside(root), snippet.path.parent, *helpers, Path(__file__).parent, Path(sys.prefix)]
    return {"path": str(snippet.path), "rel": snippet.rel, "out": str(staging), "workdir": str(workdir),
            "threads": 1, "memory_mb": memory_mb, "build_pid": os.getpid(), "contain": _landlock(),
            "readable": [str(p) for p in readable]}


_outside_cache: dict[Path, list[Path]] = {}


def _landlock() -> bool:
    """Contain demos with Landlock where the kernel has it (decided here: the fork server
    keeps the environment it started with)."""
    return sandbox.landlock_abi() > 0


class ProjectGuard:
    """Without Landlock: finds files that appeared in, or changed in, the project while demos
    ran, deletes the new ones, and names them, so nothing a demo wrote is published."""

    SKIPPED = {".git", ".venv", ".cache", "site", "generated", "__pycache__", "node_modules"}

    def __init__(self, root: Path):
        self.root = root
        self.before = self.snapshot()

    def snapshot(self) -> dict[Path, tuple[int, int]]:
        files = {}
        for folder, names, filenames in os.walk(self.root):
            names[:] = [n for n in names if n not in self.SKIPPED]
            for name in filenames:
                path = Path(folder, name)
                try:
                    info = path.stat()
                except OSError:
                    continue
                files[path] = (info.st_mtime_ns, info.st_size)
        return files

    def changes(self) -> list[str]:
        after = self.snapshot()
        changed = []
        for path, stamp in sorted(after.items()):
            if path not in self.before:
                path.unlink(missing_ok=True)
                changed.append(f"{path.relative_to(self.root).as_posix()} (new: deleted)")
            elif stamp != self.before[path]:
                changed.append(f"{path.relative_to(self.root).as_posix()} (changed)")
        return changed


def _outside(root: Path) -> list[Path]:
    if root not in _outside_cache:
        _outside_cache[root] = sandbox.readable_outside(root)
    return _outside_cache[root]


def memory_limit() -> int:
    return int(os.environ.get(MEMORY_VARIABLE) or DEFAULT_MEMORY_MB)


def _execute(pending: list[tuple[Snippet, str]], cache: Cache, jobs: int, timeout: float,
             progress: bool, finished: Callable[[Outcome], None], root: Path,
             memory_mb: int = DEFAULT_MEMORY_MB, notify: Callable[[str], None] | None = None) -> dict[str, Outcome]:
    # Each child runs one thread (workers x threads <= cores; see _job). Demos are small: with
    # two threads, a training loop of tiny matmuls spent 21 s of CPU spinning instead of 2.3 s.
    context = _fork_context()
    outcomes: dict[str, Outcome] = {}
    queue, running = list(pending), []
    bar = tqdm(total=len(pending), unit="snippet", desc="running snippets", disable=not progress,
               file=sys.stderr, leave=False)
    if notify:  # no progress bar (output is not a terminal): say what the wait is for
        notify(f"running {len(pending)} demo(s) on {min(jobs, len(pending))} worker(s)")
    try:
        while queue or running:
            while queue and len(running) < jobs:
                snippet, key = queue.pop(0)
                staging = cache.staging()
                workdir = Path(tempfile.mkdtemp(prefix="snippet-"))  # outside the project
                job = _job(snippet, root, staging, workdir, memory_mb)
                process = context.Process(target=child.run, args=(job,), name=snippet.rel)
                process.start()
                running.append(_Running(snippet, key, staging, workdir, process, timeout))
            nearest = min(min(r.deadline, r.next_notice) if notify else r.deadline for r in running)
            multiprocessing.connection.wait([r.process.sentinel for r in running],
                                            timeout=max(0.0, nearest - time.perf_counter()))
            for item in list(running):
                timed_out = item.process.is_alive() and time.perf_counter() >= item.deadline
                if timed_out:
                    item.kill()
                elif item.process.is_alive():
                    if notify and time.perf_counter() >= item.next_notice:
                        item.next_notice += NOTICE_EVERY
                        elapsed = time.perf_counter() - item.started
                        notify(f"still running {item.snippet.rel}: {elapsed:.0f} s of its {timeout:g} s limit")
                    continue
                item.process.join()
                item.clean_up()
                running.remove(item)
                outcomes[item.snippet.rel] = _collect(item, cache, timeout, timed_out)
                finished(outcomes[item.snippet.rel])
                bar.update(1)
    finally:
        for item in running:  # interrupted: leave no orphaned snippet behind
            item.kill()
            item.clean_up()
            cache.discard(item.staging)
        bar.close()
    return outcomes


def _collect(item: _Running, cache: Cache, timeout: float, timed_out: bool) -> Outcome:
    seconds = time.perf_counter() - item.started
    result_file = item.staging / "result.json"
    if timed_out:
        result = _crash_result(item.snippet, item.staging,
                               f"timed out after {timeout:g} s; killed with its child processes")
    elif result_file.is_file():
        result = json.loads(result_file.read_text())
    else:
        result = _crash_result(item.snippet, item.staging, _exit_reason(item.process.exitcode))
    if result["status"] != "ok":
        cache.discard(item.staging)  # failures are never cached: the next build tries again
        return Outcome(item.snippet, "failed", result, seconds=seconds)
    figures = [f[v] for cell in result["cells"] for f in cell["figures"] for v in ("light", "dark")]
    files = {name: (item.staging / name).read_bytes() for name in figures}
    # Rendered here, once: validating and serialising notebooks was most of a warm build's cost.
    notebook = render.notebook(item.snippet.name, item.snippet.rel, result, files)
    (item.staging / NOTEBOOK).write_bytes(notebook)
    cache.store(item.key, item.staging, ["result.json", NOTEBOOK, *figures])
    return Outcome(item.snippet, "ran", result, files, notebook, item.key, seconds)


def run_snippets(selectors: list[str] | None = None, *, root: Path, force: bool = False,
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT, progress: bool = True,
                 publish: bool = True, cache_dir: Path | None = None, memory_mb: int | None = None,
                 page_notebook_ready: Callable[[Path], None] | None = None,
                 notify: Callable[[str], None] | None = None) -> Report:
    """Run what the cache does not hold, then publish every selected snippet's output.

    `notify(message)`: told how many demos run, then every NOTICE_EVERY s which one is still
    running (for output without a progress bar, where a slow demo was silence).

    `page_notebook_ready(path)`: called as soon as a page's notebook is published, which is
    when the last of its demos has run (not at the end), so it can be rendered meanwhile.
    """
    started = time.perf_counter()
    cache = Cache(cache_dir or Path(os.environ.get("NN_NOTES_CACHE") or root / ".cache" / "snippets"))
    with cache.locked():
        return _run(selectors, root, force, jobs, timeout, progress, publish, cache, memory_mb,
                    page_notebook_ready, started, notify)


def _run(selectors, root, force, jobs, timeout, progress, publish, cache, memory_mb,
         page_notebook_ready, started, notify=None) -> Report:
    snippets = discover(root, selectors)
    fingerprint = environment_fingerprint()
    keys = {s.rel: cache_key(s, fingerprint) for s in snippets}
    early = EarlyPageNotebooks(root / "docs", cache, page_notebook_ready, force) \
        if publish and page_notebook_ready and not selectors else None
    outcomes: dict[str, Outcome] = {}
    pending = []
    for snippet in snippets:
        hit = None if force else cache.load(keys[snippet.rel])
        if hit and NOTEBOOK in hit[1]:
            result, files = hit
            notebook = files.pop(NOTEBOOK)
            outcomes[snippet.rel] = Outcome(snippet, "cached", result, files, notebook, keys[snippet.rel])
            if early:
                early.finished(outcomes[snippet.rel])
        else:
            pending.append((snippet, keys[snippet.rel]))
    if pending:
        guard = None if _landlock() else ProjectGuard(root)
        outcomes.update(_execute(pending, cache, jobs or os.cpu_count() or 1, timeout, progress,
                                 early.finished if early else lambda outcome: None,
                                 root, memory_mb or memory_limit(), notify))
        if guard:
            _fail_if_the_project_changed(guard, [outcomes[s.rel] for s, _ in pending], cache)
    ordered = [outcomes[s.rel] for s in snippets]
    pages = embedding_pages(root / "docs")
    for outcome in ordered:
        if outcome.status == "failed":
            outcome.message = render.error_message(outcome.snippet.rel, outcome.result,
                                                   pages.get(outcome.snippet.name, []))
    if publish:
        publish_outputs(ordered, root / "docs", pages, whole=not selectors, cache=cache, force=force)
    report = Report(ordered, time.perf_counter() - started)
    write_atomic(cache.directory / "report.json", json.dumps(report.to_json(), indent=1).encode())
    return report


def _fail_if_the_project_changed(guard: ProjectGuard, ran: list[Outcome], cache: Cache) -> None:
    """Without Landlock the runner cannot tell which demo wrote a file: every demo that ran
    fails, uncached, until none does."""
    changed = guard.changes()
    if not changed:
        return
    why = ("the project changed while this demo ran (demos may write only in their working "
           f"folder): {', '.join(changed)}")
    for outcome in ran:
        if outcome.key:
            shutil.rmtree(cache.directory / outcome.key, ignore_errors=True)
        outcome.status, outcome.files, outcome.notebook = "failed", {}, b""
        outcome.result = {**outcome.result, "status": "failed",
                          "error": {"line": 1, "message": why, "traceback": ""}}


class EarlyPageNotebooks:
    """Publishes a page's notebook the moment the last of its demos has finished."""

    def __init__(self, docs: Path, cache: Cache, ready: Callable[[Path], None], force: bool = False):
        self.docs, self.cache, self.ready, self.force = docs, cache, ready, force
        self.pages = page_embeds(docs)
        self.done: dict[str, Outcome] = {}

    def finished(self, outcome: Outcome) -> None:
        self.done[outcome.snippet.name] = outcome
        for page, names in self.pages.items():
            if outcome.snippet.name not in names or not all(name in self.done for name in names):
                continue
            demos = [self.done[name] for name in names]
            if all(o.status != "failed" for o in demos):
                path = self.docs / GENERATED / render.page_notebook_name(page)
                write_if_changed(path, page_notebook(page, demos, self.cache, self.force))
                self.ready(path)


def published_files(outcome: Outcome, pages: dict[str, list[str]]) -> dict[str, bytes]:
    """Files below docs/generated for one snippet: fragment, and when it ran, source, notebook, SVGs."""
    name, rel, result = outcome.snippet.name, outcome.snippet.rel, outcome.result
    files = {f"{name}.md": render.fragment(name, rel, result, pages.get(name, [])).encode()}
    if outcome.status != "failed":
        files[f"{name}.py"] = outcome.snippet.path.read_bytes()
        files[f"{name}.ipynb"] = outcome.notebook
        for file, data in outcome.files.items():
            files[render.published_name(name, file)] = data
    return files


def page_notebook_memo(page: str, demos: list[Outcome], cache: Cache) -> Path:
    """Where the page's notebook is memoised: under the page and its demos' keys."""
    return cache.directory / "pages" / (sha256("\0".join([page, *(o.key for o in demos)]).encode()) + ".ipynb")


def page_notebook(page: str, demos: list[Outcome], cache: Cache, force: bool = False) -> bytes:
    """The page's notebook with all of its demos. Unchanged demos give the memoised bytes
    (no re-validation on a warm build); a memo that was edited or cut short is rendered again."""
    stored = page_notebook_memo(page, demos, cache)
    notebook = None if force or not stored.is_file() else unsealed(stored.read_bytes())
    if notebook is None:
        notebook = render.page_notebook(page, [(o.snippet.name, o.snippet.rel, o.result, o.files) for o in demos])
        write_atomic(stored, sealed(notebook))
    return notebook


def page_notebooks(outcomes: list[Outcome], docs: Path, cache: Cache, force: bool = False) -> dict[str, bytes]:
    """One notebook per page with all of its demos; left out while one of them fails."""
    by_name = {o.snippet.name: o for o in outcomes}
    files, used = {}, set()
    for page, names in page_embeds(docs).items():
        demos = [by_name.get(name) for name in names]
        if not all(o is not None and o.status != "failed" for o in demos):
            continue
        files[render.page_notebook_name(page)] = page_notebook(page, demos, cache, force)
        used.add(page_notebook_memo(page, demos, cache))
    for old in (cache.directory / "pages").glob("*.ipynb"):
        if old not in used:  # pages or demos that changed since
            old.unlink()
    return files


def publish_outputs(outcomes: list[Outcome], docs: Path, pages: dict[str, list[str]], whole: bool,
                    cache: Cache, force: bool = False) -> None:
    """Write what changed; delete what no snippet produces any more (stale output never stays).

    `whole`: every snippet was selected, so anything else below docs/generated is stale and
    the per-page notebooks can be rebuilt; otherwise only the selected snippets' files change.
    """
    generated = docs / GENERATED
    wanted: dict[str, bytes] = {}
    for outcome in outcomes:
        wanted.update(published_files(outcome, pages))
    if whole:
        wanted.update(page_notebooks(outcomes, docs, cache, force))
    for relative, data in wanted.items():
        write_if_changed(generated / relative, data)
    if not generated.is_dir():
        return
    names = {o.snippet.name for o in outcomes}
    for path in sorted(generated.rglob("*")):
        relative = path.relative_to(generated).as_posix()
        if not path.is_file() or relative in wanted:
            continue
        stem = relative.split(".", 1)[0]
        owner = stem.rsplit("-", 2)[0] if relative.endswith(".svg") else stem
        if whole or owner in names:
            path.unlink()
    for folder in sorted((p for p in generated.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
