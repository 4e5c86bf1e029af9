"""Running demos: forked children from a torch-preloaded server, timeouts, collection.

Knows nothing of pages: it turns (snippet, cache key) pairs into Outcomes and seals each
successful result (result.json and the figures) into the cache.
"""

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

from nn_notes.runner import child, sandbox
from nn_notes.runner.cache import Cache
from nn_notes.runner.snippets import Snippet

DEFAULT_MEMORY_MB = 4096  # per demo, beyond what torch and matplotlib already map
MEMORY_VARIABLE = "NN_NOTES_SNIPPET_MEMORY_MB"
NOTICE_EVERY = 5.0  # seconds between "still running" notices for a slow demo
RESULT = "result.json"


@dataclass
class Outcome:
    snippet: Snippet
    status: str  # "ran" | "cached" | "failed"
    result: dict
    files: dict[str, bytes] = field(default_factory=dict)  # figure files by name
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
    readable = [*_outside(root), snippet.path.parent, Path(__file__).parent, Path(sys.prefix)]
    return {"path": str(snippet.path), "rel": snippet.rel, "out": str(staging), "workdir": str(workdir),
            "memory_mb": memory_mb, "build_pid": os.getpid(), "contain": landlock(),
            "readable": [str(p) for p in readable]}


_outside_cache: dict[Path, list[Path]] = {}


def landlock() -> bool:
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


def execute(pending: list[tuple[Snippet, str]], cache: Cache, jobs: int, timeout: float,
             progress: bool, finished: Callable[[Outcome], None], root: Path,
             memory_mb: int = DEFAULT_MEMORY_MB, notify: Callable[[str], None] | None = None) -> dict[str, Outcome]:
    # Each child runs one torch thread (worker.THREADS), so as many children as cores.
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
    result_file = item.staging / RESULT
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
    cache.store(item.key, item.staging, [RESULT, *figures])
    return Outcome(item.snippet, "ran", result, files, item.key, seconds)


def fail_if_the_project_changed(guard: ProjectGuard, ran: list[Outcome], cache: Cache) -> None:
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
        outcome.status, outcome.files = "failed", {}
        outcome.result = {**outcome.result, "status": "failed",
                          "error": {"line": 1, "message": why, "traceback": ""}}


