"""Math typeset at build time: KaTeX's HTML in the page, TeX errors fail with their source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nn_notes.plugin import math_render

ROOT = Path(__file__).resolve().parents[1]

KATEX = ROOT / "docs" / "assets" / "vendor" / "katex"


def test_inline_and_display_math_become_katex_html_with_mathml():
    html = ('<p>keep <span class="arithmatex">\\(p &lt; 1\\)</span> and</p>\n'
            '<div class="arithmatex">\\[\n\\frac{1}{1-p}\n\\]</div>')
    out = math_render.typeset(html, KATEX / "katex.min.js")
    assert out.startswith("<p>keep ") and "\\(" not in out and "\\[" not in out
    inline, display = out.split("</p>")
    assert 'class="katex"' in inline and "katex-display" not in inline
    assert "<mo>&lt;</mo>" in inline  # the entity was TeX's "<", not literal "&lt;"
    assert 'class="katex-display"' in display and "<mfrac>" in display


def test_a_tex_error_names_the_formula_and_its_line():
    with pytest.raises(math_render.MathError, match="KaTeX parse error") as error:
        math_render.typeset('<span class="arithmatex">\\(\\frac{1}{\\)</span>', KATEX / "katex.min.js")
    assert error.value.tex == "\\frac{1}{"
    markdown = "# Title\n\nSome text\n\nwhere \\(\\frac{1}{\\) breaks\n"
    assert math_render.source_line(markdown, error.value.tex) == 5


def test_inline_css_points_fonts_at_the_page_relative_folder_and_swaps():
    css = math_render.inline_css(KATEX / "katex.min.css", "../../assets/vendor/katex/fonts/")
    assert "url(../../assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2)" in css
    assert "url(fonts/" not in css and "font-display:block" not in css


def test_the_formula_cache_renders_each_formula_once_across_builds(tmp_path, monkeypatch):
    """A second build takes its formulas from the file; another KaTeX, or a formula no page
    uses any more, is not kept."""
    script = tmp_path / "katex.min.js"
    script.write_bytes((KATEX / "katex.min.js").read_bytes())
    page = '<span class="arithmatex">\\(x^2\\)</span> <span class="arithmatex">\\(y\\)</span>'
    first = math_render.FormulaCache(tmp_path / "math.json", script)
    expected = math_render.typeset(page, script, first)
    first.save()

    def no_katex(*args):
        raise AssertionError("KaTeX ran for a cached formula")

    monkeypatch.setattr(math_render, "render", no_katex)
    second = math_render.FormulaCache(tmp_path / "math.json", script)
    assert math_render.typeset(page, script, second) == expected
    third = math_render.FormulaCache(tmp_path / "math.json", script)
    assert math_render.typeset('<span class="arithmatex">\\(y\\)</span>', script, third) in expected
    third.save()
    assert set(json.loads((tmp_path / "math.json").read_text())["formulas"]) == {"inline:y"}
    script.write_bytes(script.read_bytes() + b"\n// another KaTeX\n")
    with pytest.raises(AssertionError, match="KaTeX ran"):
        math_render.typeset(page, script, math_render.FormulaCache(tmp_path / "math.json", script))
