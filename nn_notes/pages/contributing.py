"""The contributing page: CONTRIBUTING.md on the site, so the repository and the site say the same."""

from __future__ import annotations

import re
from collections.abc import Callable

PAGE = "contributing.md"
FRONT = "---\ndescription: How to add a question or a demo, run it, and what review checks.\n---\n\n"
RELATIVE_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?!https?:|#)(?P<target>[^)]+)\)")


def render(text: str, file_url: Callable[[str], str] | None) -> str:
    """`file_url(path)`: where the forge shows a repository file; None when the build has
    no repository address, and then a link to a file that is not a page keeps only its text."""
    # Its example embeds are documentation, not includes: `;--8<--` is pymdownx's escape.
    text = re.sub(r"^(\s*)--8<--", r"\1;--8<--", text, flags=re.MULTILINE)
    return FRONT + RELATIVE_LINK.sub(lambda match: link(match, file_url), text)


def link(match: re.Match, file_url: Callable[[str], str] | None) -> str:
    text, target = match["text"], match["target"]
    if target.startswith("docs/"):  # a page of the site: stay on the site
        return f"[{text}]({target.removeprefix('docs/')})"
    if file_url:  # any other repository file: the forge has it, the site does not
        return f"[{text}]({file_url(target)})"
    return text
