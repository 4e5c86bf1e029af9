"""Decide which snippets must run, have the scheduler run them, then publish the outputs."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nn_notes.content import embedding_pages
from nn_notes.runner import publish, render, scheduler
from nn_notes.runner.cache import Cache, write_atomic
from nn_notes.runner.scheduler import Outcome
from nn_notes.runner.snippets import cache_key, discover, environment_fingerprint

DEFAULT_TIMEOUT = 120.0


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


def run_snippets(selectors: list[str] | None = None, *, root: Path, force: bool = False,
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT, progress: bool = True,
                 cache_dir: Path | None = None, memory_mb: int | None = None,
                 page_notebook_ready: Callable[[Path], None] | None = None,
                 notify: Callable[[str], None] | None = None) -> Report:
    """Run what the cache does not hold, then publish every selected snippet's output.

    `notify(message)`: told how many demos run, then every few seconds which one is still
    running (for output without a progress bar, where a slow demo was silence).

    `page_notebook_ready(path)`: called as soon as a page's notebook is published, which is
    when the last of its demos has run (not at the end), so it can be rendered meanwhile.
    """
    started = time.perf_counter()
    cache = Cache(cache_dir or Path(os.environ.get("NN_NOTES_CACHE") or root / ".cache" / "snippets"))
    with cache.locked():
        return _run(selectors, root, force, jobs, timeout, progress, cache, memory_mb,
                    page_notebook_ready, started, notify)


def _run(selectors, root, force, jobs, timeout, progress, cache, memory_mb,
         page_notebook_ready, started, notify=None) -> Report:
    snippets = discover(root, selectors)
    fingerprint = environment_fingerprint()
    keys = {s.rel: cache_key(s, fingerprint) for s in snippets}
    early = publish.EarlyPageNotebooks(root / "docs", cache, page_notebook_ready, force) \
        if page_notebook_ready and not selectors else None
    outcomes: dict[str, Outcome] = {}
    pending = []
    for snippet in snippets:
        hit = None if force else cache.load(keys[snippet.rel])
        if hit:
            result, files = hit
            outcomes[snippet.rel] = Outcome(snippet, "cached", result, files, keys[snippet.rel])
            if early:
                early.finished(outcomes[snippet.rel])
        else:
            pending.append((snippet, keys[snippet.rel]))
    if pending:
        guard = None if scheduler.landlock() else scheduler.ProjectGuard(root)
        outcomes.update(scheduler.execute(pending, cache, jobs or os.cpu_count() or 1, timeout, progress,
                                          early.finished if early else lambda outcome: None,
                                          root, memory_mb or scheduler.memory_limit(), notify))
        if guard:
            scheduler.fail_if_the_project_changed(guard, [outcomes[s.rel] for s, _ in pending], cache)
    ordered = [outcomes[s.rel] for s in snippets]
    pages = embedding_pages(root / "docs")
    for outcome in ordered:
        if outcome.status == "failed":
            outcome.message = render.error_message(outcome.snippet.rel, outcome.result,
                                                   pages.get(outcome.snippet.name, []))
    publish.publish_outputs(ordered, root / "docs", pages, whole=not selectors, cache=cache, force=force)
    report = Report(ordered, time.perf_counter() - started)
    write_atomic(cache.directory / "report.json", json.dumps(report.to_json(), indent=1).encode())
    return report


