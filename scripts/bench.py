"""Build-time benchmark: cold, warm and one-edit builds against a plain build.

    python scripts/bench.py [--repeat N] [--cold-repeat N]

Works on a copy of the project in a temporary folder (the working tree is never touched),
measures every variant in one run on the same machine, prints the medians and ratios,
and writes them to bench/results.json. Ratios, not absolute seconds, are what to compare:
this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "generated", "__pycache__", ".pytest_cache", "bench")


def build(copy: Path, cache: Path, plain: bool = False) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NN_NOTES_CACHE": str(cache)}
    env.pop("NN_NOTES_SKIP_RUNNER", None)
    if plain:
        env["NN_NOTES_SKIP_RUNNER"] = "1"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(copy / "site")],
                            cwd=copy, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm/plain/edit variant (median)")
    parser.add_argument("--cold-repeat", type=int, default=1, help="cold builds (each from empty caches)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nn-notes-bench-") as tmp:
        copy, cache = Path(tmp) / "project", Path(tmp) / "cache"
        shutil.copytree(ROOT, copy, ignore=SKIP)
        cold = []
        for _ in range(args.cold_repeat):
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(copy / ".cache", ignore_errors=True)  # mkdocs-jupyter's cache too
            shutil.rmtree(copy / "docs" / "generated", ignore_errors=True)
            cold.append(build(copy, cache))
        warm = [build(copy, cache) for _ in range(args.repeat)]
        plain = [build(copy, cache, plain=True) for _ in range(args.repeat)]
        edited = []
        target = sorted((copy / "snippets").rglob("*.py"))[0]
        original = target.read_text()
        for number in range(args.repeat):
            target.write_text(original + f"\n# benchmark edit {number}\n")
            edited.append(build(copy, cache))
        target.write_text(original)
    medians = {"cold_seconds": statistics.median(cold), "warm_seconds": statistics.median(warm),
               "plain_seconds": statistics.median(plain), "edit_seconds": statistics.median(edited)}
    results = {
        **{k: round(v, 3) for k, v in medians.items()},
        "warm_over_plain": round(medians["warm_seconds"] / medians["plain_seconds"], 3),
        "edit_over_plain": round(medians["edit_seconds"] / medians["plain_seconds"], 3),
        "cold_over_plain": round(medians["cold_seconds"] / medians["plain_seconds"], 3),
        "runs": {"cold": cold, "warm": warm, "plain": plain, "edit": edited},
        "edited_snippet": target.relative_to(copy).as_posix(),
        "cores": os.cpu_count(),
    }
    (ROOT / "bench").mkdir(exist_ok=True)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    for key in ("plain_seconds", "warm_seconds", "edit_seconds", "cold_seconds"):
        print(f"{key:>16}: {results[key]:8.2f} s")
    for key in ("warm_over_plain", "edit_over_plain", "cold_over_plain"):
        print(f"{key:>16}: {results[key]:8.3f}")
    print("target: warm_over_plain <= 1.15 ->", "met" if results["warm_over_plain"] <= 1.15 else "MISSED")


if __name__ == "__main__":
    main()
