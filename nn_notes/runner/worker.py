"""Runs one snippet inside a child forked from a server that has already imported torch.

Imported once by the fork server (so torch, numpy and matplotlib load once per build);
`run_job` is what each forked child executes. Everything a snippet can change (seeds,
matplotlib state, working directory, module globals) dies with its child.
"""

from __future__ import annotations

import faulthandler
import gc
import json
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402
import torch  # noqa: E402  (imported, never used for computation in the server: see run_job)
import torch._dynamo  # noqa: E402, F401  (the first optimizer step would import it: ~1 s per snippet)
import torch.utils.flop_counter  # noqa: E402, F401

from nn_notes.runner import sandbox  # noqa: E402
from nn_notes.runner.figures import apply_site_style, light_and_dark_svg  # noqa: E402
from nn_notes.runner.snippets import split_cells  # noqa: E402

SEED = 0
# One torch thread per demo: results do not depend on the machine, and with two threads a
# training loop of tiny matmuls spent 21 s of CPU spinning instead of 2.3 s.
THREADS = 1
MAX_CELL_OUTPUT = 64 * 1024  # bytes of stdout+stderr one cell may print
MAX_FILE_SIZE = 32 * 1024 * 1024  # any file the child writes; beyond it writes fail
RESULT = "result.json"
PROGRESS = "running_cell.json"
FAULTS = "faulthandler.txt"
RUNNER_DIR = str(Path(__file__).resolve().parent)  # its frames are cut from a demo's traceback


