"""The question bank: every `##` question of every page, read from the pages themselves.

The MkDocs plugin (generated_pages) turns `collect()` + `render()` into a generated page (questions.md), so the
bank can never miss or misspell a question: it has no source of its own to maintain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nn_notes.content import QUESTION, SHORT_ANSWER_LINE, front_matter

BANK_PAGE = "questions.md"


@dataclass
class Question:
    text: str
    anchor: str
    short_answer: str  # Markdown, without indentation


@dataclass
class Page:
    path: str  # relative to docs/
    section: str
    title: str
    tags: list[str]
    difficulty: str
    questions: list[Question] = field(default_factory=list)


def questions(source: str) -> list[Question]:
    """Each `## question { #anchor }` with the indented body of its short-answer admonition."""
    lines, found = source.splitlines(), []
    for number, line in enumerate(lines):
        heading = QUESTION.match(line)
        if not heading:
            continue
        answer: list[str] = []
        for following in range(number + 1, len(lines)):
            if lines[following].startswith("#"):
                break
            if SHORT_ANSWER_LINE.match(lines[following]):
                for body in lines[following + 1:]:
                    if body.strip() and not body.startswith("    "):
                        break
                    answer.append(body[4:])
                break
        found.append(Question(heading["text"], heading["anchor"], "\n".join(answer).strip()))
    return found


def nav_pages(nav: list, section: str = "") -> list[tuple[str, str]]:
    """(section title, page path) for every Markdown page in the nav, in nav order."""
    pages = []
    for item in nav or []:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            pages += nav_pages(value, title or section)
        elif isinstance(value, str) and value.endswith(".md") and value != BANK_PAGE:
            pages.append((section, value))
    return pages


def collect(docs_dir: Path, nav: list) -> list[Page]:
    pages = []
    for section, path in nav_pages(nav):
        if not (docs_dir / path).is_file():
            continue  # MkDocs itself reports a nav entry without a file
        source = (docs_dir / path).read_text(encoding="utf-8")
        meta = front_matter(source)
        found = questions(source)
        if found:
            pages.append(Page(path, section, meta.get("title", path), list(meta.get("tags") or []),
                              str(meta.get("difficulty", "")), found))
    return pages


def render(pages: list[Page]) -> str:
    total = sum(len(p.questions) for p in pages)
    out = [
        "---",
        "title: Question bank",
        "description: Every interview question on the site in one list, grouped by section, with its tags, "
        "difficulty and a hidden short answer for self-testing.",
        "search:",
        "  exclude: true",  # the questions are indexed on their own pages; do not rank the list above them
        "---",
        "",
        "# Question bank",
        "",
        f"All {total} questions on this site, grouped by section. Say your answer out loud first, then open "
        "the short answer to check it; each question links to its full explanation and demos.",
        "",
    ]
    section = None
    for page in pages:
        if page.section != section:
            section = page.section
            out += [f"## {section}", ""]
        tags = " ".join(f"`{tag}`" for tag in page.tags)
        for question in page.questions:
            out += [
                f"### [{question.text}]({page.path}#{question.anchor})",
                "",
                f'<p class="nn-meta" markdown="span">{page.title} · difficulty: '
                f"**{page.difficulty or 'unrated'}** · {tags}</p>",
                "",
                '??? abstract "Short answer"',
                *(f"    {line}" if line else "" for line in question.short_answer.splitlines()),
                "",
            ]
    return "\n".join(out) + "\n"
