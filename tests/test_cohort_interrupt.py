"""A run stopped with SIGTERM or Ctrl-C (SIGINT) can be re-run to completion, nothing doubled."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import cohort_helpers as h
import pytest
import synthetic

LEARNERS = 300
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    ex = h.load(h.EX01)
    tmp = tmp_path_factory.mktemp("interrupt")
    learners = synthetic.make_learners(ex, LEARNERS, seed=11)
    submitted = synthetic.write_nbgrader(tmp, ex, learners)
    return submitted, {learner.learner_id: learner.expected for learner in learners}


def _start(submitted: Path, out: Path, *extra: str) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", h.EX01, str(submitted), "--out", str(out),
         "--progress", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=h.cli_env(), cwd=h.ROOT)
    seen: list[str] = []

    def pump() -> None:
        while chunk := process.stderr.read1(4096):  # type: ignore[union-attr]
            seen.append(chunk.decode("utf-8", "replace"))

    threading.Thread(target=pump, daemon=True).start()
    return process, seen


def _wait_for(seen: list[str], text: str, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while text not in "".join(seen):
        assert process.poll() is None, "".join(seen)
        assert time.monotonic() < deadline, "".join(seen)
        time.sleep(0.02)


def _last_line(text: str) -> str:
    """The command's last words (progress bars redraw with carriage returns)."""
    return text.strip().splitlines()[-1].split("\r")[-1].strip()


def _submissions(out: Path) -> tuple[int, int]:
    with sqlite3.connect(out / "gradebook.db") as db:
        total = db.execute("select count(*) from submitted_assignment").fetchone()[0]
        distinct = db.execute(
            "select count(distinct student_id) from submitted_assignment").fetchone()[0]
    return total, distinct


def _leftover_processes(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _finish_and_check(submitted: Path, out: Path, expected: dict[str, float]) -> None:
    result = h.run_cli(h.EX01, submitted, "--out", out)
    assert result.returncode == 0, result.stderr
    assert _submissions(out) == (LEARNERS, LEARNERS)
    rows = h.grades(out)
    assert {k: float(v["score"]) for k, v in rows.items()} == expected


def test_sigterm_while_writing_the_gradebook_then_rerun(cohort, tmp_path):
    submitted, expected = cohort
    out = tmp_path / "out"
    # one learner per transaction, so that the signal lands while the gradebook is written
    process, seen = _start(submitted, out, "--batch-size", "1", "--jobs", "2")
    _wait_for(seen, "Gradebook", process)
    time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 130, "".join(seen)
    text = "".join(seen)
    assert _last_line(text).startswith("Stopped before the end"), text
    written, distinct = _submissions(out)
    assert written == distinct and written < LEARNERS
    assert not (out / "grades.csv").exists()
    assert not list(out.glob(".work-*"))
    _finish_and_check(submitted, out, expected)


def test_ctrl_c_while_grading_stops_the_workers_then_rerun(cohort, tmp_path):
    submitted, expected = cohort
    out = tmp_path / "out"
    process, seen = _start(submitted, out, "--jobs", "2")
    _wait_for(seen, "Grading", process)
    process.send_signal(signal.SIGINT)
    status = process.wait(timeout=60)
    text = "".join(seen)
    assert status == 130, text
    assert _last_line(text).startswith("Stopped before the end"), text
    time.sleep(0.5)
    assert _leftover_processes(str(out)) == []
    _finish_and_check(submitted, out, expected)