class SnippetError(Exception):
    """A problem with the snippet itself, reported at `line`."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _warm_up_matplotlib() -> None:
    """Load fonts and the SVG backend once in the server, not once per snippet (no torch here)."""
    apply_site_style()
    fig, ax = plt.subplots(label="warm-up")
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_title("$x^2$")
    ax.legend()
    light_and_dark_svg(fig)
    plt.close(fig)


def adopt_parent_main() -> None:
    """Stop every child from running the parent's main script again (30-80 ms a snippet).

    multiprocessing re-runs the parent's `__main__` file in each child unless the server's
    `__main__` already has that `__file__`; Python 3.11's forkserver never preloads it (it
    looks for the wrong key). Children need nothing from it: their target is
    nn_notes.runner.child.run, imported by name.
    """
    path = os.environ.get("NN_NOTES_PARENT_MAIN")
    if path:
        sys.modules["__main__"].__file__ = path


_warm_up_matplotlib()
adopt_parent_main()
# The ~330k objects torch and matplotlib created are never garbage: keep children's
# collections (0.14 s each when they walk them all) and copy-on-write page faults off them.
gc.freeze()


def run_job(job: dict) -> None:
    """Entry point of the forked child. Writes RESULT into job['out']; never raises."""
    os.setsid()  # own process group: a timeout kills the snippet and anything it started
    sandbox.become_subreaper()  # and what escapes the group (a new session) is still ours
    sandbox.exit_with(job["build_pid"])  # a killed build takes its demos with it
    # After fork, a parallel op in the child hangs if the parent's thread pool ever ran;
    # the server never computes, and each child sizes its own pool first thing.
    torch.set_num_threads(THREADS)
    out, workdir = Path(job["out"]), Path(job["workdir"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_SIZE, MAX_FILE_SIZE))
    faults = open(out / FAULTS, "w")
    faulthandler.enable(file=faults)  # a segfault leaves the Python stack with line numbers
    os.chdir(workdir)
    os.environ["TMPDIR"] = tempfile.tempdir = str(workdir)
    contained = job["contain"] and sandbox.contain([workdir, out, Path(os.devnull)],
                                                   [Path(p) for p in job["readable"]])
    sandbox.limit_memory(job["memory_mb"])
    start = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    limits = {"memory_mb": job["memory_mb"], "contained": contained}
    result = execute(Path(job["path"]), job["rel"], out, limits)
    sandbox.kill_descendants(os.getpid())  # a background process never outlives its demo
    end = resource.getrusage(resource.RUSAGE_SELF)
    result["contained"] = contained
    result["cpu_seconds"] = round(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime, 3)
    result["wall_seconds"] = round(time.perf_counter() - wall, 3)
    result["peak_rss_mb"] = round(end.ru_maxrss / 1024, 1)
    tmp = out / (RESULT + ".tmp")
    tmp.write_text(json.dumps(result, indent=1, sort_keys=True))
    os.replace(tmp, out / RESULT)  # the parent treats a missing RESULT as a crash


def reset_state() -> None:
    random.seed(SEED)
    numpy.random.seed(SEED)
    torch.manual_seed(SEED)
    plt.close("all")
    apply_site_style()
    plt.show = lambda *args, **kwargs: None  # snippets may call it for readers; Agg would warn


def execute(path: Path, rel: str, out: Path, limits: dict | None = None) -> dict:
    """Run the snippet cell by cell; `limits` (memory_mb, contained) explain what they stop."""
    reset_state()
    source = path.read_text(encoding="utf-8")
    namespace = {"__name__": "__main__", "__file__": str(path), "__builtins__": __builtins__}
    sys.argv = [str(path)]
    sys.dont_write_bytecode = True  # no __pycache__ in snippets/: serve would see a change
    sys.path.insert(0, str(path.parent))  # as `python snippet.py` would
    cells: list[dict] = []
    result = {"path": rel, "status": "ok", "error": None, "cells": cells}
    for index, cell in enumerate(split_cells(source), start=1):
        (out / PROGRESS).write_text(json.dumps({"line": cell.line}))
        record = {"line": cell.line, "title": cell.title, "source": cell.source,
                  "stdout": "", "stderr": "", "figures": []}
        cells.append(record)
        try:
            with captured_output(record):
                run_cell(cell, rel, namespace)
            check_output_size(record, cell.line)
            record["figures"] = save_figures(out, f"{index}", cell.line)
        except BaseException as exc:  # noqa: BLE001 - everything a snippet raises is reported
            record.pop("stdout_bytes", None), record.pop("stderr_bytes", None)
            result["status"] = "failed"
            result["error"] = describe(exc, rel, cell.line, limits or {})
            break
    return result


def run_cell(cell, rel: str, namespace: dict) -> None:
    # Pad so that line numbers in tracebacks are the file's own.
    code = compile("\n" * (cell.line - 1) + cell.source, rel, "exec")
    exec(code, namespace)


class captured_output:
    """Redirect file descriptors 1 and 2 to files, so output from C code is caught too.

    Fills record["stdout"], record["stderr"] (truncated) and their full sizes in bytes.
    """

    def __init__(self, record: dict):
        self.record = record

    def __enter__(self):
        self.saved, self.files = {}, {}
        sys.stdout.flush(), sys.stderr.flush()
        for fd in (1, 2):
            self.files[fd] = tempfile.TemporaryFile()
            self.saved[fd] = os.dup(fd)
            os.dup2(self.files[fd].fileno(), fd)

    def __exit__(self, *exc):
        sys.stdout.flush(), sys.stderr.flush()
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(self.saved[fd], fd)
            os.close(self.saved[fd])
            handle = self.files[fd]
            self.record[name + "_bytes"] = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            self.record[name] = handle.read(MAX_CELL_OUTPUT).decode("utf-8", errors="replace")
            handle.close()
        return False


def check_output_size(record: dict, line: int) -> None:
    size = record.pop("stdout_bytes", 0) + record.pop("stderr_bytes", 0)
    if size > MAX_CELL_OUTPUT:
        raise SnippetError(line, f"the cell printed {size:,} bytes; the limit is {MAX_CELL_OUTPUT:,}. Print less.")


def save_figures(out: Path, prefix: str, line: int) -> list[dict]:
    figures = []
    for number in plt.get_fignums():
        fig = plt.figure(number)
        alt = (fig.get_label() or "").strip()
        if not alt:
            raise SnippetError(line, "a figure has no alt text: create it with "
                               "plt.subplots(label=\"what the plot shows\") or call fig.set_label(...)")
        light, dark = light_and_dark_svg(fig)
        name = f"{prefix}-{len(figures) + 1}"
        (out / f"{name}.light.svg").write_bytes(light)
        (out / f"{name}.dark.svg").write_bytes(dark)
        figures.append({"alt": alt, "light": f"{name}.light.svg", "dark": f"{name}.dark.svg"})
    plt.close("all")
    return figures


def describe(exc: BaseException, rel: str, cell_line: int, limits: dict | None = None) -> dict:
    """The error as `snippets/…py:LINE`, the exception, and the snippet's part of the stack."""
    if isinstance(exc, SnippetError):
        return {"line": exc.line, "message": str(exc), "traceback": ""}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == rel]
    line = frames[-1].lineno if frames else cell_line
    if isinstance(exc, SyntaxError) and exc.filename == rel:
        line = exc.lineno or cell_line
    if isinstance(exc, OSError) and exc.errno == 27:  # EFBIG from RLIMIT_FSIZE
        message = f"output flood: a file grew past {MAX_FILE_SIZE:,} bytes"
    elif isinstance(exc, PermissionError) and (limits or {}).get("contained"):
        message = (f"PermissionError: {exc}. A demo may write only in its working folder (the "
                   "current directory) and, inside the project, read only its own folder")
    elif isinstance(exc, MemoryError) or "can't allocate memory" in str(exc):
        message = (f"out of memory: the demo needed more than its limit of {(limits or {}).get('memory_mb')} MiB "
                   f"(raise it with NN_NOTES_SNIPPET_MEMORY_MB if it really must)")
    else:
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    stack = traceback.format_exception(type(exc), exc, exc.__traceback__)
    # Drop the runner's own frames: readers care about the snippet's.
    stack = [entry for entry in stack if RUNNER_DIR not in entry]
    return {"line": line, "message": message, "traceback": "".join(stack)}
