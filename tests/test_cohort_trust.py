"""Issue 8: the cohort command never silently mis-scores or loses a learner.

Each reproduction of the independent check, and its neighbours, through the real command
(``python -m grader grade …``: in a subprocess where the terminal output matters, else its
``main`` in this process).
"""

from __future__ import annotations

import csv
from pathlib import Path

import cohort_helpers as h
import pytest

#: Exercise 1's full marks, from its key (every item is marked automatically).
FULL = h.load(h.EX01).max_score
TENTH = FULL / 10  # a 10% late penalty on full marks


@pytest.fixture(scope="module")
def ex():
    return h.load(h.EX01)


@pytest.fixture(scope="module")
def perfect(ex):
    return h.notebook(ex, h.key_answers(ex))


class Done:
    def __init__(self, returncode: int, stderr: str) -> None:
        self.returncode, self.stderr = returncode, stderr


@pytest.fixture
def cli(capsys):
    """The command's ``main`` in this process, not quiet; returns status and what it printed
    (a subprocess costs seconds of imports per run; a few tests below use one)."""
    from grader.__main__ import main

    def run(*args, gradebook: bool = False) -> Done:
        capsys.readouterr()
        extra = [] if gradebook else ["--no-gradebook"]
        status = main(["grade", *[str(a) for a in args], *extra])
        captured = capsys.readouterr()
        return Done(status, captured.err + captured.out)
    return run


def _rows(out: Path) -> list[dict[str, str]]:
    with open(out / "grades.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _nbgrader_cohort(root: Path, ex, data, count: int, stamp: str) -> Path:
    for number in range(count):
        h.nbgrader_submission(root / "submitted", f"learner{number:02d}", ex, data, stamp=stamp)
    return root


# ---------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("due", ["01/12/2026 17:00", "12/01/2026 17:00", "1.12.2026 17:00",
                                 "13/12/2026 17:00"])
def test_all_number_dates_are_refused_naming_the_accepted_forms(cli, tmp_path, ex, perfect, due):
    course = _nbgrader_cohort(tmp_path / "course", ex, perfect, 2, "2026-12-01 16:00:00 UTC")
    done = cli(h.EX01, course, "--out", tmp_path / "out", "--due", due,
                     "--late-penalty", "10%/day")
    assert done.returncode == 1
    assert "2026-12-01 17:00" in done.stderr and "1 Dec 2026 17:00" in done.stderr
    assert "two ways" in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()


