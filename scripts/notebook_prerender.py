"""Fill mkdocs-jupyter's own cache for the per-page notebooks, several at a time.

mkdocs-jupyter renders notebooks one by one inside the build (0.15-0.45 s each); after a cold
run of the snippets all 17 are new. Rendering them here, in parallel, with the plugin's own
functions and cache format, turns the build's renders into cache hits. Pinned to
mkdocs-jupyter 0.26.3: tests/test_hook.py checks the build then reports a hit for each.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path, _get_nb_toc_tokens

from snippet_runner.cache import write_atomic

RENDER_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                  "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")


def render(notebook: str, options: dict) -> tuple[str, bytes]:
    """The plugin's cache entry for one notebook: what its page render would store."""
    body = convert.nb2html(notebook, execute=False, **{k: options[k] for k in RENDER_OPTIONS})
    toc_tokens, title = _get_nb_toc_tokens(notebook, options["toc_depth"])
    entry = {"content": body, "toc_tokens": toc_tokens, "title": title}
    return notebook, json.dumps(entry).encode("utf-8")


def missing(notebooks: list[Path], options: dict) -> dict[str, Path]:
    """Notebook -> its cache file, for the notebooks the plugin has no entry for."""
    todo = {}
    for notebook in notebooks:
        path = _get_cache_path(options["cache_dir"], _compute_cache_key(str(notebook), options, False))
        if not path.exists():
            todo[str(notebook)] = path
    return todo


def prerender(notebooks: list[Path], options: dict, parallel: bool) -> int:
    """Render what the cache lacks; returns how many. `parallel`: only from a single-threaded
    process (forking `mkdocs serve`, which runs threads, could copy a held lock)."""
    if not options.get("cache") or options.get("execute"):
        return 0  # no cache to fill, or the plugin executes notebooks: leave it to the plugin
    todo = missing(notebooks, options)
    workers = min(len(todo), os.cpu_count() or 1) if parallel else 1
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            rendered = list(pool.map(render, todo, [options] * len(todo)))
    else:
        rendered = [render(notebook, options) for notebook in todo]
    for notebook, entry in rendered:
        write_atomic(todo[notebook], entry)
    return len(rendered)
