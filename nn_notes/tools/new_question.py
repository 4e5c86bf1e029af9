"""Scaffold a new interview question: its skeleton on a page, the nav entry and a demo stub.

    python scripts/new_question.py --page training/label-smoothing \\
        --title "What does label smoothing do?" --snippet losses/label_smoothing_caps_confidence

Appends the question's full skeleton (short answer, explanation, demo, follow-ups,
pitfalls, further reading) to docs/<section>/<page>.md. A page that does not exist yet is
created with front matter and added to mkdocs.yml's nav, in the section whose pages live
in docs/<section>/ (a new section when there is none). The demo stub
snippets/<topic>/<name>.py runs as it is and draws a figure with alt text.

Every part left for you to write is marked TODO(new_question). `make test` fails while
any marker is left in docs/ or snippets/ (tests/test_conventions.py), so an unfinished
question cannot be merged; `make serve` shows the page with its stub meanwhile.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from nn_notes.content import MAX_SHORT_ANSWER_WORDS, PARTS, SHORT_ANSWER, embed_line, embeds, project_root

PLACEHOLDER = "TODO(new_question)"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # page files, sections and anchors
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")  # snippet topics and names
MIN_SNIPPET_WORDS = 3


class ScaffoldError(Exception):
    """A problem with the arguments or the project, reported without a traceback."""


def slugify(text: str, separator: str = "-") -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return separator.join(words)


def humanize(slug: str) -> str:
    """`train-and-eval` -> `Train and eval`: a first title for a new page or section."""
    text = re.sub(r"[-_]+", " ", slug).strip()
    return text[:1].upper() + text[1:]


def question_block(title: str, anchor: str, snippet: str) -> str:
    todo = PLACEHOLDER
    explanation, see_it_run, follow_ups, pitfalls, further_reading = PARTS
    return f"""## {title} {{ #{anchor} }}

{SHORT_ANSWER}
    {todo}: at most {MAX_SHORT_ANSWER_WORDS} words, what you would say in the first 30 seconds
    of an interview, with the key terms an interviewer listens for.

### {explanation}

{todo}: the why, in your own words, with math where it helps.

### {see_it_run}

{todo}: one or two sentences on what the demo shows and what it asserts.

{embed_line(snippet)}

### {follow_ups}

??? question "{todo}: a follow-up question an interviewer is likely to ask?"
    {todo}: its answer, hidden until the reader opens it.

??? question "{todo}: a second follow-up (two to four in all)?"
    {todo}: its answer.

### {pitfalls}

- {todo}: a concrete mistake people make, and how to avoid it.

### {further_reading}

