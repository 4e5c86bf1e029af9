"""The content schema: what a topic page and a demo look like, defined once.

CONTRIBUTING.md ("The page skeleton") says the same in prose. The build (runner, generated
pages, page checks), the scaffold, the convention checks and the benchmark all read it here,
so a page the build accepts is a page the checks accept.
"""

from __future__ import annotations

import re
from pathlib import Path

GENERATED = "generated"  # below docs/: everything the build writes for the pages to embed
SITE_PAGES = "site"  # below docs/generated/: the generated pages (question bank...), by site path
FIGURE_MANIFEST = "figures.json"  # below docs/generated/: each demo's figures, as data (never published)
DEMO_CLASS = "nn-demo"  # the element that holds one demo on a page (search leaves its content out)

# --- a topic page ---

# A question is a `##` heading with a fixed anchor (links and the question bank use it).
QUESTION = re.compile(r"^## (?P<text>.+?)\s*\{\s*#(?P<anchor>[\w-]+)\s*\}\s*$")
SHORT_ANSWER = '???+ abstract "Short answer"'  # the admonition that opens every question
SHORT_ANSWER_LINE = re.compile(r'^[?!]{3}\+?\s+abstract\s+"Short answer"\s*$')  # what readers accept
PARTS = ("Explanation", "See it run", "Follow-ups", "Pitfalls", "Further reading")  # `###`, in order
DIFFICULTIES = ("easy", "medium", "hard")  # front matter `difficulty:`
MAX_SHORT_ANSWER_WORDS = 75  # what a candidate says in 30 seconds; a formula counts as one word
FOLLOW_UPS = (2, 4)  # fewest and most follow-up questions per question

# A demo is embedded by a pymdownx.snippets line naming its generated fragment.
EMBED = re.compile(r"""^\s*--8<--\s+["']generated/(?P<name>[\w/.-]+)\.md["']\s*$""")


def embed_line(name: str) -> str:
    """The line a page writes to show the demo `topic/name`."""
    return f'--8<-- "{GENERATED}/{name}.md"'


def front_matter(text: str) -> dict:
    """A page's front matter as MkDocs reads it ({} when it has none or it is broken:
    checks.front_matter_problem names a broken one with its line)."""
    from mkdocs.utils.meta import get_data  # MkDocs' own parser; imported only where pages are read

    return get_data(text)[1]


def front_matter_source(text: str) -> str | None:
    """The YAML between the page's `---` lines, as MkDocs delimits it; None without any."""
    from mkdocs.utils.meta import YAML_RE

    match = YAML_RE.match(text)
    return match[1] if match else None


def pages(docs: Path) -> list[Path]:
    """The hand-written Markdown pages below docs/ (not the generated fragments), sorted."""
    return [p for p in sorted(docs.rglob("*.md")) if p.relative_to(docs).parts[0] != GENERATED]


def embeds(text: str) -> list[tuple[int, str]]:
    """(line, demo name) of every embed of a page, numbered in the whole file."""
    return [(number, match["name"]) for number, line in enumerate(text.splitlines(), start=1)
            if (match := EMBED.match(line))]


def page_embeds(docs: Path) -> dict[str, list[str]]:
    """Page (relative to docs/) -> names of the demos it embeds, in page order."""
    found: dict[str, list[str]] = {}
    for page in pages(docs):
        names = [name for _, name in embeds(page.read_text(encoding="utf-8"))]
        if names:
            found[page.relative_to(docs).as_posix()] = names
    return found


def embedding_pages(docs: Path) -> dict[str, list[str]]:
    """Demo name -> pages (relative to docs/) that embed it."""
    found: dict[str, list[str]] = {}
    for page, names in page_embeds(docs).items():
        for name in names:
            found.setdefault(name, []).append(page)
    return found


# --- a demo ---

def snippet_files(root: Path) -> list[Path]:
    """Every demo below root/snippets, sorted; `_name.py` files are helpers, not demos."""
    return [p for p in sorted((root / "snippets").rglob("*.py"))
            if not p.name.startswith("_") and "__pycache__" not in p.parts]


def snippet_name(root: Path, path: Path) -> str:
    """`topic/name`: a demo's path below snippets/ without `.py`, as pages embed it."""
    return path.relative_to(root / "snippets").with_suffix("").as_posix()


def missing_demo(name: str) -> str:
    """The problem of an embed whose demo does not exist (pages, serve, checks say it alike)."""
    return f"embeds {GENERATED}/{name}.md, but there is no snippet snippets/{name}.py"


def project_root(start: Path | None = None) -> Path:
    """The project a command works on: the nearest folder, from `start` (the current one)
    upwards, that holds mkdocs.yml and snippets/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "snippets").is_dir():
            return folder
    raise SystemExit(f"error: {here} is not inside the project (no mkdocs.yml with snippets/ beside it)")
