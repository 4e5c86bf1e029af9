"""How long the test suite takes compared with one cold build, measured in one run.

Makes two fresh clones of one commit and, one after the other on this machine:
  1. the quick check (`make check`) in the first clone;
  2. a cold `mkdocs build --strict` of the first clone (no cache, no generated outputs);
  3. `make test` in the second clone (cold too: it builds the site itself).
Then prints the ratio test / build (target: at most 3), the browser tests' cost per page
and colour scheme (target: at most 1 s) and the quick check's time (target: at most 30 s).

Both clones use this interpreter's environment (their `.venv` links to it, and make is
told the install step is done), so the times are the project's, not pip's.

    python scripts/test_timing.py [--commit HEAD] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from nn_notes.content import project_root

TARGETS = {"ratio": 3.0, "browser_per_page_scheme": 1.0, "quick_check": 30.0}
INSTALLED = [".venv/.site-installed", ".venv/.dev-installed"]  # make's install markers


def clone(root: Path, commit: str, into: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(root), str(into)], check=True)
    subprocess.run(["git", "checkout", "--quiet", "--detach", commit], cwd=into, check=True)
    (into / ".venv").symlink_to(Path(sys.prefix))
    return into


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NN_NOTES_") and k != "PYTEST_ADDOPTS"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def make(target: str) -> list[str]:
    """`make <target>` with the install steps marked done (see the module docstring)."""
    return ["make", "--no-print-directory", *(f"--old-file={m}" for m in INSTALLED), target]


def timed(command: list[str], where: Path, env: dict[str, str], log: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with log.open("w") as output:
        code = subprocess.run(command, cwd=where, env=env, stdout=output, stderr=subprocess.STDOUT).returncode
    return time.perf_counter() - started, code


def site_build_seconds(root: ElementTree.Element) -> float:
    """The suite's one build of the real site, as conftest's built_site recorded it."""
    return next((float(p.get("value")) for p in root.iter("property") if p.get("name") == "site_build_s"), 0.0)


def browser_seconds(junit: Path) -> float:
    """Time the browser tests took, from pytest's JUnit report, without the site build that
    pytest counts in the first test to use the built site (conftest records how long it took)."""
    root = ElementTree.parse(junit).getroot()
    cases = [case for case in root.iter("testcase") if "test_browser" in case.get("classname", "")]
    total = sum(float(case.get("time", 0)) for case in cases)
    build = site_build_seconds(root)
    # test_browser.py sorts before the other modules that use the site, so its first test builds it
    builds_in_browser = bool(cases) and float(cases[0].get("time", 0)) >= build
    return total - build if builds_in_browser else total


def slowest(junit: Path, count: int = 12) -> list[tuple[float, str]]:
    """The slowest tests, the profile that says where the suite's time goes."""
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    timed_cases = [(float(c.get("time", 0)), f"{c.get('classname')}::{c.get('name')}") for c in cases]
    return sorted(timed_cases, reverse=True)[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", default="HEAD", help="the commit to time (default: HEAD)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    root = project_root()
    commit = subprocess.run(["git", "rev-parse", args.commit], cwd=root, capture_output=True, text=True,
                            check=True).stdout.strip()
    env = clean_env()
    with tempfile.TemporaryDirectory(prefix="test-timing-") as scratch:
        scratch = Path(scratch)
        build_clone, test_clone = clone(root, commit, scratch / "build"), clone(root, commit, scratch / "test")
        check_s, check_code = timed(make("check"), build_clone, env, scratch / "check.log")
        build_s, build_code = timed([sys.executable, "-m", "mkdocs", "build", "--strict"], build_clone, env,
                                    scratch / "build.log")
        pages = len(list((build_clone / "site").rglob("index.html")))
        junit = scratch / "junit.xml"
        test_env = {**env, "PYTEST_ADDOPTS": f"--junitxml={junit}"}
        test_s, test_code = timed(make("test"), test_clone, test_env, scratch / "test.log")
        browser_s = browser_seconds(junit) if junit.is_file() else float("nan")
        suite_build_s = site_build_seconds(ElementTree.parse(junit).getroot()) if junit.is_file() else float("nan")
        profile = slowest(junit) if junit.is_file() else []
        for name, code in (("check", check_code), ("build", build_code), ("test", test_code)):
            if code:
                print(f"{name} failed (exit {code}); the last lines of its output:", file=sys.stderr)
                print("".join((scratch / f"{name}.log").read_text().splitlines(True)[-30:]), file=sys.stderr)
    results = {
        "commit": commit, "cpus": os.cpu_count(), "pages": pages,
        "cold_build_s": round(build_s, 1), "make_test_s": round(test_s, 1), "ratio": round(test_s / build_s, 2),
        "suite_site_build_s": round(suite_build_s, 1), "browser_s": round(browser_s, 1), "browser_per_page_scheme": round(browser_s / (2 * pages), 2) if pages else None,
        "quick_check": round(check_s, 1), "exit_codes": {"check": check_code, "build": build_code, "test": test_code},
    }
    print(f"commit {commit[:10]} on {results['cpus']} CPUs, {pages} pages")
    print(f"cold strict build   {results['cold_build_s']:8.1f} s")
    print(f"make test           {results['make_test_s']:8.1f} s   ratio {results['ratio']:.2f} (target <= 3)")
    print(f"  of which its build  {results['suite_site_build_s']:6.1f} s   (the suite's one build of the real site)")
    print(f"browser tests       {results['browser_s']:8.1f} s   {results['browser_per_page_scheme']} s per page "
          "and scheme (target <= 1)")
    print(f"quick check         {results['quick_check']:8.1f} s   (target <= 30)")
    print("slowest tests:")
    for seconds, name in profile:
        print(f"  {seconds:7.1f} s  {name}")
    results["slowest"] = [[round(seconds, 1), name] for seconds, name in profile]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 1 if any(results["exit_codes"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
