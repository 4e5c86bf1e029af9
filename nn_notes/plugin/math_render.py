"""Typeset the pages' math at build time with the vendored KaTeX, run in an embedded V8.

pymdownx.arithmatex (generic mode) leaves `\\( … \\)` and `\\[ … \\]` in `.arithmatex`
elements. Rendering them in the browser cost long pages a quarter of a second of blocked
main thread on a phone and shifted the layout; rendered here, a page only needs KaTeX's CSS
and fonts, and a TeX error fails the build with the page and line instead of showing red
source to readers.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from pathlib import Path

from nn_notes.runner.cache import write_atomic

ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL)
DELIMITERS = {"\\(": "\\)", "\\[": "\\]"}


class MathError(ValueError):
    def __init__(self, tex: str, message: str):
        super().__init__(message)
        self.tex = tex


@cache
def _katex(script: Path):
    from py_mini_racer import MiniRacer  # imported only by builds of pages with math

    context = MiniRacer()
    context.eval(script.read_text(encoding="utf-8"))
    return context


@cache
def render(script: Path, tex: str, display: bool) -> str:
    """KaTeX's HTML (with MathML for screen readers) for one formula; raises MathError."""
    from py_mini_racer import JSEvalException

    try:
        return _katex(script).call("katex.renderToString", tex, {"displayMode": display, "throwOnError": True})
    except JSEvalException as error:
        message = str(error).splitlines()[0].split("ParseError: ", 1)[-1]
        raise MathError(tex, message) from None


class FormulaCache:
    """KaTeX's output by formula, kept between builds in one JSON file: a build whose math
    did not change starts no V8 at all (0.2 s). Tied to the exact katex.min.js; formulas
    no page uses any more are dropped when it is saved. Reads nothing until a page has math."""

    def __init__(self, path: Path, script: Path):
        self.path, self.script = path, script
        self.katex = ""
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}

    def _load(self) -> None:
        self.katex = hashlib.sha256(self.script.read_bytes()).hexdigest()
        stored = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}
        self.stored = stored.get("formulas", {}) if stored.get("katex") == self.katex else {}

    def render(self, tex: str, display: bool) -> str:
        if not self.katex:
            self._load()
        key = ("display:" if display else "inline:") + tex
        if key not in self.used:
            self.used[key] = self.stored[key] if key in self.stored else render(self.script, tex, display)
        return self.used[key]

    def save(self) -> None:
        if self.katex and self.used != self.stored:
            write_atomic(self.path, json.dumps({"katex": self.katex, "formulas": self.used}).encode("utf-8"))


def typeset(page_html: str, script: Path, formulas: FormulaCache | None = None) -> str:
    """The page with each `.arithmatex` element's TeX replaced by KaTeX's HTML."""

    def one(match) -> str:
        source = html.unescape(match["tex"]).strip()
        opening = source[:2]
        if opening not in DELIMITERS or not source.endswith(DELIMITERS[opening]):
            raise MathError(source, "expected \\( … \\) or \\[ … \\] from pymdownx.arithmatex")
        tex, display = source[2:-2].strip(), opening == "\\["
        rendered = formulas.render(tex, display) if formulas else render(script, tex, display)
        return f'<{match["tag"]} class="arithmatex">{rendered}</{match["tag"]}>'

    return ARITHMATEX.sub(one, page_html)


@cache
def inline_css(stylesheet: Path, fonts_url: str) -> str:
    """KaTeX's stylesheet for a <style> element: font URLs made relative to the page, and
    fonts swapped in when they arrive instead of hiding the math until then."""
    css = stylesheet.read_text(encoding="utf-8").replace("url(fonts/", f"url({fonts_url}")
    return css.replace("font-display:block", "font-display:swap")


def source_line(markdown: str, tex: str) -> int | None:
    """The line of the page's Markdown where a formula starts, for error messages."""
    needle = tex.strip()[2:-2].strip() if tex.strip()[:2] in DELIMITERS else tex.strip()
    first = needle.splitlines()[0] if needle else ""
    for number, line in enumerate(markdown.splitlines(), start=1):
        if first and first in line:
            return number
    return None
