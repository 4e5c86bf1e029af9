"""Publishing: a demo's outcome -> its files below docs/generated, and one notebook per page.

Rendering (render.py) happens here, from the cached result, so a change to the fragment's
or a notebook's layout republishes every demo without running any (the execution cache key
leaves render.py out: snippets.environment_fingerprint). Notebooks, whose validation was
most of a warm build, are memoised under the result's key and render.py's own hash.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from nn_notes.content import FIGURE_MANIFEST, GENERATED, SITE_PAGES, page_embeds
from nn_notes.runner import render
from nn_notes.runner.cache import Cache, sealed, sha256, unsealed, write_atomic, write_if_changed
from nn_notes.runner.scheduler import Outcome

RENDER_SOURCE = Path(render.__file__)


def render_fingerprint() -> str:
    """What the memoised notebooks depend on besides the results: the renderer's source."""
    return sha256(RENDER_SOURCE.read_bytes())


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


def published_files(outcome: Outcome, pages: dict[str, list[str]], cache: Cache) -> dict[str, bytes]:
    """Files below docs/generated for one snippet: fragment, and when it ran, source, notebook, SVGs."""
    name, rel, result = outcome.snippet.name, outcome.snippet.rel, outcome.result
    files = {f"{name}.md": render.fragment(name, rel, result, pages.get(name, [])).encode()}
    if outcome.status != "failed":
        files[f"{name}.py"] = outcome.snippet.path.read_bytes()
        files[f"{name}.ipynb"] = demo_notebook(outcome, cache)
        for file, data in outcome.files.items():
            files[render.published_name(name, file)] = data
    return files


def memo_path(cache: Cache, folder: str, parts: list[str]) -> Path:
    """Where a rendered notebook is memoised: under its inputs' keys and the renderer's hash."""
    return cache.directory / folder / (sha256("\0".join([*parts, render_fingerprint()]).encode()) + ".ipynb")


def memoised(stored: Path, make: Callable[[], bytes], force: bool = False) -> bytes:
    """The memoised bytes; a memo that was edited or cut short is rendered again."""
    data = None if force or not stored.is_file() else unsealed(stored.read_bytes())
    if data is None:
        data = make()
        write_atomic(stored, sealed(data))
    return data


def demo_notebook(outcome: Outcome, cache: Cache) -> bytes:
    """The demo's own notebook: the same single execution, with its outputs."""
    snippet = outcome.snippet
    return memoised(memo_path(cache, "notebooks", [outcome.key]),
                    lambda: render.notebook(snippet.name, snippet.rel, outcome.result, outcome.files))


def evict_demo_notebooks(outcomes: list[Outcome], cache: Cache) -> None:
    """Forget memoised notebooks of results no demo has any more (or of an older renderer)."""
    used = {memo_path(cache, "notebooks", [o.key]) for o in outcomes if o.status != "failed"}
    for old in (cache.directory / "notebooks").glob("*.ipynb"):
        if old not in used:
            old.unlink()


def page_notebook_memo(page: str, demos: list[Outcome], cache: Cache) -> Path:
    return memo_path(cache, "pages", [page, *(o.key for o in demos)])


def page_notebook(page: str, demos: list[Outcome], cache: Cache, force: bool = False) -> bytes:
    """The page's notebook with all of its demos (memoised: no re-validation on a warm build)."""
    return memoised(page_notebook_memo(page, demos, cache),
                    lambda: render.page_notebook(page, [(o.snippet.name, o.snippet.rel, o.result, o.files)
                                                        for o in demos]), force)


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


def figure_manifest(outcomes: list[Outcome], generated: Path, whole: bool) -> bytes:
    """docs/generated/figures.json: each demo's figures (alt text, light and dark files below
    docs/generated), so the site side gets them as data rather than parsing the fragments."""
    path = generated / FIGURE_MANIFEST
    manifest = {} if whole or not path.is_file() else json.loads(path.read_text(encoding="utf-8"))
    for outcome in outcomes:
        name = outcome.snippet.name
        manifest.pop(name, None)
        if outcome.status != "failed":
            manifest[name] = [{"alt": " ".join(figure["alt"].split()),
                               **{scheme: render.published_name(name, figure[scheme]) for scheme in ("light", "dark")}}
                              for cell in outcome.result["cells"] for figure in cell["figures"]]
    return (json.dumps(dict(sorted(manifest.items())), indent=1) + "\n").encode("utf-8")


def publish_outputs(outcomes: list[Outcome], docs: Path, pages: dict[str, list[str]], whole: bool,
                    cache: Cache, force: bool = False) -> None:
    """Write what changed; delete what no snippet produces any more (stale output never stays).

    `whole`: every snippet was selected, so anything else below docs/generated is stale and
    the per-page notebooks can be rebuilt; otherwise only the selected snippets' files change.
    """
    generated = docs / GENERATED
    wanted: dict[str, bytes] = {}
    for outcome in outcomes:
        wanted.update(published_files(outcome, pages, cache))
    wanted[FIGURE_MANIFEST] = figure_manifest(outcomes, generated, whole)
    if whole:
        wanted.update(page_notebooks(outcomes, docs, cache, force))
        evict_demo_notebooks(outcomes, cache)
    for relative, data in wanted.items():
        write_if_changed(generated / relative, data)
    if not generated.is_dir():
        return
    names = {o.snippet.name for o in outcomes}
    for path in sorted(generated.rglob("*")):
        relative = path.relative_to(generated).as_posix()
        if not path.is_file() or relative in wanted or relative.startswith(f"{SITE_PAGES}/"):
            continue  # wanted, or a generated page: the generation step owns those
        stem = relative.split(".", 1)[0]
        owner = stem.rsplit("-", 2)[0] if relative.endswith(".svg") else stem
        if whole or owner in names:
            path.unlink()
    for folder in sorted((p for p in generated.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