- {todo}: [a primary source, such as the paper or the PyTorch docs](https://pytorch.org/docs/stable/)
"""


def page_header(title: str) -> str:
    todo = PLACEHOLDER
    return f"""---
title: {yaml_scalar(title)}
description: "{todo}: one sentence that says what the page answers (shown in search results)."
tags:
  - "{todo}: a topic, lowercase"
difficulty: "{todo}: easy, medium or hard"
---

# {title}

"""


def snippet_stub(page: str) -> str:
    todo = PLACEHOLDER
    return f'''# %% {todo}: a title for this cell
# {todo}: replace this stub with a small, seeded, CPU-only demo that prints
# labelled results and asserts every claim its page makes.
# Shown on docs/{page}.md
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
x = torch.linspace(-4, 4, 81)
y = torch.tanh(x)
print(f"largest |tanh(x)|: {{y.abs().max():.4f}}")
assert y.abs().max() < 1, "{todo}: assert what the page claims"

# %% {todo}: a title for the figure's cell
fig, ax = plt.subplots(label="{todo}: alt text that says what the plot shows")
ax.plot(x, y)
ax.set(xlabel="x", ylabel="tanh(x)")
'''


# --- mkdocs.yml: edited as text, so comments and the !ENV and !!python/name: tags stay ---

def compose_nav(text: str) -> yaml.SequenceNode | None:
    """The nav's node (with line numbers); composing does not construct, so any tag is fine."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError("mkdocs.yml is not a mapping")
    for key, value in root.value:
        if key.value == "nav":
            if not isinstance(value, yaml.SequenceNode) or value.flow_style:
                raise ScaffoldError("mkdocs.yml: nav must be a block list (`- item` lines)")
            return value
    return None


def entry(item: yaml.Node) -> tuple[str | None, yaml.Node]:
    """(title, value) of a nav item: `- path.md` or `- Title: path-or-list`."""
    if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
        key, value = item.value[0]
        return key.value, value
    return None, item


def last_line(node: yaml.Node) -> int:
    """0-based line of the last scalar inside a node (where an entry after it goes)."""
    if isinstance(node, yaml.ScalarNode):
        return node.end_mark.line
    children = [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max(last_line(child) for child in children)


def item_indent(lines: list[str], node: yaml.Node) -> str:
    """The indentation before a list item's dash, read from its line."""
    match = re.match(r"^(\s*)-\s", lines[node.start_mark.line])
    if not match:
        raise ScaffoldError(f"mkdocs.yml:{node.start_mark.line + 1}: cannot read the nav's layout")
    return match[1]


def pages_in(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.value]
    if isinstance(node, yaml.SequenceNode):
        return [page for item in node.value for page in pages_in(entry(item)[1])]
    return []


def yaml_scalar(text: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9][\w ,.()'/-]*", text) and not text.endswith(" ")
    return text if plain else json.dumps(text)


def add_to_nav(config_text: str, page: str, section_title: str | None) -> tuple[str, str]:
    """mkdocs.yml's text with `page` in the nav section holding its folder, and a message."""
    nav = compose_nav(config_text)
    if nav is None:
        return config_text, "mkdocs.yml has no nav: MkDocs lists the new page by itself"
    lines = config_text.splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if page in pages_in(nav):
        return config_text, f"mkdocs.yml's nav already lists {page}"
    folder = page.rsplit("/", 1)[0] + "/"
    sections = [(title, value, item) for item in nav.value for title, value in [entry(item)]
                if isinstance(value, yaml.SequenceNode)]
    for title, value, _ in sections:
        if any(p.startswith(folder) for p in pages_in(value)):
            if value.flow_style or not value.value:
                raise ScaffoldError(f"mkdocs.yml: write the nav section {title!r} as a block list")
            indent = item_indent(lines, value.value[-1])
            lines.insert(last_line(value) + 1, f"{indent}- {page}\n")
            return "".join(lines), f"added {page} to the nav section {title!r} in mkdocs.yml"
    top = item_indent(lines, nav.value[0])
    if sections:  # after the last section: the new section keeps the sections together
        _, last_value, last_item = sections[-1]
        child = item_indent(lines, last_value.value[0]) if last_value.value else top + "    "
        at = last_line(last_item) + 1
    else:
        child, at = top + "    ", last_line(nav) + 1
    title = section_title or humanize(folder.rstrip("/").rsplit("/", 1)[-1])
    lines[at:at] = [f"{top}- {yaml_scalar(title)}:\n", f"{child}- {page}\n"]
    return "".join(lines), f"added the nav section {title!r} with {page} to mkdocs.yml"


# --- the scaffold ---

def parse_page(value: str) -> str:
    page = value.strip().strip("/")
    page = page.removeprefix("docs/").removesuffix(".md")
    parts = page.split("/")
    if len(parts) != 2 or not all(SLUG.match(part) for part in parts):
        raise ScaffoldError(f"--page {value!r}: expected <section>/<page> in lowercase-with-hyphens, "
                            "e.g. training/label-smoothing")
    return page


def parse_snippet(value: str) -> str:
    name = value.strip().strip("/").removeprefix("snippets/").removesuffix(".py")
    parts = name.split("/")
    if len(parts) != 2 or not all(SNAKE.match(part) for part in parts):
        raise ScaffoldError(f"--snippet {value!r}: expected <topic>/<name> in lowercase_with_underscores")
    if len(parts[1].split("_")) < MIN_SNIPPET_WORDS:
        raise ScaffoldError(f"--snippet {value!r}: a name of at least {MIN_SNIPPET_WORDS} words that says "
                            "what the demo shows, e.g. inverted_dropout_matches_nn_dropout")
    return name


def default_snippet(page: str, anchor: str, existing: str) -> str:
    """The topic the page's demos already use (else the page's name) and the anchor's words."""
    topics = [name.split("/")[0] for _, name in embeds(existing) if "/" in name]
    topic = max(dict.fromkeys(topics), key=topics.count) if topics else page.split("/")[1].replace("-", "_")
    try:
        return parse_snippet(f"{topic}/{anchor.replace('-', '_')}")
    except ScaffoldError:
        raise ScaffoldError(f"cannot name the demo after #{anchor}: pass --snippet "
                            f"<topic>/<name_that_says_what_it_shows> ({MIN_SNIPPET_WORDS}+ words)") from None


def scaffold(root: Path, page: str, title: str, anchor: str | None = None, snippet: str | None = None,
             page_title: str | None = None, section_title: str | None = None) -> list[str]:
    """Write the question, page, nav entry and snippet stub; return what was done."""
    page = parse_page(page)
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("--title is empty")
    anchor = anchor or slugify(title)
    if not SLUG.match(anchor):
        raise ScaffoldError(f"--anchor {anchor!r}: expected lowercase-words-with-hyphens")
    page_path = root / "docs" / f"{page}.md"
    existing = page_path.read_text(encoding="utf-8") if page_path.is_file() else ""
    if re.search(rf"\{{\s*#{re.escape(anchor)}\s*\}}", existing):
        raise ScaffoldError(f"docs/{page}.md already has a question with the anchor #{anchor}; "
                            "pass another --anchor")
    snippet = parse_snippet(snippet) if snippet else default_snippet(page, anchor, existing)
    snippet_path = root / "snippets" / f"{snippet}.py"
    config_path = root / "mkdocs.yml"

    config_text = config_path.read_text(encoding="utf-8") if config_path.is_file() else None
    new_config, nav_message = None, None
    if existing:
        done = [f"added the question #{anchor} to docs/{page}.md"]
        text = existing.rstrip("\n") + "\n\n"
    else:
        done = [f"created docs/{page}.md with the question #{anchor} and front matter to fill in"]
        if config_text is not None:
            new_config, nav_message = add_to_nav(config_text, f"{page}.md", section_title)
        text = page_header(page_title or humanize(page.split("/")[1]))
    text += question_block(title, anchor, snippet)
    if snippet_path.exists():
        done.append(f"embedded the existing demo snippets/{snippet}.py")
    else:
        snippet_path.parent.mkdir(parents=True, exist_ok=True)
        snippet_path.write_text(snippet_stub(page), encoding="utf-8")
        done.append(f"created the demo stub snippets/{snippet}.py")
    page_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.write_text(text, encoding="utf-8")
    if nav_message:
        done.append(nav_message)
    if new_config is not None and new_config != config_text:
        config_path.write_text(new_config, encoding="utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Add an interview question's skeleton to a page (creating the page and its nav "
                    "entry if needed) and a runnable demo stub. Replace every TODO(new_question).")
    parser.add_argument("--page", required=True, help="<section>/<page>, e.g. training/label-smoothing")
    parser.add_argument("--title", required=True, help='the question, e.g. "What does label smoothing do?"')
    parser.add_argument("--anchor", help="the heading's stable id (default: from the title)")
    parser.add_argument("--snippet", help="<topic>/<name_that_says_what_it_shows> (default: the page's "
                                          "topic and the anchor's words)")
    parser.add_argument("--page-title", help="title of a new page (default: from its file name)")
    parser.add_argument("--section-title", help="nav title of a new section (default: from its folder)")
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)  # tests: another project
    args = parser.parse_args(argv)
    args.root = args.root or project_root()
    try:
        done = scaffold(args.root, args.page, args.title, args.anchor, args.snippet,
                        args.page_title, args.section_title)
    except ScaffoldError as error:
        print(f"new_question: {error}", file=sys.stderr)
        return 2
    for line in done:
        print(f"- {line}")
    print(f"\nNext: replace every {PLACEHOLDER} (make test fails until none is left), then preview "
          "with `make serve`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
