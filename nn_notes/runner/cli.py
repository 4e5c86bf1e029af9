"""Run the demo snippets and publish their outputs into docs/generated.

    python scripts/run_snippets.py [NAME ...] [--force] [--jobs N] [--timeout SECONDS] [--json]

NAME selects snippets whose path contains it. Exit status 1 when any snippet fails.
The MkDocs plugin (nn_notes/plugin/demos.py) calls `run_snippets()` before every build.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nn_notes.content import project_root
from nn_notes.runner.runner import DEFAULT_TIMEOUT, run_snippets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="run only snippets whose path contains NAME")
    parser.add_argument("--force", action="store_true", help="ignore the cache and run everything selected")
    parser.add_argument("--jobs", type=int, default=None, help="parallel workers (default: number of cores)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds one snippet may run")
    parser.add_argument("--json", action="store_true", help="print a JSON report on stdout")
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)  # tests: another project
    args = parser.parse_args(argv)
    report = run_snippets(args.names or None, root=args.root or project_root(), force=args.force, jobs=args.jobs, timeout=args.timeout,
                          progress=sys.stderr.isatty())
    for failure in report.failures:
        print(f"error: {failure.message}", file=sys.stderr)
    print(report.summary_line(), file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=1))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
