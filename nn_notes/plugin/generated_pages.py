"""Pages made from the others: the question bank, the contributing guide, the build report."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

from nn_notes.pages import build_report, contributing, question_bank
from nn_notes.plugin.demos import project_root, repo_file_url


class GeneratedPages:
    def on_files(self, files, config, report: dict | None) -> None:
        pages = question_bank.collect(Path(config["docs_dir"]), config["nav"])
        files.append(File.generated(config, question_bank.BANK_PAGE, content=question_bank.render(pages)))
        guide = project_root(config) / "CONTRIBUTING.md"
        if guide.is_file():  # on the site too, so the repository and the site say the same
            file_url = (lambda path: repo_file_url(config, path)) if config.get("repo_url") else None
            text = contributing.render(guide.read_text(encoding="utf-8"), file_url)
            files.append(File.generated(config, contributing.PAGE, content=text))
        files.append(File.generated(config, "build-report.md", content=build_report.render(report)))
