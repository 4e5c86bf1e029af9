"""Each page's "all demos" notebook as a page of its own, rendered by mkdocs-jupyter.

Under `mkdocs build` the notebooks render in background workers from the moment their
demos are done (notebook_prerender), and MkDocs reads them last, so it rarely waits. Their
HTML then loses JupyterLab's weight and shows the demos' own light and dark figures.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from nn_notes.content import FIGURE_MANIFEST, GENERATED, embeds
from nn_notes.plugin import notebook_prerender, page_html

log = logging.getLogger("mkdocs.plugins.nn_notes")


class NotebookPages:
    def __init__(self):
        self.prerenderer: notebook_prerender.Prerenderer | None = None

    @property
    def ready(self):
        """What the runner calls when a page's notebook is published (None: nothing to do)."""
        return self.prerenderer.submit if self.prerenderer else None

    def on_pre_build(self, config, command: str) -> None:
        jupyter = config.plugins.get("mkdocs-jupyter")
        # Only under build: serve runs threads, and forking it could copy a held lock.
        self.prerenderer = notebook_prerender.Prerenderer.for_plugin(jupyter) if jupyter and command == "build" else None

    def after_demos(self, config) -> None:
        """The rest: demos that were all cached, or a build that did not run them."""
        if self.prerenderer:
            for notebook in sorted((Path(config["docs_dir"]) / GENERATED).rglob("*.ipynb")):
                self.prerenderer.submit(notebook)

    def on_files(self, files):
        """MkDocs reads pages in this order: the notebook pages, still rendering in the
        background, are read after every other page."""
        notebooks = [file for file in files.documentation_pages() if file.src_uri.endswith(".ipynb")]
        for file in notebooks:
            files.remove(file)
            files.append(file)
        return files

    def on_pre_page(self, page) -> None:
        if self.prerenderer and page.file.src_uri.endswith(".ipynb"):
            try:
                self.prerenderer.wait(Path(page.file.abs_src_path))
            except Exception as error:
                raise PluginError(f"docs/{page.file.src_uri}: rendering this notebook page failed: {error}") from error

    @staticmethod
    def is_notebook_page(page) -> bool:
        return page.file.src_uri.startswith(f"{GENERATED}/")

    def on_page_content(self, html: str, page, config) -> str:
        """The notebook page without JupyterLab's weight, its figures from the published files."""
        page.meta["search"] = {"exclude": True}  # notebooks repeat the demos their pages show
        docs = Path(config["docs_dir"])
        source = page.file.src_uri.removeprefix(f"{GENERATED}/pages/").removesuffix(".ipynb") + ".md"
        manifest = json.loads((docs / GENERATED / FIGURE_MANIFEST).read_text(encoding="utf-8"))
        figures = [(figure["alt"], get_relative_url(f"{GENERATED}/{figure[scheme]}", page.url), scheme)
                   for _, name in embeds((docs / source).read_text(encoding="utf-8"))
                   for figure in manifest.get(name, []) for scheme in ("light", "dark")]
        try:
            return page_html.lean_notebook(html, figures)
        except page_html.MalformedHTML as error:
            raise PluginError(f"docs/{page.file.src_uri} (the notebook of docs/{source}): {error}") from None

    def on_post_build(self) -> None:
        if self.prerenderer and self.prerenderer.rendered:
            how = "alongside the demos " if self.prerenderer.rendered > 1 else ""
            log.info(f"notebook pages: rendered {self.prerenderer.rendered} {how}into mkdocs-jupyter's cache")
        self.close()

    def close(self, cancel: bool = False) -> None:
        if self.prerenderer:
            self.prerenderer.close(cancel)
            self.prerenderer = None

