"""Fill mkdocs-jupyter's own cache for the per-page notebooks in worker processes, while the
demos still run and while MkDocs builds the other pages.

mkdocs-jupyter renders notebooks one by one inside the build (0.15-0.45 s each); after a cold
run of the snippets all 17 are new. `Prerenderer.submit` starts a page's notebook as soon as
the runner has published it, and `wait` (called before the plugin reads that page) turns the
plugin's render into a cache hit. It uses the plugin's own functions and cache format, pinned
to mkdocs-jupyter 0.26.3: tests/test_plugin.py checks the build reports a hit for each and that
the entries equal what the plugin renders itself.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path, _get_nb_toc_tokens

from nn_notes.runner import sandbox
from nn_notes.runner.cache import write_atomic

RENDER_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                  "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")


def render(notebook: str, options: dict, destination: Path) -> None:
    """Write the plugin's cache entry for one notebook: what its page render would store."""
    body = convert.nb2html(notebook, execute=False, **{k: options[k] for k in RENDER_OPTIONS})
    toc_tokens, title = _get_nb_toc_tokens(notebook, options["toc_depth"])
    write_atomic(destination, json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}).encode())


def share_compiled_templates() -> None:
    """In a worker: compile nbconvert's Jinja templates once, not once per notebook.

    nbconvert builds a new Jinja environment for every notebook, so each render parsed and
    compiled the same templates again (about 40% of a render). One in-memory bytecode cache
    per worker, attached to every environment, keeps them; Jinja checks each template's
    source checksum before it reuses its code.
    """
    from jinja2 import BytecodeCache
    from nbconvert.exporters.templateexporter import TemplateExporter

    class MemoryBytecodeCache(BytecodeCache):
        def __init__(self):
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            if bucket.key in self.code:
                bucket.bytecode_from_string(self.code[bucket.key])

        def dump_bytecode(self, bucket):
            self.code[bucket.key] = bucket.bytecode_to_string()

    shared = MemoryBytecodeCache()
    create_environment = TemplateExporter._create_environment

    def with_shared_cache(exporter):
        environment = create_environment(exporter)
        environment.bytecode_cache = shared
        return environment

    TemplateExporter._create_environment = with_shared_cache


def start_worker(build_pid: int) -> None:
    """A pool worker's first step: tie its life to the build's, then share templates.

    A worker is forked from the build and so inherits its end of the demo fork server's
    keep-alive pipe: holding it, the server never sees the build die, and the worker never
    sees its queue close. Closed here, a killed build leaves no process behind.
    """
    from multiprocessing import forkserver

    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        try:
            os.close(alive)
        except OSError:
            pass
    sandbox.exit_with(build_pid)
    share_compiled_templates()


class Prerenderer:
    """Renders notebooks into the plugin's cache in forked workers, in the background.

    Only for `mkdocs build`: `mkdocs serve` runs threads, and forking it could copy a held lock.
    """

    def __init__(self, options: dict, workers: int | None = None):
        self.options = options
        self.workers = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[str, Future] = {}
        self.rendered = 0

    @classmethod
    def for_plugin(cls, plugin) -> Prerenderer | None:
        options = dict(plugin.config)
        if not options.get("cache") or options.get("execute"):
            return None  # no cache to fill, or the plugin executes notebooks: leave it to the plugin
        return cls(options)

    def wanted(self, notebook: Path) -> bool:
        return any(notebook.match(pattern) for pattern in self.options["include"])

    def submit(self, notebook: Path) -> None:
        """Start rendering `notebook` unless the plugin's cache already holds it."""
        notebook = Path(notebook)
        destination = _get_cache_path(self.options["cache_dir"], _compute_cache_key(str(notebook), self.options, False))
        if str(notebook) in self.pending or destination.exists() or not self.wanted(notebook):
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=start_worker, initargs=(os.getpid(),))
            # Ctrl-C is not an Exception: MkDocs calls no on_build_error for it, and a pool
            # left to the interpreter's teardown printed "Exception ignored ... weakref_cb".
            atexit.register(self.close, True)
        self.pending[str(notebook)] = self.pool.submit(render, str(notebook), self.options, destination)
        self.rendered += 1

    def wait(self, notebook: Path) -> None:
        """Block until `notebook`'s entry is in the cache (if it was submitted); re-raise its error."""
        future = self.pending.pop(str(notebook), None)
        if future is not None:
            future.result()

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            atexit.unregister(self.close)
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None
        self.pending.clear()
