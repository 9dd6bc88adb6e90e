"""The numbers the docs give about the exercises (LMS maxima, CPD minutes, item counts) are the
keys' own: read from the docs and README and checked against :func:`grader.exercise.load_exercise`,
so that an assessor who types them into an LMS, or a learner who reads them, is never misled."""

from __future__ import annotations

import re
from pathlib import Path

from grader.exercise import exercise_ids, load_exercise

ROOT = Path(__file__).resolve().parents[1]


def _text(name: str) -> str:
    return " ".join((ROOT / name).read_text(encoding="utf-8").split())


def _points(value: float) -> str:
    return f"{value:g}"


def test_lms_maxima_in_the_cohort_guide_are_the_exercises_total_points():
    found = re.findall(r"\((\d+) for ex01, (\d+) for ex02, (\d+) for ex03;",
                       _text("docs/cohort-grading.md"))
    assert len(found) == 1, "the LMS maxima sentence was not found in docs/cohort-grading.md"
    maxima = [_points(load_exercise(i).max_score) for i in sorted(exercise_ids())]
    assert list(found[0]) == maxima


def test_cpd_minutes_in_the_certificates_guide_are_the_keys():
    found = re.findall(r"\(Exercise 1: (\d+) minutes, 2: (\d+), 3: (\d+)\)",
                       _text("docs/certificates.md"))
    assert len(found) == 1, "the CPD minutes sentence was not found in docs/certificates.md"
    minutes = [str(load_exercise(i).key.minutes) for i in sorted(exercise_ids())]
    assert list(found[0]) == minutes


def test_item_counts_and_totals_in_the_docs_are_the_keys():
    ex01 = load_exercise("ex01_classify_posts")
    one_point = sum(1 for i in ex01.auto_items if i.points == 1)
    found = re.findall(r"ex01 \((\d+) one-point items", _text("docs/cohort-grading.md"))
    assert found == [str(one_point)]
    posts = re.findall(r"\*\*Exercise 1\*\* \(classify (\d+) posts\)", _text("README.md"))
    assert posts == [str(len(ex01.auto_items))]
    table = _text("docs/exercises.md")
    for exercise_id in ("ex01_classify_posts", "ex02_rules_and_responses"):
        row = re.search(rf"\| `{exercise_id}` \|[^|]*\|[^|]*\| (\d+), scored automatically \|",
                        table)
        assert row, exercise_id
        assert row[1] == _points(load_exercise(exercise_id).max_score)
    assert not re.search(r"\b(24|27) one-point items", _text("README.md"))
