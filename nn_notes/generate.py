"""The generation step: everything the pages embed or link, written into docs/generated/.

    python scripts/generate.py [--no-demos] [--timeout SECONDS]

One function, `generate()`, runs the demos (their fragments, figures, source files and
notebooks) and writes the pages made from the others (question bank, contributing page,
build report) into docs/generated/site/. It imports no part of MkDocs' build: the MkDocs
plugin calls it before every build, and `make zensical` calls it before `zensical build`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nn_notes.content import GENERATED, SITE_PAGES, project_root
from nn_notes.pages import build_report, contributing, question_bank
from nn_notes.runner.cache import write_if_changed
from nn_notes.runner.runner import DEFAULT_TIMEOUT, Report, run_snippets

BUILD_REPORT = "build-report.md"


@dataclass
class Generation:
    report: Report | None  # None: the demos were not run (their outputs already in place)
    pages: dict[str, str] = field(default_factory=dict)  # site path (e.g. questions.md) -> Markdown


def generate(root: Path, *, nav: list, run_demos: bool = True, timeout: float = DEFAULT_TIMEOUT,
             file_url: Callable[[str], str] | None = None, progress: bool = False,
             notify: Callable[[str], None] | None = None,
             page_notebook_ready: Callable[[Path], None] | None = None) -> Generation:
    """Run the demos (unless `run_demos` is false), then write the generated pages.

    `nav`: the site's nav (mkdocs.yml), which orders the question bank. `file_url(path)`: where
    the forge shows a repository file (None without a repository address).
    """
    report = run_snippets(root=root, timeout=timeout, progress=progress, notify=notify,
                          page_notebook_ready=page_notebook_ready) if run_demos else None
    generation = Generation(report, site_pages(root, nav, report, file_url))
    folder = root / "docs" / GENERATED / SITE_PAGES
    for name, text in generation.pages.items():
        write_if_changed(folder / name, text.encode("utf-8"))
    return generation


def site_pages(root: Path, nav: list, report: Report | None, file_url) -> dict[str, str]:
    docs = root / "docs"
    pages = {question_bank.BANK_PAGE: question_bank.render(question_bank.collect(docs, nav))}
    guide = root / "CONTRIBUTING.md"
    if guide.is_file():  # on the site too, so the repository and the site say the same
        pages[contributing.PAGE] = contributing.render(guide.read_text(encoding="utf-8"), file_url)
    pages[BUILD_REPORT] = build_report.render(report.to_json() if report else None)
    return pages


def forge_file_url(repo_url: str | None, edit_uri: str | None) -> Callable[[str], str] | None:
    """Where the forge shows a repository file (edit_uri names the branch); None without an address."""
    if not repo_url:
        return None
    branch = (edit_uri or "edit/main/").strip("/").split("/")[1]
    return lambda path: f"{repo_url.rstrip('/')}/blob/{branch}/{path}"


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml's nav without MkDocs: tags such as !ENV or !!python/name are not needed."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def site_nav(root: Path) -> list:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags).get("nav") or []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-demos", action="store_true", help="keep the demo outputs in place; only write the pages")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds one demo may run")
    parser.add_argument("--json", action="store_true", help="print the runner's JSON report on stdout")
    args = parser.parse_args(argv)
    root = project_root()
    generation = generate(root, nav=site_nav(root), run_demos=not args.no_demos, timeout=args.timeout,
                          progress=sys.stderr.isatty())
    report = generation.report
    if report:
        for failure in report.failures:
            print(f"error: {failure.message}", file=sys.stderr)
        print(report.summary_line(), file=sys.stderr)
        if args.json:
            print(json.dumps(report.to_json(), indent=1))
    print(f"pages: {', '.join(sorted(generation.pages))} in docs/{GENERATED}/{SITE_PAGES}/", file=sys.stderr)
    return 1 if report and report.failures else 0
