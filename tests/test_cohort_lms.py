"""The LMS upload files' maximum is the exercise's total points, for every exercise.

Moodle's grading worksheet ("Maximum Grade") and Canvas's gradebook import ("Points Possible")
must carry the exercise's total: the automatic items plus the parts marked by hand. The total
is counted here from the key files themselves (every entry's points, once per answer it asks
for), not from the grader's own sums.
"""

from __future__ import annotations

import cohort_helpers as h
import pytest
import yaml

from grader.cohort.nbgrader_store import open_gradebook

EX03 = "ex03_social_media_policy"


def key_total(ex) -> float:
    """Total points, from the YAML key (an entry's points count once per answer it asks for)."""
    key = yaml.safe_load((h.ROOT / "grader" / "keys" / f"{ex.id}.yaml").read_text("utf-8"))
    return float(sum(entry.get("points", 1) * len(entry["ask"])
                     for part in key["parts"] for entry in part["entries"]))


@pytest.mark.parametrize("assignment_id", [h.EX01, h.EX02])
def test_automatic_exercises_lms_maximum_is_total_points(tmp_path, assignment_id):
    ex = h.load(assignment_id)
    answers, score = h.answers_with_wrong(ex, 2)
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "learner", ex, h.notebook(ex, answers))
    out = tmp_path / "out"
    assert h.grade(assignment_id, sub, "--out", out, "--no-gradebook") == 0
    moodle, moodle_max, canvas_max = h.lms_maxima(out, assignment_id)
    assert moodle_max == canvas_max == key_total(ex) == ex.max_score
    assert float(moodle["learner"]["Grade"]) == score < moodle_max


def test_hand_marked_exercise_lms_maximum_is_total_points_and_marks_arrive(tmp_path):
    """ex03 has no automatic points: before the fix its LMS maximum was 0. Hand marks are
    entered through nbgrader's gradebook API, as formgrader stores them, then a re-run picks
    them up: the grade is the marks' sum, under the total."""
    ex3 = h.load(EX03)
    total = key_total(ex3)
    assert ex3.auto_max_score == 0 and total == ex3.max_score == ex3.manual_max_score > 0
    written = ex3.manual_items
    text = ("My clients can reach me by phone or email, never through social media; I keep a "
            "professional page apart from my private account and explain why when we agree "
            "our contract, so each client can decide for themselves about following it.")
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "writer", ex3,
                          h.policy_notebook(ex3, {i.answer_cell: text for i in written}))
    out = tmp_path / "out"
    assert h.grade(EX03, sub, "--out", out) == 0
    moodle, moodle_max, canvas_max = h.lms_maxima(out, EX03)
    assert moodle_max == canvas_max == total
    assert h.grades(out)["writer"]["status"] == "to mark"

    marks = {item.grade_cell: float(min(item.points, 1 + n % 2)) for n, item in
             enumerate(written)}
    with open_gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        for cell, mark in marks.items():
            grade = gradebook.find_grade(cell, ex3.notebook, ex3.id, "writer")
            grade.manual_score = mark
        gradebook.db.commit()
    assert h.grade(EX03, sub, "--out", out) == 0
    moodle, moodle_max, canvas_max = h.lms_maxima(out, EX03)
    assert moodle_max == canvas_max == total
    given = sum(marks.values())
    assert float(moodle["writer"]["Grade"]) == given <= total
    assert h.grades(out)["writer"]["status"] == "graded"
    assert float(h.grades(out)["writer"]["max_score"]) == total
