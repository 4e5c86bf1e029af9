"""Math typeset at build time with the vendored KaTeX (math_render): no script on the page.

Only pages with math carry KaTeX's CSS, inline (4 KB gzipped, where a stylesheet link cost a
render-blocking round trip on a phone). Formulas are kept in .cache/math.json between builds.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from nn_notes.plugin import math_render


class Math:
    def __init__(self):
        self.katex = "assets/vendor/katex"
        self.formulas: math_render.FormulaCache | None = None

    def on_config(self, config, options, cached: bool) -> None:
        self.katex = options.katex
        script = Path(config["docs_dir"]) / self.katex / "katex.min.js"
        root = Path(config.config_file_path).resolve().parent
        self.formulas = math_render.FormulaCache(root / ".cache" / "math.json", script) if cached else None

    def on_page_context(self, page, config) -> None:
        if page.content and 'class="arithmatex"' in page.content:
            page.content = self.typeset(page, config)

    def typeset(self, page, config) -> str:
        docs = Path(config["docs_dir"])
        try:
            rendered = math_render.typeset(page.content, docs / self.katex / "katex.min.js", self.formulas)
        except math_render.MathError as error:
            line = math_render.source_line(Path(page.file.abs_src_path).read_text(encoding="utf-8"), error.tex)
            where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
            raise PluginError(f"{where}: the math `{error.tex}` does not render: {error}") from None
        fonts = get_relative_url(f"{self.katex}/fonts/", page.url)
        return f"<style>{math_render.inline_css(docs / self.katex / 'katex.min.css', fonts)}</style>\n{rendered}"

    def on_post_build(self) -> None:
        if self.formulas:
            self.formulas.save()
