"""The benchmark's pure helpers (scripts/bench.py): the pages and notebooks it makes for the
other tools from a snippet, and its arithmetic. No build runs here."""

from __future__ import annotations

import contextlib
import io
import re

import nbformat
import pytest

from nn_notes.tools import bench

SNIPPET = '''import torch
import matplotlib.pyplot as plt

x = torch.arange(4.0)
print(f"sum: {x.sum():.1f}")
# %% A plot with ``` in it
fig, ax = plt.subplots(label="A rising line")
ax.plot(x, 2 * x)
print("drawn")
'''
BLOCK = re.compile(r"^(?P<fence>`{3,})python (?P<options>[^\n]*)\n(?P<code>.*?)\n(?P=fence)$", re.M | re.S)


def blocks(markdown: str) -> list[tuple[str, str]]:
    return [(m["options"], m["code"]) for m in BLOCK.finditer(markdown)]


def test_markdown_exec_page_has_a_setup_block_then_a_source_and_a_figure_block_per_cell():
    found = blocks(bench.markdown_exec_blocks("t/demo", "snippets/t/demo.py", SNIPPET))
    assert len(found) == 1 + 2 * 2
    setup, (first, first_code), first_figures, (second, second_code), second_figures = found
    assert all('exec="on"' in options and 'session="t/demo"' in options for options, _ in found)
    assert "source=" not in setup[0] and "manual_seed(0)" in setup[1] and "set_num_threads(1)" in setup[1]
    assert 'source="above" result="text" title="snippets/t/demo.py"' in first
    assert 'title="A plot with ``` in it"' in second
    assert first_code == 'import torch\nimport matplotlib.pyplot as plt\n\nx = torch.arange(4.0)\nprint(f"sum: {x.sum():.1f}")'
    assert second_code.startswith("fig, ax = plt.subplots(") and second_code.endswith('print("drawn")')
    assert first_figures == second_figures and 'html="1"' in first_figures[0]
    assert "set_num_threads" not in bench.markdown_exec_blocks("t/demo", "r", SNIPPET, threads=None)


def test_markdown_exec_blocks_run_in_order_print_the_output_and_each_figure_as_svg_html():
    """Run the blocks as markdown-exec does: one namespace per session, `print` captured."""
    namespace, outputs = {}, []
    for _, code in blocks(bench.markdown_exec_blocks("t/demo", "snippets/t/demo.py", SNIPPET)):
        buffer = io.StringIO()
        namespace["print"] = lambda *texts, end="\n", **_: buffer.write(" ".join(map(str, texts)) + end)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)
        outputs.append(buffer.getvalue())
    setup, first, first_figures, second, second_figures = outputs
    assert (setup, first, first_figures, second) == ("", "sum: 6.0\n", "", "drawn\n")
    assert second_figures.startswith(f'<figure class="{bench.FIGURE_CLASS}" role="img" aria-label="A rising line"><svg')
    assert second_figures.count("<svg") == 1 and "<?xml" not in second_figures
    assert second_figures.rstrip().endswith("</svg>\n</figure>")


def test_markdown_exec_accepts_the_blocks():
    import markdown
    import markdown_exec  # in requirements-dev.txt: a missing package fails this test, never skips it
    fence = {"name": "python", "class": "python", "validator": markdown_exec.validator,
             "format": markdown_exec.formatter}
    converter = markdown.Markdown(extensions=["pymdownx.superfences"],
                                  extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}})
    html = converter.convert(bench.markdown_exec_blocks("t/accepted", "snippets/t/demo.py", SNIPPET))
    assert "sum: 6.0" in html and "aria-label=\"A rising line\"" in html and "<svg" in html
    assert html.index("arange") < html.index("sum: 6.0")  # the source is shown above its output


def test_notebook_from_snippet_is_valid_and_holds_the_cells_unexecuted():
    nb = nbformat.reads(bench.notebook_from_snippet("t/demo", "snippets/t/demo.py", SNIPPET).decode(), as_version=4)
    nbformat.validate(nb)
    intro, setup, *cells = nb.cells
    assert intro.cell_type == "markdown" and "snippets/t/demo.py" in intro.source
    assert setup.source.startswith('%config InlineBackend.figure_formats = ["svg"]')
    assert "set_num_threads(1)" in setup.source and "manual_seed(0)" in setup.source
    assert [c.source for c in cells] == [
        'import torch\nimport matplotlib.pyplot as plt\n\nx = torch.arange(4.0)\nprint(f"sum: {x.sum():.1f}")',
        'fig, ax = plt.subplots(label="A rising line")\nax.plot(x, 2 * x)\nprint("drawn")',
    ]
    assert all(c.cell_type == "code" and not c.outputs and c.execution_count is None for c in cells)
    assert nb.metadata.kernelspec.name == "python3"
    unthreaded = bench.notebook_from_snippet("t/demo", "r", SNIPPET, threads=None).decode()
    assert "set_num_threads" not in unthreaded


def test_replace_embeds_replaces_each_embed_line_keeping_its_indent():
    page = 'text\n--8<-- "generated/a/one.md"\n\n!!! note\n    --8<-- "generated/b/two.md"\n--8<-- "other.md"\n'
    text, names = bench.replace_embeds(page, lambda name: f"[{name}]\n\nsecond line\n")
    assert names == ["a/one", "b/two"]
    assert text == ('text\n[a/one]\n\nsecond line\n\n!!! note\n    [b/two]\n\n    second line\n'
                    '--8<-- "other.md"\n')