@pytest.mark.parametrize(("due", "late"), [
    ("2026-12-01 17:00", False), ("1 Dec 2026 17:00", False), ("1 December 2026 17:00", False),
    ("December 1, 2026 5:00 PM", False), ("2026-12-01T17:00+00:00", False),
    ("2026-12-01 17:00 GMT", False), ("2026-12-01 17:00 Europe/London", False),
    ("2026-12-01 17:00 UTC", False), ("2026-12-01 16:00 GMT", True),
    ("2026-12-01 17:00 +01:00", True),  # 16:00 UTC: the 16:00:30 submission is late
])
def test_unambiguous_dates_are_read_and_echoed_in_full(cli, tmp_path, ex, perfect, due, late):
    course = _nbgrader_cohort(tmp_path / "course", ex, perfect, 1, "2026-12-01 16:00:30 UTC")
    done = cli(h.EX01, course, "--out", tmp_path / "out", "--due", due,
                     "--late-penalty", "10%/day", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert "Deadline read as Tuesday 1 December 2026" in done.stderr
    assert "Warning:" not in done.stderr  # no raw Python warning
    row = _rows(tmp_path / "out")[0]
    assert (row["late_by"] != "") is late
    assert float(row["score"]) == pytest.approx(FULL - TENTH if late else FULL)


@pytest.mark.parametrize(("due", "says"), [
    ("2026-12-01 17:00 BST", "GMT"),  # BST is not in force in December
    ("2026-12-01 17:00 EST", "abbreviations"),
    ("2026-12-01 17:00 CET", "abbreviations"),
    ("2026-12-01", "no time"), ("1 Dec 2026", "no time"),
    ("2026-10-25 01:30", "happens twice"), ("2026-03-29 01:30", "never happens"),
    ("2026-02-30 17:00", "not a real date"), ("next tuesday", "not a date"),
])
def test_zones_and_incomplete_dates_are_refused_plainly(cli, tmp_path, ex, perfect, due, says):
    course = _nbgrader_cohort(tmp_path / "course", ex, perfect, 1, "2026-12-01 16:00:00 UTC")
    done = cli(h.EX01, course, "--out", tmp_path / "out", "--due", due)
    assert done.returncode == 1
    assert says in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr


def test_bst_in_summer_is_read_as_british_summer_time(tmp_path, ex, perfect):
    course = _nbgrader_cohort(tmp_path / "course", ex, perfect, 1, "2026-07-01 16:30:00 UTC")
    done = h.run_cli(h.EX01, course, "--out", tmp_path / "out", "--due",
                     "2026-07-01 17:00 BST", "--late-penalty", "2")
    assert done.returncode == 0, done.stderr
    assert "Wednesday 1 July 2026, 17:00 (BST; 2026-07-01 16:00 UTC)" in done.stderr
    assert float(_rows(tmp_path / "out")[0]["score"]) == FULL - 2


def test_most_learners_late_is_said_loudly(cli, tmp_path, ex, perfect):
    # the deadline a month early (a day/month slip): everyone late
    course = _nbgrader_cohort(tmp_path / "course", ex, perfect, 4, "2026-12-01 16:00:00 UTC")
    done = cli(h.EX01, course, "--out", tmp_path / "out", "--due", "2026-11-01 17:00",
                     "--late-penalty", "10%/day", "-j", "1")
    assert "WARNING: 4 of 4 learners with a submission time came out late" in done.stderr
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "4 of 4 learners with a submission time came out late" in report


# ------------------------------------------------------------------- submission times
def _canvas_zip(tmp_path: Path, data, names: list[str]) -> Path:
    folder = tmp_path / "canvas"
    for name in names:
        h.write_nb(folder / name, data)
    # zip entry times a month after the deadline: when Canvas built the zip
    return h.zip_folder(folder, tmp_path / "canvas.zip",
                        times={n: (2027, 1, 5, 9, 0, 0) for n in names})


def test_zip_entry_times_are_never_submission_times(cli, tmp_path, ex, perfect):
    archive = _canvas_zip(tmp_path, perfect, ["smithjane_4567_890_ex01_classify_posts.ipynb",
                                              "okaforben_LATE_4568_891_ex01_classify_posts.ipynb"])
    out = tmp_path / "out"
    done = cli(h.EX01, archive, "--out", out, "--due", "2026-12-01 17:00",
                     "--late-penalty", "10%", "-j", "1")
    rows = {r["learner"]: r for r in _rows(out)}
    # on time per Canvas: no penalty; marked late by Canvas: the once-only penalty applies
    assert float(rows["4567"]["score"]) == FULL and rows["4567"]["late_by"] == ""
    assert float(rows["4568"]["score"]) == pytest.approx(FULL - TENTH)
    assert rows["4567"]["submitted_at"] == ""
    assert "no trustworthy submission time" in done.stderr


def test_per_day_penalty_needs_times_and_says_so(cli, tmp_path, ex, perfect):
    archive = _canvas_zip(tmp_path, perfect, ["okaforben_late_4568_891_ex01.ipynb"])
    out = tmp_path / "out"
    done = cli(h.EX01, archive, "--out", out, "--due", "2026-12-01 17:00",
                     "--late-penalty", "10%/day")
    row = _rows(out)[0]
    assert float(row["score"]) == FULL
    assert "marked this submission late but gave no time" in row["notes"]
    assert "1 marked late by the LMS" in done.stderr and "--submission-times" in done.stderr


def test_moodle_worksheet_gives_the_submission_times(tmp_path, ex, perfect):
    src = tmp_path / "moodle"
    for number in (101, 102):
        h.write_nb(src / f"Learner {number}_{number}_assignsubmission_file_"
                   / "ex01_classify_posts.ipynb", perfect)
    archive = h.zip_folder(src, tmp_path / "moodle.zip", times={})
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text(
        "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
        "Last modified (submission),Last modified (grade),Feedback comments\n"
        'Participant 101,Learner 101,,Submitted for grading,,24,Yes,'
        '"Tuesday, 1 December 2026, 4:59 PM",-,\n'
        'Participant 102,Learner 102,,Submitted for grading,,24,Yes,'
        '"Wednesday, 2 December 2026, 9:00 AM",-,\n', encoding="utf-8")
    out = tmp_path / "out"
    assert h.grade(h.EX01, archive, "--out", out, "--due", "2026-12-01 17:00",
                   "--late-penalty", "10%/day", "--submission-times", sheet) == 0
    rows = {r["learner"]: r for r in _rows(out)}
    assert float(rows["101"]["score"]) == FULL
    assert float(rows["102"]["score"]) == pytest.approx(FULL - TENTH)
    assert rows["102"]["late_by"] == "16 hours"
    assert rows["102"]["submitted_at"] == "2026-12-02 09:00:00 UTC"


def test_unreadable_time_in_the_times_file_is_refused_with_its_line(cli, tmp_path, ex, perfect):
    flat = tmp_path / "flat"
    h.write_nb(flat / "jsmith.ipynb", perfect)
    sheet = tmp_path / "times.csv"
    sheet.write_text("learner,submitted_at\njsmith,01/12/2026 16:00\n", encoding="utf-8")
    done = cli(h.EX01, flat, "--out", tmp_path / "out", "--due", "2026-12-01 17:00",
                     "--submission-times", sheet)
    assert done.returncode == 1
    assert "Line 2 of times.csv (learner jsmith)" in done.stderr and "two ways" in done.stderr


# ------------------------------------------------------------------------------ layouts
@pytest.mark.parametrize("stray", ["folder", "folder with a notebook", "empty folder"])
def test_flat_folder_with_a_subfolder_is_refused_naming_the_choices(cli, tmp_path, ex, perfect,
                                                                     stray):
    src = tmp_path / "downloads"
    for number in range(40):
        h.write_nb(src / f"learner{number:02d}.ipynb", perfect)
    (src / "old marking").mkdir()
    if stray == "folder":
        (src / "old marking" / "notes.txt").write_text("x", encoding="utf-8")
    elif stray == "folder with a notebook":
        h.write_nb(src / "old marking" / "ex01_classify_posts.ipynb", perfect)
    done = cli(h.EX01, src, "--out", tmp_path / "out")
    if stray == "empty folder":
        # an empty folder holds nothing to lose: still refused, as the layout is unclear
        pass
    assert done.returncode == 1
    assert "40 other files" in done.stderr and "1 other folder" in done.stderr
    for choice in ("--layout nbgrader", "--layout flat", "--layout moodle", "--layout canvas"):
        assert choice in done.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_forced_flat_layout_accounts_for_the_folder_in_grades_csv(cli, tmp_path, ex, perfect):
    src = tmp_path / "downloads"
    for number in range(40):
        h.write_nb(src / f"learner{number:02d}.ipynb", perfect)
    (src / "old marking").mkdir()
    (src / "old marking" / "notes.txt").write_text("x", encoding="utf-8")
    done = cli(h.EX01, src, "--out", tmp_path / "out", "--layout", "flat")
    assert done.returncode == 2
    rows = _rows(tmp_path / "out")
    assert sum(r["status"] == "graded" for r in rows) == 40
    refused = [r for r in rows if r["status"] == "refused"]
    assert [r["learner"] for r in refused] == ["old marking"]
    assert "40 learners: 40 graded, 0 could not be graded, 1 file(s) refused" in done.stderr
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "every learner" not in report.casefold().replace("every learner found was", "")


@pytest.mark.parametrize("names", [
    ["smithjane_4567_890_ex01.ipynb", "Random notes.ipynb"],  # one not named like Canvas
    ["Ada_101_assignsubmission_file_", "jsmith.ipynb"],  # Moodle folder + a plain file
])
def test_mixed_lms_and_plain_names_are_refused(cli, tmp_path, ex, perfect, names):
    src = tmp_path / "mixed"
    for name in names:
        target = src / name / "ex01_classify_posts.ipynb" if name.endswith("_") else src / name
        h.write_nb(target, perfect)
    done = cli(h.EX01, src, "--out", tmp_path / "out")
    assert done.returncode == 1 and "--layout" in done.stderr


@pytest.mark.parametrize("names", [
    ["anon_Bq7Xz_890_ex01_classify_posts.ipynb", "anon_k2PqR_891_ex01_classify_posts.ipynb"],
    ["anon_LATE_Bq7Xz_890_ex01.ipynb", "anon_k2PqR_891_ex01-1.ipynb"],
    ["smithjane_late_4567_890_ex01.ipynb", "okaforben_4568_891_ex01.ipynb"],
])
def test_canvas_naming_variants_are_all_graded(tmp_path, ex, perfect, names):
    archive = _canvas_zip(tmp_path, perfect, names)
    out = tmp_path / "out"
    assert h.grade(h.EX01, archive, "--out", out) == 0
    rows = _rows(out)
    assert len(rows) == 2 and {r["status"] for r in rows} == {"graded"}


def test_two_notebooks_of_one_learner_are_a_problem_naming_both(tmp_path, ex, perfect):
    answers, _ = h.answers_with_wrong(ex, 3)
    src = tmp_path / "moodle"
    folder = src / "Ada Lovelace_101_assignsubmission_file_"
    h.write_nb(folder / "ex01_classify_posts.ipynb", perfect)
    h.write_nb(folder / "ex01_classify_posts (1).ipynb", h.notebook(ex, answers))
    other = src / "Ben Okafor_102_assignsubmission_file_"
    h.write_nb(other / "ex01_classify_posts.ipynb", perfect)
    h.write_nb(other / "ex01_classify_posts (1).ipynb", perfect)  # the same file twice
    out = tmp_path / "out"
    assert h.grade(h.EX01, h.zip_folder(src, tmp_path / "m.zip"), "--out", out) == 2
    rows = {r["learner"]: r for r in _rows(out)}
    assert rows["101"]["status"] == "problem" and rows["101"]["score"] == ""
    assert "'ex01_classify_posts.ipynb'" in rows["101"]["problem"]
    assert "'ex01_classify_posts (1).ipynb'" in rows["101"]["problem"]
    assert rows["102"]["status"] == "graded" and "identical" in rows["102"]["notes"]


def test_flat_copies_of_one_learner_are_not_chosen_between(tmp_path, ex, perfect):
    answers, _ = h.answers_with_wrong(ex, 3)
    flat = tmp_path / "flat"
    h.write_nb(flat / "jsmith.ipynb", perfect)
    h.write_nb(flat / "jsmith (1).ipynb", h.notebook(ex, answers))
    out = tmp_path / "out"
    assert h.grade(h.EX01, flat, "--out", out) == 2
    row = _rows(out)[0]
    assert row["status"] == "problem" and "'jsmith (1).ipynb'" in row["problem"]


def test_course_folder_with_other_exercises_lists_them_as_not_submitted(cli, tmp_path, ex, perfect):
    ex2 = h.load(h.EX02)
    course = tmp_path / "course"
    h.nbgrader_submission(course / "submitted", "ada", ex, perfect)
    h.nbgrader_submission(course / "submitted", "ben", ex2, h.notebook(ex2, h.key_answers(ex2)))
    done = cli(h.EX01, course, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    rows = {r["learner"]: r for r in _rows(tmp_path / "out")}
    assert rows["ada"]["status"] == "graded"
    assert rows["ben"]["status"] == "not submitted" and rows["ben"]["problem"] == ""
    assert "1 not submitted" in done.stderr
    moodle = (tmp_path / "out" / "lms" / "moodle-grading-worksheet.csv").read_text()
    assert "ben" not in moodle


# ---------------------------------------------------------------------- bounded reading
def _with_cell(data: dict, source: str) -> dict:
    data = dict(data, cells=list(data["cells"]))
    data["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [],
                          "execution_count": None, "source": source})
    return data


def test_monstrous_files_cost_only_their_learner(tmp_path, ex, perfect):
    flat = tmp_path / "flat"
    for number in range(5):
        h.write_nb(flat / f"learner{number}.ipynb", perfect)
    long_cell = "\n".join(f"x{i} = {i}" for i in range(200_000)) + '\npost_01 = "acceptable"'
    h.write_nb(flat / "long.ipynb", _with_cell(perfect, long_cell))
    deep = "y = " + "+".join(["1"] * 10_001) + "\npost_02 = " + "+".join(["'a'"] * 10_001)
    h.write_nb(flat / "deep.ipynb", _with_cell(perfect, deep))
    nested = "[" * 100_000 + "]" * 100_000
    (flat / "nested.ipynb").write_text('{"cells": ' + nested + "}", encoding="utf-8")
    out = tmp_path / "out"
    done = h.run_cli(h.EX01, flat, "--out", out, "-j", "2", timeout=200)
    rows = {r["learner"]: r for r in _rows(out)}
    assert {rows[f"learner{n}"]["status"] for n in range(5)} == {"graded"}
    assert rows["long"]["status"] == "graded"
    assert rows["deep"]["status"] == "graded"
    # the extra cell's last binding of post_02 is unreadable: one mark lost, the rest untouched
    assert float(rows["deep"]["score"]) == FULL - 1
    assert rows["nested"]["status"] == "problem" and "Traceback" not in done.stderr


def test_time_limit_makes_a_slow_file_a_problem(tmp_path, ex, perfect):
    flat = tmp_path / "flat"
    h.write_nb(flat / "quick.ipynb", perfect)
    # margins wide enough for a loaded machine: the quick file is marked in well under 0.1 s,
    # the slow one takes several seconds (and is stopped at the limit)
    many = "\n".join(f"post_01 = 'acceptable'  # {i}" for i in range(400_000))
    h.write_nb(flat / "slow.ipynb", _with_cell(perfect, many))
    out = tmp_path / "out"
    assert h.grade(h.EX01, flat, "--out", out, "-j", "1", "--time-limit", "1.5") == 2
    rows = {r["learner"]: r for r in _rows(out)}
    assert rows["quick"]["status"] == "graded"
    assert rows["slow"]["status"] == "problem" and "--time-limit" in rows["slow"]["problem"]


# --------------------------------------------------------------------- exercise 3 in formgrader
EX3 = "ex03_social_media_policy"


def _policy(ex3, parts, strip: bool = False, drop_heading=None, drop_card=False) -> dict:
    data = h.release(ex3)
    for cell in data["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        for item in parts:
            if grade_id == item.answer_cell:
                lines = [] if item is drop_heading else [text.splitlines()[0]]
                cell["source"] = "\n".join(lines + [f"My own words on {item.label.lower()}."])
    if drop_card and drop_heading is not None:
        data["cells"] = [c for c in data["cells"] if c["metadata"].get("nbgrader", {}).get(
            "grade_id") != f"{drop_heading.answer_cell}_card"]
    if strip:
        for cell in data["cells"]:
            cell["metadata"] = {}
    return data


def test_ex03_blank_parts_score_0_and_the_check_cell_is_never_to_mark(tmp_path):
    from nbgrader.api import Gradebook

    ex3 = h.load(EX3)
    written = list(ex3.manual_items)
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "finished", ex3, _policy(ex3, written))
    h.nbgrader_submission(sub, "partial", ex3, _policy(ex3, written[:2]))
    h.nbgrader_submission(sub, "blank", ex3, h.release(ex3))
    # lost nbgrader's markings and part 3's heading: found after part 3's card
    h.nbgrader_submission(sub, "lost", ex3, _policy(ex3, written, strip=True,
                                                     drop_heading=written[2]))
    # ... and the card too: not found, flagged for a look, never the template's text
    h.nbgrader_submission(sub, "gone", ex3, _policy(ex3, written, strip=True,
                                                     drop_heading=written[2], drop_card=True))
    out = tmp_path / "out"
    assert h.grade(EX3, sub, "--out", out) == 0
    rows = {r["learner"]: r for r in _rows(out)}
    assert rows["blank"]["status"] == "graded" and float(rows["blank"]["score"]) == 0
    assert rows["partial"]["status"] == "to mark" and rows["finished"]["status"] == "to mark"
    assert "could not be found" not in rows["lost"]["notes"]
    assert "flagged for a look" in rows["gone"]["notes"]
    lost_copy = (out / "autograded" / "lost" / EX3 / f"{EX3}.ipynb").read_text(encoding="utf-8")
    assert f"My own words on {written[2].label.lower()}." in lost_copy
    gone_copy = (out / "autograded" / "gone" / EX3 / f"{EX3}.ipynb").read_text(encoding="utf-8")
    assert "this part was not found in the learner's notebook" in gone_copy
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", "posting-with-care") as gb:
        def grades(student):
            nb = gb.find_submission_notebook(EX3, EX3, student)
            return {g.name: g for g in nb.grades}, nb.needs_manual_grade

        blank, flagged = grades("blank")
        assert not flagged and all(g.score == 0 for g in blank.values())
        partial, flagged = grades("partial")
        assert flagged
        to_mark = {n for n, g in partial.items() if g.needs_manual_grade}
        assert to_mark == {i.grade_cell for i in written[:2]}
        finished, _ = grades("finished")
        check = finished[ex3.check_cell]
        assert not check.needs_manual_grade and check.score == 0


# ------------------------------------------------------------------------------ one truth
def test_gradebook_export_and_grades_csv_agree_after_every_run(tmp_path, ex, perfect):
    from nbgrader_course import CONFIG, nbgrader

    course = tmp_path / "C"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    sub = tmp_path / "submitted"
    half, half_score = h.answers_with_wrong(ex, 12)
    for learner in ("ada", "ben", "cy"):
        h.nbgrader_submission(sub, learner, ex, perfect, stamp="2026-12-02 18:00:00 UTC")
    args = ["--out", tmp_path / "out", "--course-dir", course, "--due", "2026-12-01 17:00",
            "--late-penalty", "10%/day", "-j", "1"]
    assert h.grade(h.EX01, sub, *args) == 0

    # ben resubmits a broken file; cy is taken out of the submissions; ada improves
    (sub / "ben" / ex.id / ex.notebook_name).write_bytes(b"{ broken")
    import shutil
    shutil.rmtree(sub / "cy")
    h.nbgrader_submission(sub, "ada", ex, h.notebook(ex, half), stamp="2026-11-30 12:00:00 UTC")
    assert h.grade(h.EX01, sub, *args) == 2
    rows = {r["learner"]: r for r in _rows(tmp_path / "out")}
    assert rows["ben"]["status"] == "problem" and "removed from the gradebook" in \
        rows["ben"]["notes"]
    assert rows["cy"]["status"] == "not in this download"
    assert not (course / "autograded" / "ben" / ex.id).exists()

    done = nbgrader(course, "export")
    assert done.returncode == 0, done.stderr
    with open(course / "grades.csv", encoding="utf-8", newline="") as handle:
        exported = {r["student_id"]: r for r in csv.DictReader(handle)
                    if r["assignment"] == ex.id}
    # ben's old grade is gone: nbgrader lists him as it lists anyone without a submission
    assert exported["ben"]["timestamp"] in ("", "None") and float(exported["ben"]["score"]) == 0
    assert float(exported["ada"]["score"]) == float(rows["ada"]["score"]) == half_score
    assert float(exported["cy"]["score"]) == float(rows["cy"]["score"])
    assert float(rows["cy"]["score"]) == pytest.approx(FULL - 2 * TENTH)


# --------------------------------------------------------------------------- outputs kept
def test_a_results_folder_belongs_to_one_exercise(cli, tmp_path, ex, perfect):
    ex2 = h.load(h.EX02)
    flat1, flat2 = tmp_path / "one", tmp_path / "two"
    h.write_nb(flat1 / "jsmith.ipynb", perfect)
    h.write_nb(flat2 / "jsmith.ipynb", h.notebook(ex2, h.key_answers(ex2)))
    out = tmp_path / "out"
    assert cli(h.EX01, flat1, "--out", out).returncode == 0
    before = h.hashes(out)
    done = cli(h.EX02, flat2, "--out", out)
    assert done.returncode == 1
    assert f"already holds the results of {h.EX01}" in done.stderr
    assert h.hashes(out) == before  # nothing replaced, nothing deleted
    assert cli(h.EX01, flat1, "--out", out).returncode == 0  # its own exercise: fine


# --------------------------------------------------------------------------- hidden answers
def _cards(page: str) -> dict[str, str]:
    """Each item's section of a feedback page, by the item's label."""
    import re

    found = {}
    for section in page.split('<section class="item')[1:]:
        section = section.split("</section>")[0]
        label = re.search(r"<h2>(.*?)</h2>", section, re.S)
        if label:
            found[label[1].strip()] = section
    return found


def _key_texts(item) -> list[str]:
    from grader.feedback import _shown, principle_text, rule_text

    texts = [f"\u201c{_shown(item, item.answer)}\u201d"]
    if item.rule:
        texts.append(rule_text(item.rule))
    if item.principle and item.kind != "rule":
        texts.append(principle_text(item.principle).split(" \u2014 ")[0])
    if item.explanation:
        texts.append(item.explanation.split(".")[0])
    return texts


@pytest.mark.parametrize("assignment", [h.EX01, h.EX02])
def test_hidden_answers_never_reach_a_learner_page_or_the_room(cli, tmp_path, assignment):
    import html as html_lib

    exercise = h.load(assignment)
    flat = tmp_path / "flat"
    auto = list(exercise.auto_items)
    for number in range(4):
        answers = h.key_answers(exercise)
        for index, item in enumerate(auto):
            # each learner gets a different pattern wrong; in ex02, principle wrong, rule right
            wrong = (index + number) % 3 == 0 if item.kind != "rule" else False
            if wrong:
                answers[item.variable] = h.wrong_answer(item)
        h.write_nb(flat / f"learner{number}.ipynb", h.notebook(exercise, answers))
    out = tmp_path / "out"
    assert cli(assignment, flat, "--out", out, "--hide-correct-answers").returncode == 0
    by_label = {i.label: i for i in exercise.auto_items}
    wrong_seen = 0
    for row in _rows(out):
        page = html_lib.unescape((out / row["feedback"]).read_text(encoding="utf-8"))
        assert "by rule and by principle" not in page
        items = {i["item"]: i for i in h.items_csv(out) if i["learner"] == row["learner"]}
        for label, card in _cards(page).items():
            item = by_label[label]
            siblings = [i for i in exercise.auto_items if i.entry == item.entry]
            if all(items[i.id]["correct"] == "yes" for i in siblings):
                continue
            for other in siblings:
                if items[other.id]["correct"] == "yes":
                    continue
                wrong_seen += 1
                if other is item:  # with two answers, echoing the wrong one names the key
                    from grader.feedback import _shown
                    for value in item.allowed:
                        assert f"\u201c{_shown(item, value)}\u201d" not in card, (label, value)
                for text in _key_texts(other):
                    if other is not item and text == _key_texts(item)[0]:
                        continue
                    if other is not item and item.kind == "rule" and text == rule_text_of(item):
                        continue  # the rule item's own (right) rule
                    assert text not in card, (row["learner"], label, other.id, text)
    assert wrong_seen > 0
    report = html_lib.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "Commonest wrong answer" not in report and "Hardest item" not in report
    for row in report.split("<tr>"):
        for label, item in by_label.items():
            if f"<td>{label}</td>" in row:
                for text in _key_texts(item):
                    assert text not in row, (label, text)
    assert "Commonest wrong answer" in (out / "report-with-answers.html").read_text()


def rule_text_of(item) -> str:
    from grader.feedback import rule_text

    return rule_text(item.rule) if item.rule else ""
