"""The plugin's options, as mkdocs.yml sets them under `plugins: - nn-notes:`."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NotesConfig(base.Config):
    # Run the demos before each build. False: build with the outputs already in
    # docs/generated (the benchmark's "plain" build, and tests that reuse a build's outputs).
    run_demos = c.Type(bool, default=True)
    # Reuse unchanged pages' HTML and the theme's compiled templates (page_cache.py). False:
    # every page converted and its math typeset, as a build without this plugin would.
    page_cache = c.Type(bool, default=True)
    timeout = c.Type(int, default=120)  # seconds one demo may run in `mkdocs build`
    # Under `mkdocs serve` a demo that hangs holds up every page: it is cut off sooner.
    serve_timeout = c.Type(int, default=30)
    katex = c.Type(str, default="assets/vendor/katex")  # below docs/: the vendored KaTeX
