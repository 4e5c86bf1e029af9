"""Reuse a Markdown page's HTML when nothing it is made of has changed.

MkDocs converts every page's Markdown on every build, and that was the largest part of a
warm build (1.2 s of 3.2 s: mostly Pygments highlighting the demos' code). Like Sphinx's
incremental builds, a page is converted again only when one of its inputs changed:

- its Markdown as the plugins left it (front matter, text, the notebook link);
- every file it includes with `--8<--` (the demos' fragments), followed recursively;
- its path, and the set of files of the site (links are resolved against it);
- mkdocs.yml and the versions of the packages that render Markdown.

An entry holds what `Page.render` sets: content, table of contents, title and the anchors
that MkDocs checks after reading every page (pinned to mkdocs 1.6, tests/test_page_cache.py).
A render that logged anything (a broken link, say) is never stored, so its messages and
`--strict` failures come back on every build until it is fixed.

The contract, which a cache hit relies on: converting a page's Markdown sets only those five
fields, and has no effect beyond the page. A plugin that gathers state across pages while
they convert (autorefs, a glossary) would silently miss the pages served from the cache, so
the cache turns itself off, saying so, when a plugin outside KNOWN_PLUGINS is configured.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from importlib.metadata import version
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.structure.toc import get_toc

from nn_notes.runner.cache import sealed, unsealed, write_atomic

log = logging.getLogger("mkdocs.plugins.nn_notes")

# Plugins known to keep the contract: they work in MkDocs events, which run for a cached page too.
KNOWN_PLUGINS = {"search", "material/search", "tags", "material/tags", "glightbox", "mkdocs-jupyter", "nn-notes"}

RENDERERS = ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material")
# pymdownx.snippets: `--8<-- "file"` on one line, or a block of file names between two `--8<--`.
INCLUDE_LINE = re.compile(r'^\s*-{1,}8<-{1,}\s+(["\'])(?P<path>.+?)\1\s*$')
INCLUDE_FENCE = re.compile(r"^\s*-{1,}8<-{1,}\s*$")


def included_paths(markdown: str) -> list[str]:
    """The files a page includes, as written (a `:lines` or `:section` suffix is dropped)."""
    paths, in_block = [], False
    for line in markdown.splitlines():
        if INCLUDE_FENCE.match(line):
            in_block = not in_block
        elif match := INCLUDE_LINE.match(line):
            paths.append(match["path"])
        elif in_block and line.strip() and not line.lstrip().startswith(";"):
            paths.append(line.strip())
    return [re.sub(r"(:-?\d*)+$|:[\w-]+$", "", path) for path in paths]


class PageCache:
    def __init__(self, directory: Path, config):
        self.directory = directory
        self.base_paths = [Path(p) for p in config["mdx_configs"].get("pymdownx.snippets", {}).get("base_path", ["."])]
        digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
        # The settings as resolved too: `!ENV` and INHERIT values are not in mkdocs.yml's text.
        rendering = {name: config[name] for name in ("markdown_extensions", "mdx_configs", "use_directory_urls",
                                                      "validation", "docs_dir")}
        digest.update(json.dumps(_stable(rendering), sort_keys=True).encode())
        for name in RENDERERS:
            digest.update(f"\0{name}={version(name)}".encode())
        digest.update(b"\0entries=sealed")  # entries written before sealing are simply not found
        self.config_digest = digest.hexdigest()
        self.hits = self.misses = 0
        self.files_digest = ""
        self.used: set[Path] = set()

    def start_build(self, files) -> None:
        """Record which files the site has this build: links resolve against them."""
        listing = "\n".join(sorted(f"{f.src_uri}\0{f.dest_uri}\0{f.inclusion.name}" for f in files))
        self.files_digest = hashlib.sha256(listing.encode()).hexdigest()
        self.hits = self.misses = 0
        self.used = set()

    def finish_build(self) -> None:
        """Drop entries this build did not use: pages edited or removed since."""
        for entry_path in self.directory.glob("*.json"):
            if entry_path not in self.used:
                entry_path.unlink()

    def install(self, page) -> None:
        """Route `page.render` through the cache (as mkdocs-jupyter does for notebooks)."""
        page.render = functools.partial(self.render, page, page.render)

    def render(self, page, original_render, config, files) -> None:
        entry_path = self.directory / f"{self.key(page)}.json"
        self.used.add(entry_path)
        entry = self.load(page, entry_path)
        if entry is not None:
            self.restore(page, entry, files)
            self.hits += 1
            return
        self.misses += 1
        with _LogRecorder() as logged:
            original_render(config, files)
        if not logged.records:
            write_atomic(entry_path, sealed(json.dumps(self.entry(page)).encode("utf-8")))

    @staticmethod
    def load(page, entry_path: Path) -> dict | None:
        """The stored entry, or None when there is none or it was edited, cut short or damaged."""
        try:
            data = unsealed(entry_path.read_bytes())
            if data is not None:
                return json.loads(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            pass
        log.info(f"{page.file.src_path}: its entry in the page cache ({entry_path.name}) was damaged, "
                 "cut short or edited; converting the page again")
        return None

    def key(self, page) -> str:
        digest = hashlib.sha256(f"{self.config_digest}\0{page.file.src_uri}\0{self.files_digest}\0".encode())
        digest.update(page.markdown.encode("utf-8"))
        for path in self.includes(page.markdown):
            digest.update(f"\0{path}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        return digest.hexdigest()

    def includes(self, markdown: str, seen: frozenset = frozenset()) -> list[Path]:
        found = []
        for name in included_paths(markdown):
            path = next((base / name for base in self.base_paths if (base / name).is_file()), self.base_paths[0] / name)
            if path in seen or path in found:
                continue
            found.append(path)
            if path.is_file():
                found += self.includes(path.read_text(encoding="utf-8", errors="replace"), seen | {path, *found})
        return found

    @staticmethod
    def entry(page) -> dict:
        return {
            "content": page.content,
            "toc_tokens": [_token(item) for item in page.toc],
            "title": page._title_from_render,
            "present_anchor_ids": sorted(page.present_anchor_ids or ()),
            "links_to_anchors": None if page.links_to_anchors is None else
            {file.src_uri: links for file, links in page.links_to_anchors.items()},
        }

    @staticmethod
    def restore(page, entry: dict, files) -> None:
        page.content = entry["content"]
        page.toc = get_toc(entry["toc_tokens"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["present_anchor_ids"])
        if entry["links_to_anchors"] is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links
                                     for uri, links in entry["links_to_anchors"].items()}


def _stable(value):
    """A config value as JSON that is the same in every process (functions by name, not address)."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): _stable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_stable(item) for item in value]
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _token(item) -> dict:
    """A table-of-contents entry (AnchorLink) back as the token `get_toc` builds it from."""
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(c) for c in item.children]}


