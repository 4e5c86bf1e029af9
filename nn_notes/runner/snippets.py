"""Finding snippets, splitting them into cells, and keying them for the cache."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import platform
import re
from dataclasses import dataclass
from pathlib import Path

from nn_notes.content import snippet_files, snippet_name

PACKAGE_DIR = Path(__file__).resolve().parent
CELL_MARKER = re.compile(r"^# %%(?P<title>.*)$")
# The modules whose code runs a demo or shapes its result (this one splits the cells).
EXECUTION_MODULES = ("child.py", "figures.py", "sandbox.py", "snippets.py", "worker.py")
# Versions that change what a snippet prints or draws; read without importing torch.
VERSIONED_PACKAGES = ("torch", "numpy", "matplotlib")


@dataclass(frozen=True)
class Cell:
    line: int  # 1-based line of the cell's first source line in the snippet file
    title: str
    source: str


@dataclass(frozen=True)
class Snippet:
    path: Path  # absolute
    root: Path  # project root; paths in messages and outputs are relative to it

    @property
    def rel(self) -> str:
        """`snippets/topic/name.py`: how errors and pages name the file."""
        return self.path.relative_to(self.root).as_posix()

    @property
    def name(self) -> str:
        """`topic/name`: the file's path below snippets/ without `.py`."""
        return snippet_name(self.root, self.path)


def discover(root: Path, selectors: list[str] | None = None) -> list[Snippet]:
    """Every demo below root/snippets (content.snippet_files), or those whose path has a selector."""
    found = [Snippet(p, root) for p in snippet_files(root)]
    if selectors:
        found = [s for s in found if any(sel in s.rel for sel in selectors)]
    return found


def split_cells(source: str) -> list[Cell]:
    """Split at `# %%` lines (jupytext percent format); text before the first marker is a cell."""
    cells, title, start, lines = [], "", 1, []

    def close():
        while lines and not lines[-1].strip():
            lines.pop()
        first = next((i for i, text in enumerate(lines) if text.strip()), None)
        if first is not None:
            cells.append(Cell(start + first, title, "\n".join(lines[first:]) + "\n"))

    for number, text in enumerate(source.splitlines(), start=1):
        marker = CELL_MARKER.match(text)
        if marker:
            close()
            title, start, lines = marker["title"].strip(), number + 1, []
        else:
            lines.append(text)
    close()
    return cells


def local_imports(path: Path, search: list[Path], seen: set[Path] | None = None) -> list[Path]:
    """Project files a snippet imports, directly or through each other (for the cache key)."""
    seen = set() if seen is None else seen
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:
        return []  # the run itself reports the syntax error with its line
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    found = []
    for name in sorted(names):
        parts = name.split(".")
        for base in search:
            for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
                if candidate.is_file() and candidate not in seen:
                    seen.add(candidate)
                    found.append(candidate)
                    found.extend(local_imports(candidate, search, seen))
    return found


def environment_fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """What shapes a demo's result besides its own files: the modules that execute it and
    the versions of Python and the pinned packages. Not how a result is rendered or
    published (render.py, publish.py): a change there republishes without re-running."""
    digest = hashlib.sha256()
    for name in EXECUTION_MODULES:
        digest.update(name.encode() + b"\0" + (package_dir / name).read_bytes())
    digest.update(platform.python_version().encode())
    for package in VERSIONED_PACKAGES:
        try:
            digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()


def cache_key(snippet: Snippet, fingerprint: str) -> str:
    """Content address of a snippet's result: its bytes, its local imports, the data files
    beside it (the only project files it may read), the environment."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(snippet.rel.encode() + b"\0" + snippet.path.read_bytes())
    helpers = local_imports(snippet.path, [snippet.path.parent])  # importable: its own folder (worker)
    for dependency in [*helpers, *data_files(snippet.path.parent)]:
        digest.update(dependency.relative_to(snippet.root).as_posix().encode() + b"\0" + dependency.read_bytes())
    return digest.hexdigest()[:32]


def data_files(folder: Path) -> list[Path]:
    """Files in a snippet's folder that are not Python: data a demo may read."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".py"
                  and "__pycache__" not in p.parts and not p.name.startswith("."))
