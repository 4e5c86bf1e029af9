"""What keeps a demo's side effects to itself: where it may write and read (Landlock),
how much memory it may map, and that no process it starts outlives it.

A demo is code from a pull request. Without this, one that writes `docs/assets/x.js` gets
the file published, and a background process it starts keeps running after the build.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import threading
from pathlib import Path

# Linux syscall numbers (the same on x86-64 and arm64) and Landlock's access rights.
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_CHILD_SUBREAPER = 38, 36
_EXECUTE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 2, 1 << 3
_READ = _EXECUTE | _READ_FILE | _READ_DIR
_FILE_RIGHTS = _EXECUTE | 1 << 1 | _READ_FILE | 1 << 14  # all a rule on a single file may hold
_ALL_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1}  # later ABIs: as 3 for files
DISABLE = "NN_NOTES_NO_LANDLOCK"  # set to 1 where Landlock misbehaves; the project guard remains

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """Landlock's ABI version, or 0 when the kernel lacks it (or it is disabled)."""
    if os.environ.get(DISABLE) == "1":
        return 0
    version = _libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def readable_outside(project: Path) -> list[Path]:
    """Every entry of the file system except the project: the siblings along the way down to it."""
    paths, here = [], Path("/")
    for part in project.resolve().parts[1:]:
        try:
            siblings = sorted(here.iterdir())
        except OSError:
            siblings = []
        paths += [p for p in siblings if p.name != part and not p.is_symlink()]
        here = here / part
    return paths


def contain(writable: list[Path], readable: list[Path]) -> bool:
    """Restrict this process and its future children for good. False when the kernel cannot."""
    abi = landlock_abi()
    if abi == 0:
        return False
    handled = _ALL_BY_ABI[min(abi, 3)]
    attr = _RulesetAttr(handled)
    ruleset = _libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
                            ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        for path, access in [*((p, _READ) for p in readable), *((p, handled) for p in writable)]:
            _allow(ruleset, path, access if path.is_dir() else access & _FILE_RIGHTS)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return _libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)


def _allow(ruleset: int, path: Path, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # gone since it was listed, or not ours to open: simply not allowed
    try:
        rule = _PathBeneath(access, fd)
        _libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                      ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(fd)


def limit_memory(megabytes: int) -> None:
    """Let the process map at most `megabytes` more than it has now (torch and matplotlib)."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def become_subreaper() -> None:
    """Orphans of anything this process starts become its children, not init's: findable."""
    _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def descendants(pid: int) -> list[int]:
    """Every living process below `pid`, found through /proc's children lists."""
    found, stack = [], [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                continue
            found += children
            stack += children
    return found


def kill_descendants(pid: int) -> None:
    """Stop, then kill, everything below `pid` (stopped first so none forks meanwhile)."""
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for _ in range(3):  # a process forked between listing and signalling is caught next round
            for child in descendants(pid):
                try:
                    os.kill(child, sig)
                except ProcessLookupError:
                    pass


def exit_with(pid: int) -> None:
    """Die, with everything below, when process `pid` (the build) ends, even by SIGKILL."""
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return

    def watch() -> None:
        import select

        select.select([pidfd], [], [])
        kill_descendants(os.getpid())
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()