class _LogRecorder(logging.Handler):
    """Collects every record logged while a page renders (MkDocs' own logger does not
    propagate to the root logger, so it is watched too)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    WATCHED = ("", "mkdocs")

    def __enter__(self):
        for name in self.WATCHED:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc):
        for name in self.WATCHED:
            logging.getLogger(name).removeHandler(self)
        return False


class PageCacheFeature:
    """The plugin's side of the cache: on when the option is and every plugin is known."""

    def __init__(self):
        self.cache: PageCache | None = None

    @property
    def enabled(self) -> bool:
        return self.cache is not None

    def on_config(self, config, options) -> None:
        self.cache = None
        if not options.page_cache:
            return
        unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
        if unknown:
            log.info(f"page cache off: the plugin(s) {', '.join(unknown)} may gather state while pages "
                     "convert, which a page taken from the cache would skip")
            return
        root = Path(config.config_file_path).resolve().parent
        self.cache = PageCache(root / ".cache" / "pages", config)

    def on_files(self, files) -> None:
        if self.cache:
            self.cache.start_build(files)

    def on_env(self, env, config):
        if self.cache:  # the theme's templates compiled once, not every build (0.15 s); Jinja
            # checks each template's source against its checksum before it reuses the code
            directory = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
            directory.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(directory))
        return env

    def on_pre_page(self, page) -> None:
        if self.cache and page.file.src_uri.endswith(".md"):
            self.cache.install(page)

    def on_post_build(self) -> None:
        if self.cache:
            self.cache.finish_build()
            if self.cache.hits:
                log.info(f"Markdown pages: {self.cache.hits} unchanged ones taken from the page cache, "
                         f"{self.cache.misses} converted")
