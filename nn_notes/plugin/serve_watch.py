"""Under `mkdocs serve`: watch docs/ except the runner's output folder, docs/generated.

Every rebuild runs the runner first, and it publishes into docs/generated; MkDocs' watcher
saw those writes as a new edit, so each edit of a demo rebuilt the site twice and reloaded
the browser twice. Nothing else writes there (the runner owns it), so ignoring it loses no
edit. This reaches into MkDocs' LiveReloadServer (1.6); on anything else it changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

SERVER_PARTS = ("unwatch", "observer", "_rebuild_cond", "_want_rebuild", "_watched_paths", "_watch_refs")


def watch_docs_without_generated(server, docs_dir: str) -> bool:
    """Replace the server's watch of `docs_dir` by one that skips `docs_dir/generated`."""
    docs = os.path.abspath(docs_dir)
    if not all(hasattr(server, part) for part in SERVER_PARTS) or docs not in server._watched_paths:
        return False
    generated = Path(docs, "generated")

    def changed(event: FileSystemEvent) -> None:
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if event.is_directory or all(Path(os.fsdecode(p)).is_relative_to(generated) for p in paths):
            return
        with server._rebuild_cond:  # what MkDocs' own watcher does on a change
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = changed
    count = server._watched_paths[docs]
    for _ in range(count):
        server.unwatch(docs)
    server._watched_paths[docs] = count  # still listed in "Watching paths for changes"
    server._watch_refs[docs] = server.observer.schedule(handler, docs, recursive=True)
    return True
