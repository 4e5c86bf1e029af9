"""Content-addressed cache entries (verified before use) and atomic file writes."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

MANIFEST = "manifest.json"  # written last: an entry without it was never finished
SEAL = b"sha256:"  # first line of a sealed file: the digest of the rest


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sealed(data: bytes) -> bytes:
    """`data` behind a first line holding its digest, so that any edit or cut shows."""
    return SEAL + sha256(data).encode() + b"\n" + data


def unsealed(stored: bytes) -> bytes | None:
    """What `sealed` wrapped, or None when the file was edited, cut short or never sealed."""
    head, _, data = stored.partition(b"\n")
    if head != SEAL + sha256(data).encode():
        return None
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Readers (MkDocs, a browser) see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Only touch files whose bytes change, so `mkdocs serve` does not rebuild in a loop."""
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


class Cache:
    def __init__(self, directory: Path):
        self.directory = directory

    @contextlib.contextmanager
    def locked(self):
        """One run at a time per cache (a second `serve` or build waits, and says so); the
        holder removes staging folders that a killed run left behind."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"waiting for another run to finish with {self.directory} ...", file=sys.stderr)
                fcntl.flock(lock, fcntl.LOCK_EX)
            for stale in self.directory.glob("staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            yield self

    def staging(self) -> Path:
        """A fresh folder for a child to write a result into."""
        self.directory.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.directory, prefix="staging-"))

    def load(self, key: str) -> tuple[dict, dict[str, bytes]] | None:
        """The result and its files, or None when absent, partial or corrupt."""
        entry = self.directory / key
        try:
            manifest = json.loads((entry / MANIFEST).read_text())
            files = {name: (entry / name).read_bytes() for name in manifest}
        except (OSError, ValueError):
            return None
        if any(sha256(data) != manifest[name] for name, data in files.items()):
            return None
        try:
            return json.loads(files.pop("result.json")), files
        except (KeyError, ValueError):
            return None

    def store(self, key: str, staging: Path, names: list[str]) -> None:
        """Seal a finished staging folder as the entry for `key` (atomic rename)."""
        manifest = {name: sha256((staging / name).read_bytes()) for name in names}
        for extra in set(os.listdir(staging)) - set(names):
            (staging / extra).unlink()
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        entry = self.directory / key
        shutil.rmtree(entry, ignore_errors=True)  # a corrupt entry being replaced
        os.replace(staging, entry)

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)
