"""The package as an assessor installs it: a plain (non-editable) ``pip install`` into a fresh
venv, graded from a folder that has nothing to do with the checkout.

The source is copied first (the files git would ship), so the build sees no stale ``build/``
folder and the checkout is left as it was. pip uses its normal index and cache.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cohort_helpers as h
import pytest

pytestmark = [pytest.mark.install, pytest.mark.slow, pytest.mark.timeout(1200)]


def _source_copy(dest: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=h.ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = h.ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def _clean_env(venv: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "POSTING_WITH_CARE_COURSE",
                          "PWC_SHOW_ANSWERS")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with ``posting-with-care[assessor]`` installed from a copy of the source."""
    tmp = tmp_path_factory.mktemp("install")
    source = _source_copy(tmp / "source")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", f"{source}[assessor]"],
        capture_output=True, text=True, timeout=1000, env=_clean_env(venv), cwd=tmp)
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.rmtree(source)  # nothing may depend on the source tree any more
    return venv


def _cohort(root: Path) -> Path:
    ex = h.load(h.EX01)
    submitted = root / "submitted"
    for number, wrong in enumerate((0, 1, 3, 7, 24)):
        answers, _ = h.answers_with_wrong(ex, wrong)
        h.nbgrader_submission(submitted, f"learner{number}", ex, h.notebook(ex, answers))
    h.nbgrader_submission(submitted, "broken", ex, b'{"cells": [')
    return submitted


GRADE_TIME = "Last modified (grade)"


def _moodle_rows(out: Path) -> list[dict[str, str]]:
    with (out / "lms" / "moodle-grading-worksheet.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _without_grade_time(row: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in row.items() if key != GRADE_TIME}


def test_installed_package_grades_from_any_folder_like_the_checkout(tmp_path, installed):
    env = _clean_env(installed)
    python = str(installed / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import grader, course.answers; from grader.exercise import "
                       "load_released; print(grader.__file__); "
                       "print(load_released('ex01_classify_posts').release_path)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=True)
    package, release = where.stdout.split()
    assert Path(package).is_relative_to(installed) and Path(release).is_relative_to(installed)

    submitted = _cohort(tmp_path / "cohort")
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    installed_out = tmp_path / "installed-results"
    result = subprocess.run(
        [str(installed / "bin" / "posting-with-care-grade"), "grade", h.EX01, str(submitted),
         "--out", str(installed_out), "--quiet"],
        capture_output=True, text=True, env=env, cwd=elsewhere, timeout=600)
    assert result.returncode == 2, result.stderr  # the broken file is a problem row
    checkout_out = tmp_path / "checkout-results"
    checkout = h.run_cli(h.EX01, submitted, "--out", checkout_out, "--quiet", timeout=600)
    assert checkout.returncode == 2, checkout.stderr

    ours, theirs = h.grades(installed_out), h.grades(checkout_out)
    assert set(ours) == {f"learner{n}" for n in range(5)} | {"broken"}
    assert ours == theirs
    assert ours["broken"]["status"] == "problem"
    assert float(ours["learner0"]["score"]) == float(ours["learner0"]["max_score"]) \
        == h.load(h.EX01).max_score
    assert h.items_csv(installed_out) == h.items_csv(checkout_out)
    canvas = "canvas-gradebook.csv"
    assert (installed_out / "lms" / canvas).read_bytes() == \
        (checkout_out / "lms" / canvas).read_bytes()
    # Moodle's "Last modified (grade)" is each run's own time, so the two runs may straddle a
    # minute: compare everything else exactly, and that column only for being filled in alike.
    ours_moodle, theirs_moodle = (_moodle_rows(out) for out in (installed_out, checkout_out))
    assert [_without_grade_time(row) for row in ours_moodle] == \
        [_without_grade_time(row) for row in theirs_moodle]
    assert [bool(row[GRADE_TIME]) for row in ours_moodle] == \
        [bool(row[GRADE_TIME]) for row in theirs_moodle] == \
        [row["Identifier"] != "broken" for row in ours_moodle]
    assert sorted(p.name for p in elsewhere.iterdir()) == []  # nothing written where it ran


def test_installed_command_keeps_the_old_spelling_and_refuses_checkout_only_work(
        tmp_path, installed):
    env = _clean_env(installed)
    python = str(installed / "bin" / "python")
    result = subprocess.run([python, "-m", "grader", "grade", "--help"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0 and "--out" in result.stdout
    result = subprocess.run([str(installed / "bin" / "posting-with-care-grade"), "release"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 1 and "checkout of the course" in result.stderr
    result = subprocess.run([str(installed / "bin" / "posting-with-care"), "--help"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0
    assert all(c in result.stdout for c in ("course", "lab", "cpd", "build-lessons"))
    result = subprocess.run([str(installed / "bin" / "posting-with-care"), "build-lessons"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 1 and "checkout of the course" in result.stderr
