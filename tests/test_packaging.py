"""What the package promises without installing it: the answer language is pure, the checker
keeps its name, a learner's install pulls in no assessor-only library, one command per
package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

import cohort_helpers as h
import pytest

from grader import locations
from grader.exercise import UnknownExercise, load_released

PYPROJECT = tomllib.loads((h.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: list[str]) -> set[str]:
    return {r.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().casefold()
            for r in requirements}


def test_answer_language_needs_no_ipython_and_the_checker_keeps_its_name():
    code = ("import sys, course.answer_language as language; "
            "print('IPython' in sys.modules, 'nbgrader' in sys.modules); "
            "import course.answers as answers; "
            "assert all(getattr(answers, n) is getattr(language, n) for n in language.__all__); "
            "assert all(callable(getattr(answers, n)) for n in "
            "('start', 'check', 'check_all', 'check_policy'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=h.ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_released_notebooks_import_the_checker_by_its_old_name():
    for path in sorted((h.ROOT / "exercises").glob("*/*.ipynb")):
        assert "from course.answers import check, check_all, check_policy, start" \
            in path.read_text(encoding="utf-8"), path.name


def test_a_learners_install_pulls_in_no_assessor_only_library():
    base = _names(PYPROJECT["project"]["dependencies"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    assessor_only = {"matplotlib", "psycopg", "psycopg2-binary"}
    assert not base & assessor_only
    assert assessor_only <= _names(extras["assessor"])
    assert "posting-with-care[assessor]" in extras["test"]  # make test installs .[test]
    assert {"pytest", "ruff", "mypy", "playwright"} <= _names(extras["test"])


def test_one_command_per_package_with_subcommands():
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts == {"posting-with-care": "course.__main__:main",
                       "posting-with-care-grade": "grader.__main__:main"}
    for package, commands in (("grader", ("grade", "release", "solutions")),
                              ("course", ("course", "lab", "cpd", "build-lessons"))):
        result = subprocess.run([sys.executable, "-m", package, "--help"], capture_output=True,
                                text=True, timeout=120, cwd=h.ROOT)
        assert result.returncode == 0, result.stderr
        for command in commands:
            assert command in result.stdout, (package, command)


def test_the_course_folder_setting_points_the_grader_at_another_copy(tmp_path, monkeypatch):
    release = h.ROOT / "exercises" / h.EX01 / f"{h.EX01}.ipynb"
    target = tmp_path / "course" / "exercises" / h.EX01 / release.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(release, target)
    monkeypatch.setenv(locations.COURSE_ENV, str(tmp_path / "course"))
    assert load_released(h.EX01).release_path == target
    assert locations.keys_dir() == locations.PACKAGED_KEYS  # no grader/keys there: the package's
    with pytest.raises(UnknownExercise, match=locations.COURSE_ENV):
        load_released(h.EX02)
    monkeypatch.delenv(locations.COURSE_ENV)
    assert load_released(h.EX02).release_path.is_file()
