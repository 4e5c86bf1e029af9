"""The MkDocs side of the build: one plugin, one feature module per concern.

    demos            check pages, the generation step (demos, pages), embed errors, links
    generated_pages  the question bank, the contributing page, the build report
    notebook_pages   per-page notebooks: rendered alongside the demos, trimmed
    search           search indexes each page without its demos
    page_cache       unchanged pages' HTML and the compiled templates, reused
    typeset_math     math typeset at build time with the vendored KaTeX
and their helpers, which know nothing of MkDocs' events: page_html (HTML rewrites),
notebook_prerender (mkdocs-jupyter's cache), math_render (KaTeX), serve_watch.

Events below are in MkDocs' lifecycle order; each hands its work to the features. List the
plugin after `search` and `glightbox` in mkdocs.yml: plugins run in list order, and its
page events must see what those two have done.
"""

from __future__ import annotations

import logging

from mkdocs.plugins import BasePlugin, event_priority

from nn_notes.plugin import page_html
from nn_notes.plugin.config import NotesConfig
from nn_notes.plugin.demos import Demos
from nn_notes.plugin.generated_pages import GeneratedPages
from nn_notes.plugin.notebook_pages import NotebookPages
from nn_notes.plugin.page_cache import PageCacheFeature
from nn_notes.plugin.search import SearchWithoutDemos
from nn_notes.plugin.typeset_math import Math

log = logging.getLogger("mkdocs.plugins.nn_notes")


class NotesPlugin(BasePlugin[NotesConfig]):
    def __init__(self):
        self.command = "build"
        self.demos = Demos()
        self.generated_pages = GeneratedPages()
        self.notebook_pages = NotebookPages()
        self.search = SearchWithoutDemos()
        self.page_cache = PageCacheFeature()
        self.math = Math()

    # --- once per `mkdocs` command ---

    def on_startup(self, *, command, dirty):
        self.command = command  # defining on_startup also keeps this object across serve's rebuilds

    # --- once per build ---

    def on_config(self, config):
        quiet_mkdocs_jupyter()
        if not config.get("repo_url"):  # a local build: no forge, so no edit links (MkDocs would warn)
            config["edit_uri"] = None
        self.page_cache.on_config(config, self.config)
        self.math.on_config(config, self.config, cached=self.page_cache.enabled)
        return config

    def on_pre_build(self, *, config):
        self.notebook_pages.on_pre_build(config, self.command)
        self.demos.on_pre_build(config, self.config, self.command, self.notebook_pages.ready)
        self.notebook_pages.after_demos(config)

    def on_files(self, files, *, config):
        self.generated_pages.on_files(files, config, self.demos.generation)
        self.page_cache.on_files(files)
        return self.notebook_pages.on_files(files)

    def on_env(self, env, *, config, files):
        return self.page_cache.on_env(env, config)

    # --- once per page ---

    def on_pre_page(self, page, *, config, files):
        self.page_cache.on_pre_page(page)
        self.notebook_pages.on_pre_page(page)
        return page

    def on_page_markdown(self, markdown, *, page, config, files):
        return self.demos.on_page_markdown(markdown, page, config, self.command)

    def on_page_content(self, html, *, page, config, files):
        if self.notebook_pages.is_notebook_page(page):
            return self.notebook_pages.on_page_content(html, page, config)
        html = self.demos.on_page_content(html, config)
        return self.search.on_page_content(html, page)

    @event_priority(-100)  # after the search plugin has indexed the page (with its TeX source)
    def on_page_context(self, context, *, page, config, nav):
        self.search.on_page_context(page)
        self.math.on_page_context(page, config)
        return context

    def on_post_page(self, output, *, page, config):
        return page_html.lightbox_script_to_its_init(output)

    # --- once per build, at its end ---

    def on_post_build(self, *, config):
        self.math.on_post_build()
        self.page_cache.on_post_build()
        self.notebook_pages.on_post_build()

    def on_build_error(self, *, error):
        self.notebook_pages.close(cancel=True)

    # --- `mkdocs serve` ---

    def on_serve(self, server, *, config, builder):
        self.demos.on_serve(server, config)
        return server


def quiet_mkdocs_jupyter() -> None:
    """mkdocs-jupyter logs INFO lines per notebook (cache hit, converting): --verbose shows them."""
    if logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG:
        for name in ("mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter"):
            logging.getLogger(name).setLevel(logging.WARNING)
