"""The room's report names nobody; the assessor's outputs (terminal, grades.csv,
report-with-answers.html) name who needs attention; counts agree with each other; the chart's
labels never run together. Through the real command (``python -m grader grade``)."""

from __future__ import annotations

import html
import re

import cohort_helpers as h
import pytest

from grader.cohort.report import MAX_TICKS, tick_step

TROUBLE = ("jsmith", "lgreen", "mwong")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    ex = h.load(h.EX01)
    tmp = tmp_path_factory.mktemp("attention")
    flat = tmp / "flat"
    for number in range(3):
        answers, _ = h.answers_with_wrong(ex, number)
        h.write_nb(flat / f"learner{number}.ipynb", h.notebook(ex, answers))
    answers, _ = h.answers_with_wrong(ex, 2)
    h.write_nb(flat / "jsmith.ipynb", h.notebook(ex, h.key_answers(ex)))
    h.write_nb(flat / "jsmith (1).ipynb", h.notebook(ex, answers))  # twice: none is graded
    (flat / "lgreen.ipynb").write_text('{"cells": [', encoding="utf-8")  # damaged
    (flat / "mwong.ipynb").write_bytes(b"%PDF-1.7\n" + b"x" * 200)  # a PDF
    out = tmp / "out"
    done = h.run_cli(h.EX01, flat, "--out", out)
    assert done.returncode == 2, done.stderr
    return ex, out, done.stderr


def test_the_rooms_report_names_nobody(run):
    _ex, out, _ = run
    room = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    for name in (*TROUBLE, "learner0", "learner1", "learner2", ".ipynb"):
        assert name not in room, name
    assert "Could not be graded: 3." in room
    assert "Submitted more than once: 1 (1 of them not graded" in room


def test_the_assessors_report_names_them_and_agrees_on_duplicates(run):
    _ex, out, _ = run
    own = html.unescape((out / "report-with-answers.html").read_text(encoding="utf-8"))
    for name in TROUBLE:
        assert f"<td>{name}</td>" in own, name
    assert "Submitted more than once (1)" in own
    assert re.search(r"<td>jsmith</td><td class=\"num\">2</td>", own)
    assert "Submitted more than once (0)" not in own


def test_the_terminal_names_who_could_not_be_graded(run):
    _ex, _out, stderr = run
    assert "Could not be graded: jsmith, lgreen, mwong." in stderr
    assert "Found 6 learners (flat layout)" in stderr


def test_the_reports_header_gives_the_exercise_not_its_id(run):
    ex, out, _ = run
    for name in ("report.html", "report-with-answers.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert f"<code>{ex.id}</code>" not in page
        assert f"Exercise {ex.key.number} of Posting with Care" in page


def test_one_learner_is_one_learner(tmp_path):
    ex = h.load(h.EX01)
    h.write_nb(tmp_path / "flat" / "ada.ipynb", h.notebook(ex, h.key_answers(ex)))
    done = h.run_cli(h.EX01, tmp_path / "flat", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Found 1 learner (flat layout)" in done.stderr
    assert "1 learner: 1 graded" in done.stderr
    assert "1 learners" not in done.stderr


@pytest.mark.parametrize("maximum", [6, 14, 26, 33, 120])
def test_score_labels_never_crowd(maximum):
    scores = maximum + 1
    step = tick_step(scores)
    assert -(-scores // step) <= MAX_TICKS
    assert step == 1 or -(-scores // 1) > MAX_TICKS


def test_learner_pages_speak_to_the_learner(run):
    """Each learner's page is written for them: never the assessor's reason ("Ask the
    learner…"), nor "the key"."""
    _ex, out, _ = run
    rows = h.grades(out)
    for learner, row in rows.items():
        page = html.unescape((out / row["feedback"]).read_text(encoding="utf-8"))
        for words in ("Ask the learner", "the key", "the learner", "submitted the wrong",
                      "grades.csv", "run the command"):
            assert words not in page, (learner, words)
    pdf = html.unescape((out / rows["mwong"]["feedback"]).read_text(encoding="utf-8"))
    assert "the one whose name ends in .ipynb" in pdf
    damaged = html.unescape((out / rows["lgreen"]["feedback"]).read_text(encoding="utf-8"))
    assert "send it once more" in damaged
    wrong = html.unescape((out / rows["learner1"]["feedback"]).read_text(encoding="utf-8"))
    assert "Your answer was marked, but it isn't the right one." in wrong
    assert "Ask the learner" in rows["mwong"]["problem"]  # the assessor's reason stays theirs


@pytest.mark.parametrize(("flag", "words"), [
    ("--hide-correct-answers", "Your feedback page shows which answers were right and "
                               "explains those."),
    ("--show-correct-answers", "Your feedback page explains each answer."),
])
def test_the_lms_comment_says_what_the_page_holds(tmp_path, flag, words):
    ex = h.load(h.EX01)
    answers, _ = h.answers_with_wrong(ex, 1)
    src = tmp_path / "moodle"
    h.write_nb(src / "Ada Lovelace_101_assignsubmission_file_" / ex.notebook_name,
               h.notebook(ex, answers))
    out = tmp_path / "out"
    assert h.grade(h.EX01, src, "--out", out, flag) == 0
    moodle, _max, _ = h.lms_maxima(out, h.EX01)
    assert moodle["Participant 101"]["Feedback comments"].endswith(words)
