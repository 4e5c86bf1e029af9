"""The build report page lists every demo, slowest first."""

from nn_notes.pages.build_report import render


def test_rows_are_sorted_by_cpu_time_and_counted():
    report = {"seconds": 3.2, "snippets": [
        {"path": "snippets/a/fast.py", "status": "cached", "cpu_seconds": 0.1, "snippet_wall_seconds": 0.2,
         "peak_rss_mb": 300.0},
        {"path": "snippets/a/slow.py", "status": "ran", "cpu_seconds": 2.5, "snippet_wall_seconds": 3.0,
         "peak_rss_mb": 310.0},
        {"path": "snippets/a/broken.py", "status": "failed", "cpu_seconds": None, "snippet_wall_seconds": None,
         "peak_rss_mb": None},
    ]}
    page = render(report)
    rows = [line for line in page.splitlines() if line.startswith("| `snippets/")]
    assert [row.split("`")[1] for row in rows] == ["snippets/a/slow.py", "snippets/a/fast.py", "snippets/a/broken.py"]
    assert "1 ran in this build, 1 came from the cache, 1 failed" in page
    assert "| `snippets/a/broken.py` | failed | – | – | – |" in page


def test_without_a_runner_the_page_says_so():
    assert "ran without the snippet runner" in render(None)
