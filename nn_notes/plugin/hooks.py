"""MkDocs hook: check the pages' sources (nn_notes.checks), run the snippets before every build,
watch them under `mkdocs serve` (docs/ without the runner's output: serve_watch), and add
the question bank.
It also renders notebook pages in the background (notebook_prerender), reuses unchanged
pages' HTML (page_cache), has search index each page without its demos, trims notebook
pages (page_html) and typesets math at build time (math_render).

`mkdocs build` fails on a failing snippet; `mkdocs serve` keeps serving and the page shows
the error in place of the demo. NN_NOTES_SKIP_RUNNER=1 builds with the outputs already in
docs/generated, NN_NOTES_PAGE_CACHE=off converts every page (the benchmark's "plain" build).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from nn_notes import checks
from nn_notes.content import EMBED, GENERATED, embeds, missing_demo
from nn_notes.pages import build_report, contributing, question_bank
from nn_notes.plugin import math_render, notebook_prerender, page_cache, page_html, serve_watch
from nn_notes.runner.render import page_notebook_name
from nn_notes.runner.runner import DEFAULT_TIMEOUT, run_snippets

log = logging.getLogger("mkdocs.hooks.snippets")
DOWNLOAD_LINK = re.compile(r'<a download="" href="[^"]*generated/(?P<name>[\w/]+)\.ipynb">.*?</a>')
# The fixed parts of every question (CONTRIBUTING.md). Without an id they stay headings for
# screen readers but do not split the search index: a hit then names its question, not
# "Explanation" or "See it run".
PART_HEADING = re.compile(
    r'<h3 id="[^"]*">(?P<title>Explanation|See it run|Follow-ups|Pitfalls|Further reading)'
    r'<a class="headerlink" href="#[^"]*" title="[^"]*">[^<]*</a></h3>')
# Under serve a failure is reported outside MkDocs' logger: strict mode would otherwise
# abort the rebuild and keep the stale page instead of showing the error on it.
serve_log = logging.getLogger("nn_notes.snippets")
SERVE_TIMEOUT = 30.0  # seconds per demo under serve (NN_NOTES_SERVE_TIMEOUT); a build allows DEFAULT_TIMEOUT
KATEX = "assets/vendor/katex"  # vendored KaTeX: its script runs at build time, CSS and fonts ship
_command = "build"
_last_report: dict | None = None
_full_content: dict[str, str] = {}  # page src_uri -> HTML with its demos, while search indexes
_prerenderer: notebook_prerender.Prerenderer | None = None
_page_cache: page_cache.PageCache | None = None
_formulas: math_render.FormulaCache | None = None


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config):
    global _page_cache, _formulas
    if not config.get("repo_url"):  # a local build: no forge, so no edit links (MkDocs would warn)
        config["edit_uri"] = None
    if logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG:  # not --verbose
        # mkdocs-jupyter logs INFO lines per notebook (cache hit, copied; converting, under serve).
        for name in ("mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter"):
            logging.getLogger(name).setLevel(logging.WARNING)
    # NN_NOTES_PAGE_CACHE=off: every page converted from Markdown and its math typeset (the
    # benchmark's "plain" build, and its competitors: markdown-exec runs its blocks while a
    # page converts).
    _page_cache = _formulas = None
    if os.environ.get("NN_NOTES_PAGE_CACHE", "on") != "off":
        cache = project_root(config) / ".cache"
        _page_cache = page_cache.PageCache(cache / "pages", config)
        _formulas = math_render.FormulaCache(cache / "math.json", Path(config["docs_dir"]) / KATEX / "katex.min.js")
    return config


def on_pre_build(config) -> None:
    global _prerenderer
    check_pages(config)
    jupyter = config.plugins.get("mkdocs-jupyter")
    # Notebook pages render in the background from the moment their demos are done, while
    # other demos run and MkDocs builds the pages (only under build: see Prerenderer).
    _prerenderer = notebook_prerender.Prerenderer.for_plugin(jupyter) if jupyter and _command == "build" else None
    run_snippets_or_fail(config, _prerenderer.submit if _prerenderer else None)
    if _prerenderer:  # the rest: demos that were all cached, or a build without the runner
        for notebook in sorted((Path(config["docs_dir"]) / GENERATED).rglob("*.ipynb")):
            _prerenderer.submit(notebook)


def serve_timeout() -> float:
    """Under serve a demo that hangs holds up every page: it is cut off sooner than in a build."""
    return float(os.environ.get("NN_NOTES_SERVE_TIMEOUT") or SERVE_TIMEOUT)


def check_pages(config) -> None:
    """Bad front matter and embeds of missing demos, named by page and line before anything
    runs: a build stops, serve logs them and shows each missing demo as an error box."""
    problems = checks.check_pages(Path(config["docs_dir"]), project_root(config) / "snippets")
    if not problems:
        return
    message = f"{len(problems)} problem(s) in the pages:\n" + "\n".join(problems)
    if _command == "serve":
        serve_log.error(message)
    else:
        raise PluginError(message)


def run_snippets_or_fail(config, page_notebook_ready=None) -> None:
    global _last_report
    if os.environ.get("NN_NOTES_SKIP_RUNNER"):
        _last_report = None
        return
    terminal = sys.stderr.isatty()
    report = run_snippets(root=project_root(config), progress=terminal, notify=None if terminal else log.info,
                          timeout=serve_timeout() if _command == "serve" else DEFAULT_TIMEOUT,
                          page_notebook_ready=page_notebook_ready)
    _last_report = report.to_json()
    log.info(report.summary_line())
    if not report.failures:
        return
    messages = "\n".join(failure.message for failure in report.failures)
    if _command == "serve":
        serve_log.error("%d snippet(s) failed; their pages show the error:\n%s", len(report.failures), messages)
    else:
        raise PluginError(f"{len(report.failures)} snippet(s) failed:\n{messages}")


def on_files(files, config):
    """Add the question bank (from the pages' own headings and front matter) and the
    contributing guide (from CONTRIBUTING.md, so the repository and the site say the same)."""
    pages = question_bank.collect(Path(config["docs_dir"]), config["nav"])
    files.append(File.generated(config, question_bank.BANK_PAGE, content=question_bank.render(pages)))
    if (project_root(config) / "CONTRIBUTING.md").is_file():
        files.append(File.generated(config, contributing.PAGE, content=contributing_page(config)))
    files.append(File.generated(config, "build-report.md", content=build_report.render(_last_report)))
    if _page_cache:
        _page_cache.start_build(files)
    return notebooks_last(files)


def notebooks_last(files):
    """MkDocs reads pages in this order: the notebook pages, still rendering in the
    background, are read after every other page."""
    notebooks = [file for file in files.documentation_pages() if file.src_uri.endswith(".ipynb")]
    for file in notebooks:
        files.remove(file)
        files.append(file)
    return files


def on_env(env, config, files):
    if _page_cache:  # the theme's templates compiled once, not every build (0.15 s); Jinja
        # checks each template's source against its checksum before it reuses the code
        directory = project_root(config) / ".cache" / "jinja"
        directory.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(directory))
    return env


def on_pre_page(page, config, files):
    if _page_cache and page.file.src_uri.endswith(".md"):
        _page_cache.install(page)
    if _prerenderer and page.file.src_uri.endswith(".ipynb"):
        try:
            _prerenderer.wait(Path(page.file.abs_src_path))
        except Exception as error:
            raise PluginError(f"docs/{page.file.src_uri}: rendering this notebook page failed: {error}") from error
    return page


def on_post_build(config) -> None:
    if _formulas:
        _formulas.save()
    if _page_cache:
        _page_cache.finish_build()
        if _page_cache.hits:
            log.info(f"Markdown pages: {_page_cache.hits} unchanged ones taken from the page cache, "
                     f"{_page_cache.misses} converted")
    if _prerenderer and _prerenderer.rendered:
        how = "alongside the demos " if _prerenderer.rendered > 1 else ""
        log.info(f"notebook pages: rendered {_prerenderer.rendered} {how}into mkdocs-jupyter's cache")
    close_prerenderer()


def on_build_error(error) -> None:
    close_prerenderer(cancel=True)


def close_prerenderer(cancel: bool = False) -> None:
    global _prerenderer
    if _prerenderer:
        _prerenderer.close(cancel)
        _prerenderer = None


def repo_file_url(config, path: str) -> str:
    """Where a file of the repository is shown on the forge (edit_uri names the branch)."""
    branch = (config.get("edit_uri") or "edit/main/").strip("/").split("/")[1]
    return f"{config['repo_url'].rstrip('/')}/blob/{branch}/{path}"


def view_source_link(match, config) -> str:
    url = repo_file_url(config, f"snippets/{match['name']}.py")
    return f'{match[0]} · <a href="{url}">view source</a>'


def contributing_page(config) -> str:
    text = (project_root(config) / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return contributing.render(text, (lambda path: repo_file_url(config, path)) if config.get("repo_url") else None)


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.startswith(f"{GENERATED}/"):
        page.meta["search"] = {"exclude": True}  # notebooks repeat the demos their pages show
        return lean_notebook_page(html, page, config)
    html = PART_HEADING.sub(r'<h3 class="nn-part">\g<title></h3>', html)
    if config.get("repo_url"):  # each demo links its source file in the repository
        html = DOWNLOAD_LINK.sub(lambda m: view_source_link(m, config), html)
    # Search indexes the page without its demos: it should find the prose, not each demo's
    # code and output (they were most of the index, and code comments outranked answers),
    # and parsing their highlighted code only to skip it was a quarter of a plain build.
    _full_content[page.file.src_uri] = html
    return page_html.without_demos(html)


def lean_notebook_page(html: str, page, config) -> str:
    """The notebook page without JupyterLab's weight, its figures from the published files."""
    docs = Path(config["docs_dir"])
    source = page.file.src_uri.removeprefix(f"{GENERATED}/pages/").removesuffix(".ipynb") + ".md"
    figures = []
    for _, name in embeds((docs / source).read_text(encoding="utf-8")):
        fragment = (docs / GENERATED / f"{name}.md").read_text(encoding="utf-8")
        figures += [(alt, get_relative_url(path.lstrip("/"), page.url), scheme)
                    for alt, path, scheme in page_html.fragment_figures(fragment)]
    try:
        return page_html.lean_notebook(html, figures)
    except page_html.MalformedHTML as error:
        raise PluginError(f"docs/{page.file.src_uri} (the notebook of docs/{source}): {error}") from None


@event_priority(-100)  # after the search plugin has indexed the page (with its TeX source)
def on_page_context(context, page, config, nav):
    if page.file.src_uri in _full_content:
        page.content = _full_content.pop(page.file.src_uri)
    if page.content and 'class="arithmatex"' in page.content:
        page.content = typeset_math(page, config)
    return context


def typeset_math(page, config) -> str:
    """The page's math as KaTeX HTML, with KaTeX's CSS inline (only pages with math carry it:
    4 KB gzipped, where a stylesheet link cost a render-blocking round trip on a phone)."""
    try:
        rendered = math_render.typeset(page.content, Path(config["docs_dir"]) / KATEX / "katex.min.js", _formulas)
    except math_render.MathError as error:
        line = math_render.source_line(Path(page.file.abs_src_path).read_text(encoding="utf-8"), error.tex)
        where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
        raise PluginError(f"{where}: the math `{error.tex}` does not render: {error}") from None
    fonts = get_relative_url(f"{KATEX}/fonts/", page.url)
    return f"<style>{math_render.inline_css(Path(config['docs_dir']) / KATEX / 'katex.min.css', fonts)}</style>\n{rendered}"


def on_post_page(output: str, page, config) -> str:
    return page_html.lightbox_script_to_its_init(output)


def on_serve(server, config, builder):
    server.watch(str(project_root(config) / "snippets"))
    serve_watch.watch_docs_without_generated(server, config["docs_dir"])  # one rebuild per edit
    return server


def on_page_markdown(markdown: str, page, config, files) -> str:
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
            if _command != "serve":
                raise PluginError(f"{where}: {problem}")
            lines[number - 1] = f'!!! failure "This demo is missing: `{where}`"\n\n    {problem[0].upper() + problem[1:]}.\n'
            continue
        embeds += bool(embed)
    notebook = f"{GENERATED}/{page_notebook_name(page.file.src_uri)}"
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if embeds and title is not None and (docs / notebook).is_file():
        lines.insert(title + 1, f'\n<p class="nn-page-notebook" markdown="span">[:material-notebook-outline: '
                                f"All {embeds} demos of this page as one notebook, with outputs](/{notebook})</p>")
    return "\n".join(lines) + "\n"
