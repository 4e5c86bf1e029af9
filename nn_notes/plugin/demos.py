"""The demos on the pages: checked, run before each build, linked to their sources.

`mkdocs build` fails on a failing demo or an embed of a missing one, naming file and line;
`mkdocs serve` keeps serving and shows the error on the page in place of the demo.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

from nn_notes import checks
from nn_notes.content import EMBED, GENERATED, missing_demo
from nn_notes.generate import Generation, forge_file_url, generate
from nn_notes.plugin import serve_watch
from nn_notes.runner.render import page_notebook_name

log = logging.getLogger("mkdocs.plugins.nn_notes")
# Under serve a failure is reported outside MkDocs' logger: strict mode would otherwise
# abort the rebuild and keep the stale page instead of showing the error on it.
serve_log = logging.getLogger("nn_notes.snippets")
DOWNLOAD_LINK = re.compile(rf'<a download="" href="[^"]*{GENERATED}/(?P<name>[\w/]+)\.ipynb">.*?</a>')


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def file_url(config):
    """Where the forge shows a repository file, from the build's repo_url (None without one)."""
    return forge_file_url(config.get("repo_url"), config.get("edit_uri"))


class Demos:
    def __init__(self):
        self.generation = Generation(None)  # the last generation step: the runner's report, the pages

    def on_pre_build(self, config, options, command: str, page_notebook_ready: Callable[[Path], None] | None):
        self.check_pages(config, command)
        self.generate(config, options, command, page_notebook_ready)

    def check_pages(self, config, command: str) -> None:
        """Bad front matter and embeds of missing demos, named by page and line before anything
        runs: a build stops, serve logs them and shows each missing demo as an error box."""
        problems = checks.check_pages(Path(config["docs_dir"]), project_root(config) / "snippets")
        if not problems:
            return
        message = f"{len(problems)} problem(s) in the pages:\n" + "\n".join(problems)
        if command == "serve":
            serve_log.error(message)
        else:
            raise PluginError(message)

    def generate(self, config, options, command: str, page_notebook_ready) -> None:
        """The generation step (nn_notes.generate): the demos' outputs and the generated pages."""
        terminal = sys.stderr.isatty()
        self.generation = generate(
            project_root(config), nav=config["nav"], run_demos=options.run_demos, file_url=file_url(config),
            timeout=options.serve_timeout if command == "serve" else options.timeout, progress=terminal,
            notify=None if terminal else log.info, page_notebook_ready=page_notebook_ready)
        report = self.generation.report
        if report is None:
            return
        log.info(report.summary_line())
        if not report.failures:
            return
        messages = "\n".join(failure.message for failure in report.failures)
        if command == "serve":
            serve_log.error("%d snippet(s) failed; their pages show the error:\n%s", len(report.failures), messages)
        else:
            raise PluginError(f"{len(report.failures)} snippet(s) failed:\n{messages}")

    def on_page_markdown(self, markdown: str, page, config, command: str) -> str:
        """Check every embed (naming the page and line), and link the page's demo notebook."""
        docs = Path(config["docs_dir"])
        lines = markdown.splitlines()
        embeds = 0
        for number, line in enumerate(lines, start=1):
            embed = EMBED.match(line)
            if embed and not (docs / GENERATED / f"{embed['name']}.md").is_file():
                # Numbered in the file (MkDocs has cut the front matter off `markdown`).
                where = f"docs/{page.file.src_uri}:{checks.embed_line(Path(page.file.abs_src_path), embed['name'])}"
                problem = missing_demo(embed["name"])
                if command != "serve":
                    raise PluginError(f"{where}: {problem}")
                lines[number - 1] = (f'!!! failure "This demo is missing: `{where}`"\n\n'
                                     f"    {problem[0].upper() + problem[1:]}.\n")
                continue
            embeds += bool(embed)
        notebook = f"{GENERATED}/{page_notebook_name(page.file.src_uri)}"
        title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        if embeds and title is not None and (docs / notebook).is_file():
            lines.insert(title + 1, f'\n<p class="nn-page-notebook" markdown="span">[:material-notebook-outline: '
                                    f"All {embeds} demos of this page as one notebook, with outputs](/{notebook})</p>")
        return "\n".join(lines) + "\n"

    def on_page_content(self, html: str, config) -> str:
        """Each demo links its source file in the repository (when the build knows it)."""
        if not config.get("repo_url"):
            return html
        return DOWNLOAD_LINK.sub(lambda match: self.view_source_link(match, config), html)

    @staticmethod
    def view_source_link(match, config) -> str:
        url = file_url(config)(f"snippets/{match['name']}.py")
        return f'{match[0]} · <a href="{url}">view source</a>'

    def on_serve(self, server, config) -> None:
        server.watch(str(project_root(config) / "snippets"))
        serve_watch.watch_docs_without_generated(server, config["docs_dir"])  # one rebuild per edit
