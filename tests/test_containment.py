"""What a demo may touch: it writes only its working folder, reads only its own folder in the
project, maps a bounded amount of memory, and leaves no process behind. Each test plants
the fault a hostile pull request would try, with Landlock and with the fallback guard."""

from __future__ import annotations

import subprocess
import time

import pytest

from nn_notes.runner import sandbox, scheduler

pytestmark = pytest.mark.slow  # builds a project or runs demos in subprocesses: not in `make check`

HAVE_LANDLOCK = sandbox.landlock_abi() > 0
MODES = [pytest.param(True, id="landlock"), pytest.param(False, id="guard")]


@pytest.fixture
def project(snippet_project):
    return snippet_project


@pytest.fixture(params=MODES)
def mode(request, monkeypatch):
    """Run each test with Landlock (where the kernel has it) and with the project guard."""
    if request.param and not HAVE_LANDLOCK:
        pytest.skip("this kernel has no Landlock; the guard variant of this test still runs")
    monkeypatch.setattr(scheduler, "landlock", lambda: request.param)
    return request.param


def sleepers(tag: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", f"sleep {tag}"], capture_output=True, text=True)
    return found.stdout.split()


@pytest.mark.parametrize("target", ["docs/escaped.md", "docs/assets/escaped.js", "snippets/demo/new.py"])
def test_a_demo_that_writes_into_the_project_fails_and_leaves_no_file(project, mode, target):
    project.write("demo/writes.py", f"""
        from pathlib import Path
        root = Path(__file__).resolve().parents[2]
        (root / {target!r}).parent.mkdir(parents=True, exist_ok=True)
        (root / {target!r}).write_text("<script>alert(1)</script>")
    """)
    [failure] = project.run().failures
    assert failure.message.startswith("snippets/demo/writes.py:")
    assert ("working folder" in failure.message), failure.message
    assert not (project.root / target).exists()


def test_a_demo_may_write_in_its_working_folder_and_temp(project, mode):
    project.write("demo/scratch.py", """
        import tempfile
        open("here.txt", "w").write("fine")
        with tempfile.NamedTemporaryFile() as handle:
            handle.write(b"also fine")
        print(open("here.txt").read())
    """)
    report = project.run()
    assert not report.failures, report.failures[0].message
    assert "fine" in (project.generated / "demo" / "scratch.md").read_text()


@pytest.mark.skipif(not HAVE_LANDLOCK, reason="reads are contained only by Landlock")
def test_with_landlock_a_demo_cannot_read_project_files_outside_its_folder(project):
    (project.root / "secret.txt").write_text("not for demos")
    project.write("demo/beside.txt", "data beside the demo")
    project.write("demo/reads.py", """
        from pathlib import Path
        here = Path(__file__).resolve().parent
        print((here / "beside.txt").read_text())
        print((here.parents[1] / "secret.txt").read_text())
    """)
    [failure] = project.run().failures
    assert failure.message.startswith("snippets/demo/reads.py:4:"), failure.message
    assert "PermissionError" in failure.message


def test_editing_a_data_file_beside_a_demo_runs_it_again(project):
    project.write("demo/table.csv", "1,2\n")
    project.write("demo/reads_data.py", """
        from pathlib import Path
        print(sum(map(int, (Path(__file__).parent / "table.csv").read_text().split(","))))
    """)
    assert project.statuses(project.run())["demo/reads_data"] == "ran"
    assert project.statuses(project.run())["demo/reads_data"] == "cached"
    project.write("demo/table.csv", "1,41\n")
    assert project.statuses(project.run())["demo/reads_data"] == "ran"
    assert "42" in (project.generated / "demo" / "reads_data.md").read_text()


def test_a_background_process_does_not_outlive_its_demo(project, mode):
    project.write("demo/background.py", """
        import subprocess
        subprocess.Popen(["setsid", "sleep", "601"])
        subprocess.Popen(["sleep", "601"], start_new_session=True)
        print("started two")
    """)
    report = project.run()
    assert not report.failures, report.failures[0].message
    time.sleep(0.5)
    assert sleepers("601") == []


def test_a_timeout_kills_processes_that_left_the_demos_group(project, mode):
    project.write("demo/hangs.py", """
        import subprocess
        subprocess.Popen(["setsid", "sleep", "602"])
        while True:
            pass
    """)
    [failure] = project.run(timeout=3).failures
    assert "timed out after 3 s" in failure.message
    time.sleep(0.5)
    assert sleepers("602") == []


def test_a_demo_over_its_memory_limit_fails_with_the_limit_named(project, mode):
    project.write("demo/hungry.py", """
        import torch
        held = torch.ones(512, 1024, 1024)  # 2 GiB of float32
        print(held.sum())
    """)
    [failure] = project.run(memory_mb=256).failures
    assert failure.message.startswith("snippets/demo/hungry.py:2:"), failure.message
    assert "out of memory" in failure.message and "256 MiB" in failure.message


def test_a_demo_within_its_memory_limit_runs(project, mode):
    project.write("demo/modest.py", """
        import torch
        held = torch.ones(16, 1024, 1024)  # 64 MiB
        print(int(held.sum()))
    """)
    report = project.run(memory_mb=256)
    assert not report.failures, report.failures[0].message
