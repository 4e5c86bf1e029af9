"""scripts/test_timing.py's reading of pytest's JUnit report."""

from __future__ import annotations

from nn_notes.tools.suite_timing import browser_seconds, slowest

JUNIT = """<testsuites><testsuite name="pytest">
<properties><property name="site_build_s" value="{build}"/></properties>
<testcase classname="tests.test_bench" name="test_a" time="1.0"/>
<testcase classname="tests.test_browser" name="test_loads[light]" time="{first}"/>
<testcase classname="tests.test_browser" name="test_search" time="5.0"/>
<testcase classname="tests.test_site" name="test_links" time="3.0"/>
</testsuite></testsuites>"""


def test_browser_time_leaves_out_the_site_build_its_first_test_did(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT.format(build=20.0, first=90.0))
    assert browser_seconds(junit) == 90.0 + 5.0 - 20.0
    assert slowest(junit, 2) == [(90.0, "tests.test_browser::test_loads[light]"), (5.0, "tests.test_browser::test_search")]


def test_browser_time_is_whole_when_another_test_built_the_site(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT.format(build=20.0, first=4.0))  # too short to have built it
    assert browser_seconds(junit) == 4.0 + 5.0
