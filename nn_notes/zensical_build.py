"""The second build: the same site with Zensical, into site-zensical/ (`make zensical`).

MkDocs with Material for MkDocs is the primary build. Zensical, Material's successor from
the same team, reads MkDocs-style configuration but runs no MkDocs plugin, so this module
does what the nn-notes plugin would have done: it checks the pages and runs the generation
step, stages a project under
.cache/zensical/ (docs/ with the generated pages at their site paths, GLightbox's own files,
our templates that both engines render, and zensical-site/'s GLightbox template and math
script), writes its zensical.yml from
mkdocs.yml, and builds it. site-zensical/ is replaced only by a build that succeeded; a
failed one removes it, as it would no longer match the sources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from nn_notes import checks
from nn_notes.content import project_root
from nn_notes.generate import forge_file_url, generate, site_nav

STAGE = Path(".cache") / "zensical"
SITE = "site-zensical"
ZENSICAL_FILES = "zensical-site"  # main.html (GLightbox) and typeset-math.js, Zensical only
# Our templates that are Material's markup, which Zensical's theme script does not drive: with
# them its search button disappears and the header shows an unstyled form.
MATERIAL_ONLY_TEMPLATES = ("partials/search.html", "partials/progress.html")
KATEX = "assets/vendor/katex"
MATH_SCRIPT = "assets/javascripts/typeset-math.js"
GLIGHTBOX = "assets/vendor/glightbox"
MKDOCS_ONLY_PLUGINS = {"nn-notes", "mkdocs-jupyter"}  # Zensical would drop them without a word


class ZensicalError(RuntimeError):
    """The Zensical build failed; the message carries its output."""


class _ResolvingLoader(yaml.SafeLoader):
    """mkdocs.yml as Zensical should see it: `!ENV` resolved now, `!!python/name:` as a dotted name."""


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    variables, fallback = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    value = next((os.environ[name] for name in variables if name in os.environ), None)
    return fallback if value is None else yaml.safe_load(value)


_ResolvingLoader.add_constructor("!ENV", _env)
_ResolvingLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def zensical_config(mkdocs: dict) -> dict:
    """mkdocs.yml, with what only MkDocs runs taken out and Zensical's replacements put in."""
    config = {key: value for key, value in mkdocs.items() if key not in ("hooks", "INHERIT")}
    config["site_dir"] = "site"
    # The browser typesets the math here, so KaTeX's script is published, not excluded.
    config["exclude_docs"] = "".join(line + "\n" for line in mkdocs.get("exclude_docs", "").splitlines()
                                     if "katex" not in line)
    config["theme"] = {**mkdocs["theme"], "custom_dir": "overrides"}
    config["plugins"] = [entry for entry in mkdocs.get("plugins", [])
                         if (entry if isinstance(entry, str) else next(iter(entry))) not in MKDOCS_ONLY_PLUGINS]
    config["extra_css"] = [*mkdocs.get("extra_css", []), f"{KATEX}/katex.min.css"]
    config["extra_javascript"] = [*mkdocs.get("extra_javascript", []), f"{KATEX}/katex.min.js", MATH_SCRIPT]
    return config


def stage_project(root: Path, pages: dict[str, str]) -> Path:
    """A project Zensical can build: it wants config, docs and site inside one folder."""
    stage = root / STAGE
    for name in ("docs", "overrides", "site"):
        shutil.rmtree(stage / name, ignore_errors=True)
    shutil.copytree(root / "docs", stage / "docs")
    for name, text in pages.items():  # the generated pages, where the MkDocs plugin puts them
        (stage / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copytree(root / "overrides", stage / "overrides")
    for name in MATERIAL_ONLY_TEMPLATES:
        (stage / "overrides" / name).unlink()
    shutil.copy(root / ZENSICAL_FILES / "main.html", stage / "overrides" / "main.html")
    shutil.copy(root / ZENSICAL_FILES / "typeset-math.js", stage / "docs" / MATH_SCRIPT)
    import mkdocs_glightbox  # its files, so Zensical's theme does not fetch them from unpkg.com

    glightbox = Path(mkdocs_glightbox.__file__).parent / "glightbox"
    (stage / "docs" / GLIGHTBOX).mkdir(parents=True, exist_ok=True)
    for name in ("glightbox.min.js", "glightbox.min.css"):
        shutil.copy(glightbox / name, stage / "docs" / GLIGHTBOX / name)
    mkdocs = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ResolvingLoader)
    (stage / "zensical.yml").write_text("# Generated from mkdocs.yml by nn_notes/zensical_build.py\n"
                                        + yaml.safe_dump(zensical_config(mkdocs), sort_keys=False), encoding="utf-8")
    return stage


def build(root: Path, site: Path | None = None, run_demos: bool = True) -> Path:
    """Generate, stage, build with Zensical; the finished site replaces `site` (site-zensical/)."""
    target = site or root / SITE
    problems = checks.check_pages(root / "docs", root / "snippets")
    if problems:  # the same checks as the MkDocs build, named by page and line
        shutil.rmtree(target, ignore_errors=True)
        raise ZensicalError(f"{len(problems)} problem(s) in the pages:\n" + "\n".join(problems))
    mkdocs = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ResolvingLoader)
    generation = generate(root, nav=site_nav(root), run_demos=run_demos, progress=sys.stderr.isatty(),
                          file_url=forge_file_url(mkdocs.get("repo_url"), mkdocs.get("edit_uri")))
    if generation.report and generation.report.failures:
        shutil.rmtree(target, ignore_errors=True)
        raise ZensicalError("\n".join(f.message for f in generation.report.failures))
    stage = stage_project(root, generation.pages)
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run([str(zensical), "build", "--clean", "-f", "zensical.yml"], cwd=stage,
                            capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    # As strict as the MkDocs build: a warning (a broken link, a missing page) fails it too.
    warnings = [line for line in output.splitlines() if line.lstrip().lower().startswith("warning")]
    if result.returncode != 0 or warnings or not (stage / "site" / "index.html").is_file():
        shutil.rmtree(target, ignore_errors=True)  # an older build would now be stale
        raise ZensicalError(f"zensical build failed (exit status {result.returncode}), {target.name}/ removed:\n"
                            f"{output}")
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(stage / "site", target)
    return target


def main() -> int:
    root = project_root()
    try:
        site = build(root)
    except ZensicalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"built {site.relative_to(root) if site.is_relative_to(root) else site}", file=sys.stderr)
    return 0
