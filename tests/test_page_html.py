"""The plugin's HTML rewrites, on small inputs: what they keep matters as much as what they drop."""

from __future__ import annotations

import pytest

from nn_notes.plugin import page_html

SVG = '<img alt="No description has been provided for this image" src="data:image/svg+xml;base64,PHN2Zz4="/>'


def test_without_demos_empties_each_demo_and_keeps_the_rest():
    html = ('<p>a</p><div class="nn-demo"><div class="x"><div>code</div></div><p>out</p></div>'
            '<p>b</p><div class="nn-demo"><div>more</div></div><div>after</div>')
    assert page_html.without_demos(html) == ('<p>a</p><div class="nn-demo"></div><p>b</p>'
                                             '<div class="nn-demo"></div><div>after</div>')
    with pytest.raises(page_html.MalformedHTML, match="unclosed"):
        page_html.without_demos('<div class="nn-demo"><div>never closed</div>')


def notebook(*cells: str) -> str:
    return ('<style>.jupyter-wrapper{huge}</style><script>clipboard()</script>'
            '<div class="jupyter-wrapper"><style>.jp{}</style><div class="jp-Notebook">'
            + "".join(cells) + "</div></div><script>mermaid()</script>")


def test_lean_notebook_keeps_cells_drops_jupyterlab_weight():
    html = notebook(
        '<div class="jp-Cell"><div class="zeroclipboard-container"><clipboard-copy><div>x</div>'
        '</clipboard-copy></div><div class="clipboard-copy-txt" id="cell-1">print(1)</div>'
        '<div class="highlight-ipynb hl-python"><pre><span></span>print(1)</pre></div></div>',
        '<div class="jp-OutputArea"><pre>1\n</pre></div>',
        '<div class="jp-MarkdownCell"><pre><code>kept as is</code></pre></div>')
    lean = page_html.lean_notebook(html, [])
    assert lean.startswith('<div class="jupyter-wrapper">') and lean.endswith("</div></div>")
    assert "<style" not in lean and "<script" not in lean and "clipboard" not in lean
    assert '<div class="highlight highlight-ipynb hl-python"><pre><code><span></span>print(1)</code></pre>' in lean
    assert "<pre><code>1\n</code></pre>" in lean
    assert "<pre><code>kept as is</code></pre>" in lean


def test_lean_notebook_swaps_inline_figures_for_published_files():
    figures = [('a "quoted" plot', "../x-1-1.light.svg", "light"), ('a "quoted" plot', "../x-1-1.dark.svg", "dark")]
    lean = page_html.lean_notebook(notebook(f'<div class="jp-RenderedSVG">{SVG}</div>'), figures)
    assert "data:image" not in lean and "No description" not in lean
    assert ('<img alt="a &quot;quoted&quot; plot" loading="lazy" src="../x-1-1.light.svg#only-light">'
            '<img alt="a &quot;quoted&quot; plot" loading="lazy" src="../x-1-1.dark.svg#only-dark">') in lean


def test_lean_notebook_keeps_a_lightbox_around_each_variant():
    figures = [("plot", "l.svg", "light"), ("plot", "d.svg", "dark")]
    wrapped = f'<a class="glightbox" data-type="image" href="data:image/svg+xml;base64,PHN2Zz4=">{SVG}</a>'
    lean = page_html.lean_notebook(notebook(wrapped), figures)
    assert "data:image" not in lean
    assert lean.count('<a class="glightbox"') == 2 and 'href="d.svg#only-dark"' in lean


def test_lean_notebook_refuses_figures_it_cannot_match():
    with pytest.raises(page_html.MalformedHTML, match="2 figures in the notebook, but its page shows 1"):
        page_html.lean_notebook(notebook(SVG, SVG), [("a", "l.svg", "light"), ("a", "d.svg", "dark")])
    with pytest.raises(page_html.MalformedHTML, match="no jupyter-wrapper"):
        page_html.lean_notebook("<p>not a notebook</p>", [])


def test_lightbox_script_moves_from_head_to_just_before_its_init():
    page = ('<head><script src="../assets/javascripts/glightbox.min.js"></script></head>'
            '<body><p>text</p><script id="init-glightbox">GLightbox()</script></body>')
    moved = page_html.lightbox_script_to_its_init(page)
    assert moved == ('<head></head><body><p>text</p><script src="../assets/javascripts/glightbox.min.js">'
                     '</script><script id="init-glightbox">GLightbox()</script></body>')
    without_init = '<head><script src="assets/javascripts/glightbox.min.js"></script></head><body></body>'
    assert page_html.lightbox_script_to_its_init(without_init) == without_init
