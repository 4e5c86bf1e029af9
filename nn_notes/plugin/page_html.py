"""Pure HTML rewrites the MkDocs plugin applies to rendered pages (no MkDocs imports here).

Input is what Python-Markdown or nbconvert produced: well-formed, with code escaped, so
counting div tags finds the end of a container.
"""

from __future__ import annotations

import re
from html import escape

from nn_notes.content import DEMO_CLASS

DEMO_OPEN = f'<div class="{DEMO_CLASS}">'
DIV_TAG = re.compile(r"<div\b|</div>")
# nbconvert's inline figure, wrapped by the glightbox plugin when it ran first
NOTEBOOK_FIGURE = re.compile(r'(?P<lightbox><a class="glightbox"[^>]*>\s*)?'
                             r'<img alt="[^"]*" src="data:image/svg\+xml;base64,[^"]*"\s*/?>(?(lightbox)\s*</a>)')
LIGHTBOX_OPEN = '<a class="glightbox" data-type="image" data-width="auto" data-height="auto" href="{src}" ' \
                'data-desc-position="bottom">'
CLIPBOARD_TEXT = re.compile(r'<div class="clipboard-copy-txt" id="[^"]*">.*?</div>', re.DOTALL)
WRAPPER_OPEN = '<div class="jupyter-wrapper">'
CLIPBOARD_OPEN = '<div class="zeroclipboard-container">'
BARE_PRE = re.compile(r"<pre>(?!<code)(.*?)</pre>", re.DOTALL)


GLIGHTBOX_SCRIPT = re.compile(r'<script src="[^"]*assets/javascripts/glightbox\.min\.js"></script>')
GLIGHTBOX_INIT = '<script id="init-glightbox">'


class MalformedHTML(ValueError):
    pass


def div_end(html: str, start: int) -> int:
    """Index just past the `</div>` closing the div that opens at `start`."""
    depth, cursor = 0, start
    while True:
        tag = DIV_TAG.search(html, cursor)
        if tag is None:
            raise MalformedHTML(f"an unclosed container: {html[start:start + 80]!r}")
        depth += 1 if tag[0] == "<div" else -1
        cursor = tag.end()
        if depth == 0:
            return cursor


def empty_containers(html: str, opening: str) -> str:
    """Each div that opens with `opening`, kept as an empty element."""
    parts, position = [], 0
    while (start := html.find(opening, position)) >= 0:
        parts.append(html[position:start] + opening + "</div>")
        position = div_end(html, start)
    return "".join(parts) + html[position:]


def without_demos(html: str) -> str:
    """What search indexes: the page with each demo's content removed."""
    return empty_containers(html, DEMO_OPEN)


def lean_notebook(html: str, figures: list[tuple[str, str, str]]) -> str:
    """mkdocs-jupyter's page body, made light: only the notebook, styled by the site.

    Dropped: 590 KB of inline JupyterLab CSS, scripts for widgets the site does not use
    (clipboard, MathJax, Mermaid) and copy buttons that needed them. Each figure, inlined as
    base64 with the alt "No description has been provided for this image", becomes the
    published light and dark SVG files with the demo's own alt text (`figures`, in the
    notebook's order, with URLs relative to the page). Code and output become `pre > code`,
    so Material styles them and adds its copy button.
    """
    start = html.find(WRAPPER_OPEN)
    if start < 0:
        raise MalformedHTML("no jupyter-wrapper in the notebook page")
    body = re.sub(r"<style\b.*?</style>|<script\b.*?</script>", "", html[start:div_end(html, start)],
                  flags=re.DOTALL)
    body = empty_containers(body, CLIPBOARD_OPEN).replace(CLIPBOARD_OPEN + "</div>", "")
    body = CLIPBOARD_TEXT.sub("", body)  # the copy buttons' hidden source text (escaped: no divs)
    body = body.replace('<div class="highlight-ipynb', '<div class="highlight highlight-ipynb')
    body = BARE_PRE.sub(r"<pre><code>\1</code></pre>", body)
    inline = len(NOTEBOOK_FIGURE.findall(body))
    if len(figures) != 2 * inline:
        raise MalformedHTML(f"{inline} figures in the notebook, but its page shows {len(figures) // 2}")
    pairs = iter(figures[i:i + 2] for i in range(0, len(figures), 2))

    def as_files(match) -> str:
        variants = []
        for alt, src, scheme in next(pairs):
            image = f'<img alt="{escape(alt)}" loading="lazy" src="{src}#only-{scheme}">'
            if match["lightbox"]:  # the same zoomable figure as on the topic page
                image = LIGHTBOX_OPEN.format(src=f"{src}#only-{scheme}") + image + "</a>"
            variants.append(image)
        return "".join(variants)

    return NOTEBOOK_FIGURE.sub(as_files, body)


def lightbox_script_to_its_init(page: str) -> str:
    """Move glightbox's 15 KB script from <head>, where it delayed the first paint, to just
    before the one script that uses it (its init, at the end of <body>)."""
    script = GLIGHTBOX_SCRIPT.search(page)
    if script is None or GLIGHTBOX_INIT not in page[script.end():]:
        return page
    page = page[:script.start()] + page[script.end():]
    return page.replace(GLIGHTBOX_INIT, script[0] + GLIGHTBOX_INIT, 1)