def test_report_helpers_sum_cpu_and_pick_the_median_snippet():
    report = {"snippets": [
        {"path": "snippets/a.py", "status": "ran", "cpu_seconds": 3.0},
        {"path": "snippets/b.py", "status": "cached", "cpu_seconds": 1.0},
        {"path": "snippets/c.py", "status": "ran", "cpu_seconds": 0.5},
        {"path": "snippets/d.py", "status": "failed", "cpu_seconds": None},
    ]}
    assert bench.cpu_seconds_from_report(report) == 4.5
    assert bench.ran_snippet_cpu_seconds(report) == 3.5
    assert bench.median_cpu_snippet(report) == "snippets/c.py"


def test_summarize_computes_the_issue_ratios_from_medians():
    runs = {"cold": [12.0, 10.0, 11.0], "warm": [2.2], "plain": [2.0, 1.0, 3.0], "plain_cold": [4.0],
            "edit": [3.0], "markdown_exec": [30.0], "mkdocs_jupyter": [60.0]}
    results = bench.summarize(runs, snippets_cpu=[16.0], edit_snippet_cpu=[1.0], cores=2)
    assert list(results)[:6] == ["warm_over_plain", "cold_over_limit", "edit_over_plain_plus_snippet",
                                 "cold_speedup_vs_markdown_exec", "warm_speedup_vs_markdown_exec",
                                 "cold_speedup_vs_mkdocs_jupyter"]
    assert results["limit_seconds"] == 10.0  # plain 2 + 16 CPU-seconds / 2 cores
    assert results["warm_over_plain"] == 1.1
    assert results["cold_over_limit"] == 1.1
    assert results["edit_over_plain_plus_snippet"] == 1.0
    assert results["cold_speedup_vs_markdown_exec"] == pytest.approx(30 / 11, abs=1e-3)
    assert results["warm_speedup_vs_markdown_exec"] == pytest.approx(30 / 2.2, abs=1e-3)
    assert results["cold_speedup_vs_mkdocs_jupyter"] == pytest.approx(60 / 11, abs=1e-3)
    assert results["runs_seconds"]["cold"] == [12.0, 10.0, 11.0]
    assert set(results) - set(bench.TARGETS) - {"runs_seconds"} == {
        f"{v}_seconds" for v in bench.VARIANTS} | {"snippets_cpu_seconds", "limit_seconds",
                                                   "edited_snippet_cpu_seconds", "plain_plus_snippet_seconds"}


def test_summarize_keeps_each_build_s_own_and_others_cpu_seconds_and_the_table_shows_them():
    runs = {"cold": [10.0, 20.0], "warm": [2.0], "plain": [2.0]}
    cpu = {"cold": [15.0, 17.0], "warm": [1.5], "plain": [1.4]}
    others = {"cold": [5.0, 30.0], "warm": [0.0], "plain": [2.0]}
    results = bench.summarize(runs, [16.0], [], cores=2, cpu=cpu, others=others)
    assert results["runs_cpu_seconds"]["cold"] == [15.0, 17.0] and results["runs_others_cpu_seconds"]["edit"] == []
    assert bench.others_share(results, "cold", cores=2) == pytest.approx((0.25 + 0.75) / 2)
    cold_line = next(line for line in bench.report_text(results, [], cores=2).splitlines() if "cold (empty" in line)
    assert re.search(r"cold \(empty caches\) +15\.00 +16\.00 +50%  10\.00, 20\.00$", cold_line), cold_line


def test_a_comparison_left_out_gives_null_ratios_not_a_crash():
    runs = {"cold": [10.0], "warm": [2.0], "plain": [2.0], "edit": [3.0]}
    results = bench.summarize(runs, [16.0], [1.0], cores=2)
    assert results["cold_speedup_vs_markdown_exec"] is None and results["mkdocs_jupyter_seconds"] is None
    assert dict((row[0], row[4]) for row in bench.check_targets(results))["cold_speedup_vs_mkdocs_jupyter"] is None
    assert re.search(r"^cold_speedup_vs_markdown_exec +- ", bench.report_text(results, []), re.M)


@pytest.mark.parametrize(("key", "value", "met"), [
    ("warm_over_plain", 1.15, True), ("warm_over_plain", 1.151, False),
    ("cold_over_limit", 1.3, True), ("cold_over_limit", 1.4, False),
    ("cold_speedup_vs_markdown_exec", 1.5, True), ("cold_speedup_vs_markdown_exec", 1.49, False),
    ("warm_speedup_vs_markdown_exec", 10.0, True), ("warm_speedup_vs_markdown_exec", 9.9, False),
    ("cold_speedup_vs_mkdocs_jupyter", 3.0, True), ("cold_speedup_vs_mkdocs_jupyter", 2.9, False),
    ("edit_over_plain_plus_snippet", 5.0, None),
])
def test_check_targets_compares_each_ratio_with_the_issue_target(key, value, met):
    rows = {row[0]: row for row in bench.check_targets({key: value})}
    assert rows[key][4] is met
    verdict = {True: "met", False: "MISSED", None: "-"}[met]
    line = next(line for line in bench.report_text({key: value, "runs_seconds": {}}, []).splitlines()
                if line.startswith(key))
    assert line.endswith(verdict)


def test_cpu_view_splits_a_cold_build_s_cpu_into_plain_snippets_notebooks_and_the_rest():
    cpu = {"cold": [30.0], "plain": [4.0], "plain_cold": [9.0]}
    results = bench.summarize({"cold": [40.0], "plain": [5.0], "plain_cold": [12.0]}, [18.0], [], cores=2, cpu=cpu)
    view = bench.cpu_view(results)
    assert "30.0 CPU-s = plain 4.0 + snippets 18.0 + mkdocs-jupyter re-rendering the generated notebooks 5.0" in view
    assert "the rest 3.0" in view
    assert bench.cpu_view(bench.summarize({"cold": [1.0]}, [1.0], [], cores=2)) is None
