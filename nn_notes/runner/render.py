"""A snippet's result -> the Markdown fragment a page embeds, and a notebook with outputs."""

from __future__ import annotations

import re

import nbformat

from nn_notes.content import DEMO_CLASS, GENERATED


def fence(text: str) -> str:
    """A backtick fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def code_block(text: str, attributes: str) -> str:
    marks = fence(text)
    return f"{marks} {{ {attributes} }}\n{text.rstrip()}\n{marks}\n"


def quoted(value: str) -> str:
    """An attribute value for `{ title=… }` in quotes that do not occur in it.

    attr_list has no escapes: `title="A "b" c"` ends at the second quote and the page shows
    only `A`. A value with both kinds of quote gets curly double quotes instead.
    """
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    parts = value.split('"')
    curly = parts[0] + "".join(("\u201c" if i % 2 else "\u201d") + part
                               for i, part in enumerate(parts[1:], start=1))
    return f'"{curly}"'


def escape_alt(alt: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))


def published_name(name: str, file: str) -> str:
    """`topic/snippet` + `1-1.light.svg` -> `topic/snippet-1-1.light.svg`."""
    return f"{name}-{file}"


def fragment(name: str, rel: str, result: dict, pages: list[str]) -> str:
    """Markdown shown where a page embeds the snippet: each cell's source, output and figures."""
    if result["status"] != "ok":
        return error_fragment(rel, result, pages)
    parts = []
    for number, cell in enumerate(result["cells"]):
        title = rel if number == 0 else (cell["title"] or f"{rel} (continued)")
        # No line numbers: one generated ::before per line was a third of a long page's
        # style and layout work, and errors name the file's lines in the terminal anyway.
        parts.append(code_block(cell["source"], f".python title={quoted(title)}"))
        if cell["stdout"].strip():
            parts.append(code_block(cell["stdout"], '.text .nn-output title="Output"'))
        if cell["stderr"].strip():
            parts.append(code_block(cell["stderr"], '.text .nn-stderr title="stderr"'))
        for figure in cell["figures"]:
            alt = escape_alt(figure["alt"])
            base = f"/{GENERATED}/{published_name(name, '')}"
            parts.append(
                f'<figure class="nn-figure" markdown="span">\n'
                f'  ![{alt}]({base}{figure["light"]}#only-light){{ loading=lazy }}\n'
                f'  ![{alt}]({base}{figure["dark"]}#only-dark){{ loading=lazy }}\n'
                f"</figure>\n"
            )
    stem = name.rsplit("/", 1)[-1]
    # The demo's wrapper: the plugin hands search the page without it (page_html.without_demos).
    parts.insert(0, f'<div class="{DEMO_CLASS}" markdown>\n')
    parts.append("</div>\n")
    parts.append(
        f'<p class="nn-downloads" markdown="span">'
        f"[:material-download: `{stem}.py`](/{GENERATED}/{name}.py){{ download }} · "
        f"[:material-notebook-outline: notebook with outputs](/{GENERATED}/{name}.ipynb){{ download }}</p>\n"
    )
    return "\n".join(parts)


def error_message(rel: str, result: dict, pages: list[str]) -> str:
    """One line a terminal or CI log can point at: `snippets/x/y.py:4: ValueError: …`."""
    error = result["error"]
    where = f" (embedded in {', '.join('docs/' + p for p in pages)})" if pages else " (embedded in no page)"
    return f"{rel}:{error['line']}: {error['message']}{where}"


def error_fragment(rel: str, result: dict, pages: list[str]) -> str:
    """Shown on the page under `mkdocs serve` instead of stale output."""
    error = result["error"]
    # Only the first line is prose: a multi-line message (a syntax error's caret, a
    # traceback) goes in the code block, or its unindented lines would end the box.
    summary, _, rest = error["message"].strip().partition("\n")
    detail = error.get("traceback") or rest.strip("\n")
    box = f'!!! failure "This demo failed: `{rel}:{error["line"]}`"\n\n    {summary}\n'
    if detail:
        box += "\n" + "\n".join("    " + line if line else "" for line in code_block(detail, ".text").splitlines()) + "\n"
    return box


def page_notebook_name(page: str) -> str:
    """`training/overfitting.md` -> `pages/training/overfitting.ipynb` (below docs/generated)."""
    return f"pages/{page.removesuffix('.md')}.ipynb"


def _code_cells(result: dict, figures: dict[str, bytes], prefix: str, start: int) -> list:
    cells = []
    for number, cell in enumerate(result["cells"], start=start):
        code = nbformat.v4.new_code_cell(cell["source"].rstrip("\n"), execution_count=number)
        code.id = f"{prefix}cell-{number}"  # fixed ids: nbformat would draw random ones
        for stream in ("stdout", "stderr"):
            if cell[stream]:
                code.outputs.append(nbformat.v4.new_output("stream", name=stream, text=cell[stream]))
        for figure in cell["figures"]:
            data = {"image/svg+xml": figures[figure["light"]].decode("utf-8"), "text/plain": figure["alt"]}
            code.outputs.append(nbformat.v4.new_output("display_data", data=data))
        cells.append(code)
    return cells


def _write(cells: list) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    nb.cells = cells
    nbformat.validate(nb)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def _markdown(text: str, cell_id: str):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    return cell


def notebook(name: str, rel: str, result: dict, figures: dict[str, bytes]) -> bytes:
    """The same single execution as a notebook: source, streams and SVG figures."""
    title = name.rsplit("/", 1)[-1].replace("_", " ")
    return _write([_markdown(f"# {title}\n\nSource: `{rel}`", "intro"), *_code_cells(result, figures, "", 1)])


def page_notebook(page: str, demos: list[tuple[str, str, dict, dict[str, bytes]]]) -> bytes:
    """Every demo a page embeds, in page order, as one notebook (name, rel, result, figures)."""
    title = page.removesuffix(".md").rsplit("/", 1)[-1].replace("-", " ").capitalize()
    cells = [_markdown(f"# {title}: all demos\n\nEach section is one demo from the page `{page}`, with the "
                       "output it printed and drew when the site was built.", "intro")]
    for index, (name, rel, result, figures) in enumerate(demos, start=1):
        cells.append(_markdown(f"## {name.rsplit('/', 1)[-1].replace('_', ' ')}\n\nSource: `{rel}`", f"demo-{index}"))
        cells += _code_cells(result, figures, f"demo-{index}-", 1)
    return _write(cells)
