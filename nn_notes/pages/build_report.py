"""The "Build report" page: what each demo cost in the last build, slowest first."""

from __future__ import annotations


def render(report: dict | None) -> str:
    out = [
        "---",
        "title: Build report",
        "description: Wall time, CPU time, peak memory and cache status of every demo in the build that made this site.",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Build report",
        "",
    ]
    if not report:
        return "\n".join(out + ["This build ran without the snippet runner, so there are no timings.", ""])
    rows = sorted(report["snippets"], key=lambda s: -(s.get("cpu_seconds") or 0))
    total_cpu = sum(s.get("cpu_seconds") or 0 for s in rows)
    counts = {status: sum(s["status"] == status for s in rows) for status in ("ran", "cached", "failed")}
    out += [
        f"{len(rows)} demos: {counts['ran']} ran in this build, {counts['cached']} came from the cache, "
        f"{counts['failed']} failed. The runner took {report['seconds']:.1f} s; the demos' own CPU time adds up "
        f"to {total_cpu:.1f} s. CPU time and peak memory are those of the run that produced the cached "
        "result; keep a new demo to a few seconds of CPU.",
        "",
        "| demo | status | CPU (s) | demo wall (s) | peak memory (MB) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [f"`{row['path']}`", row["status"], _number(row.get("cpu_seconds"), 2),
                 _number(row.get("snippet_wall_seconds"), 2), _number(row.get("peak_rss_mb"), 0)]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _number(value, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"
