"""Search indexes each page without its demos, and its questions rather than their parts.

Demos' code and output were most of the index, and code comments outranked answers; parsing
their highlighted code only to skip it was a quarter of a plain build. The search plugin
indexes in on_page_context: the page's full HTML is put back right after it has.
"""

from __future__ import annotations

import re

from nn_notes.content import PARTS
from nn_notes.plugin import page_html

# The fixed parts of every question. Without an id they stay headings for screen readers
# but do not split the search index: a hit then names its question, not "Explanation".
PART_HEADING = re.compile(
    rf'<h3 id="[^"]*">(?P<title>{"|".join(map(re.escape, PARTS))})'
    r'<a class="headerlink" href="#[^"]*" title="[^"]*">[^<]*</a></h3>')


class SearchWithoutDemos:
    def __init__(self):
        self.full_content: dict[str, str] = {}  # page src_uri -> HTML with its demos, while search indexes

    def on_page_content(self, html: str, page) -> str:
        html = PART_HEADING.sub(r'<h3 class="nn-part">\g<title></h3>', html)
        self.full_content[page.file.src_uri] = html
        return page_html.without_demos(html)

    def on_page_context(self, page) -> None:
        if page.file.src_uri in self.full_content:
            page.content = self.full_content.pop(page.file.src_uri)
