"""Checks of the pages' Markdown sources, before MkDocs reads them.

MkDocs reports these badly: invalid front matter is a long YAML traceback that never names
the page, and the Markdown a plugin sees has its front matter cut off, so a line number
counted there is wrong. Here every problem is `docs/<page>.md:<line>: <what is wrong>`,
counted in the file as the contributor sees it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from nn_notes.content import GENERATED, embeds, front_matter_source, missing_demo, pages


def check_pages(docs: Path, snippets: Path) -> list[str]:
    """Every problem of every Markdown page below `docs` (generated fragments excluded)."""
    problems = []
    for path in pages(docs):
        rel = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        problems += [f"docs/{rel}:{line}: {problem}" for line, problem in page_problems(text, docs, snippets)]
    return problems


def page_problems(text: str, docs: Path, snippets: Path) -> list[tuple[int, str]]:
    problems = []
    if problem := front_matter_problem(text):
        problems.append(problem)
    for number, name in embeds(text):
        if not (snippets / f"{name}.py").is_file() and not (docs / GENERATED / f"{name}.md").is_file():
            problems.append((number, missing_demo(name)))
    return problems


def front_matter_problem(text: str) -> tuple[int, str] | None:
    """(line, message) if the page's front matter, delimited as MkDocs does, is not a YAML mapping."""
    source = front_matter_source(text)
    if source is None:
        return None
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        # Where the broken construct opens (an unclosed quote or bracket), else where YAML noticed.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)  # the file's line: "---" is line 1
        what = "; ".join(part for part in (getattr(error, "context", None), getattr(error, "problem", None)) if part)
        return line, f"front matter is not valid YAML: {what or error}"
    if data is not None and not isinstance(data, dict):
        return 2, f"front matter must be `key: value` lines, not a YAML {type(data).__name__}"
    return None


def embed_line(source: Path, name: str) -> int | None:
    """The file line of the first embed of `name` in a page (for errors raised later)."""
    return next((number for number, found in embeds(source.read_text(encoding="utf-8")) if found == name), None)
