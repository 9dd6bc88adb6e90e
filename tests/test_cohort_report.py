"""The trainer's report, checked against a small cohort whose numbers were worked out by hand.

Six learners A–F answer ex01. The first five items vary; every other item is right for all:

    item   A B C D E F   facility   discrimination (corrected point-biserial)
    i1     1 1 1 1 0 0   4/6 = 67%   0.125   → ambiguous (low)
    i2     1 1 0 0 0 0   2/6 = 33%   0.433
    i3     1 1 1 0 1 0   4/6 = 67%   0.632
    i4     0 0 1 0 1 1   3/6 = 50%  -0.620   → ambiguous (negative)
    i5     1 0 0 0 0 0   1/6 = 17%   0.415   → too hard
    others 1 1 1 1 1 1   100%        none    → too easy

Discrimination by the textbook formula r = (M1 − M0) / s · √(p·q), where M1 and M0 are the mean
"rest" scores (total minus the item) of those who got the item right and wrong, s the
population standard deviation of the rest scores, p the facility. For i3: the rest scores are
A 3, B 2, C 2, D 1, E 1, F 1; M1 = (3+2+2+1)/4 = 2, M0 = (1+1)/2 = 1, s = 0.745, p·q = 2/9, so
r = (2 − 1)/0.745 · 0.471 = 0.632. Totals: A 19, B 18, C 18, D 16, E 17, F 16 (out of 20 when
ex01 has 20 one-point items): mean 17.33, median 17.5; two learners on 16, one on 17, two on
18, one on 19.
"""

from __future__ import annotations

import math
import re

import cohort_helpers as h
import pandas as pd
import pytest

from grader.cohort import stats

PATTERN = {  # item index → right (1) or wrong (0) for learners A..F
    0: [1, 1, 1, 1, 0, 0],
    1: [1, 1, 0, 0, 0, 0],
    2: [1, 1, 1, 0, 1, 0],
    3: [0, 0, 1, 0, 1, 1],
    4: [1, 0, 0, 0, 0, 0],
}
LEARNERS = "ABCDEF"
FACILITY = [4 / 6, 2 / 6, 4 / 6, 3 / 6, 1 / 6]
DISCRIMINATION = [0.125, 0.433, 0.632, -0.620, 0.415]
FLAGS = ["ambiguous (low)", "", "", "ambiguous (negative)", "too hard"]


def _textbook_r(x: list[int], rest: list[float]) -> float:
    p = sum(x) / len(x)
    m1 = sum(r for r, a in zip(rest, x, strict=True) if a) / sum(x)
    m0 = sum(r for r, a in zip(rest, x, strict=True) if not a) / (len(x) - sum(x))
    mean = sum(rest) / len(rest)
    s = math.sqrt(sum((r - mean) ** 2 for r in rest) / len(rest))
    return (m1 - m0) / s * math.sqrt(p * (1 - p))


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    ex = h.load(h.EX01)
    assert all(i.points == 1 for i in ex.auto_items[:5])
    tmp = tmp_path_factory.mktemp("report")
    items = list(ex.auto_items)
    for column, learner in enumerate(LEARNERS):
        answers = h.key_answers(ex)
        for index, pattern in PATTERN.items():
            if not pattern[column]:
                answers[items[index].variable] = h.wrong_answer(items[index])
        h.nbgrader_submission(tmp / "submitted", learner, ex, h.notebook(ex, answers))
    out = tmp / "out"
    assert h.grade(h.EX01, tmp / "submitted", "--out", out, "-j", "1") == 0
    return ex, out


def test_the_worked_example_is_right():
    others = len(h.load(h.EX01).auto_items) - len(PATTERN)
    totals = [sum(p[k] for p in PATTERN.values()) + others for k in range(6)]
    for index, x in PATTERN.items():
        rest = [t - a for t, a in zip(totals, x, strict=True)]
        assert _textbook_r(x, rest) == pytest.approx(DISCRIMINATION[index], abs=5e-4)


def test_item_table_matches_the_hand_computation(cohort):
    ex, out = cohort
    items = pd.DataFrame(h.items_csv(out))
    items["points"] = items["points"].astype(float)
    items["max_points"] = items["max_points"].astype(float)
    table = stats.item_table(items, [i.id for i in ex.auto_items]).set_index("item")
    for index, item in enumerate(ex.auto_items[:5]):
        row = table.loc[item.id]
        assert row["facility"] == pytest.approx(FACILITY[index])
        assert row["discrimination"] == pytest.approx(DISCRIMINATION[index], abs=5e-4)
        assert row["flag"] == FLAGS[index]
    for item in ex.auto_items[5:]:
        assert table.loc[item.id, "facility"] == 1.0
        assert math.isnan(table.loc[item.id, "discrimination"])
        assert table.loc[item.id, "flag"] == "too easy"


def test_distribution_and_summary(cohort):
    ex, out = cohort
    scores = pd.Series([float(r["score"]) for r in h.grades(out).values()])
    top = int(ex.max_score)
    counts = stats.distribution(scores, ex.max_score)
    expected = {top - 4: 2, top - 3: 1, top - 2: 2, top - 1: 1}
    assert {k: v for k, v in counts.items() if v} == expected
    summary = stats.summary(scores, ex.max_score)
    assert summary["mean"] == pytest.approx(top - 4 + 4 / 3)
    assert summary["median"] == pytest.approx(top - 2.5)


def test_report_shows_the_numbers_in_plain_words(cohort):
    ex, out = cohort
    report = (out / "report.html").read_text(encoding="utf-8")
    top = int(ex.max_score)
    assert f"Average score <strong>{top - 4 + 4 / 3:.1f}</strong>" in report
    assert f"{top - 4} points: 2; {top - 3} points: 1; {top - 2} points: 2; " \
           f"{top - 1} points: 1" in report
    labels = [i.label for i in ex.auto_items]
    for index, label in enumerate(labels[:5]):
        match = re.search(rf"<tr><td>{re.escape(label)}</td><td class=\"num\">(\d+)%</td>\s*"
                          r"<td class=\"num\">(-?[\d.]+)</td>", report)
        assert match, label
        assert int(match[1]) == round(FACILITY[index] * 100)
        assert float(match[2]) == pytest.approx(DISCRIMINATION[index], abs=0.006)
    assert f"Too hard (most people wrong; check the teaching, or the item): {labels[4]}." \
        in report
    assert f"Possibly ambiguous (did not separate stronger from weaker learners; reread the " \
           f"wording and the key): {labels[0]}, {labels[3]}." in report
    assert report.count("data:image/png;base64,") == 2
    assert "Facility</strong> is the share of learners" in report


def test_misconceptions_grouped_by_rule_and_principle(cohort):
    ex, out = cohort
    items = list(ex.auto_items)
    wrong_by_rule: dict[str, int] = {}
    for index, pattern in PATTERN.items():
        rule = items[index].rule
        if rule:
            wrong_by_rule[rule] = wrong_by_rule.get(rule, 0) + pattern.count(0)
    rows = pd.DataFrame(h.items_csv(out))
    by_item = {i.id: i for i in items}
    answers = pd.DataFrame({
        "learner": rows["learner"], "item": rows["item"], "value": rows["read_as"],
        "correct": rows["correct"] == "yes",
        "rule": [by_item[i].rule for i in rows["item"]],
        "principle": [by_item[i].principle for i in rows["item"]]})
    table = stats.misconceptions(answers, "rule").set_index("rule")
    for rule, wrong in wrong_by_rule.items():
        assert table.loc[rule, "wrong"] == wrong
    principles = stats.misconceptions(answers, "principle")
    assert principles["wrong"].sum() == sum(p.count(0) for p in PATTERN.values())
    common = stats.common_wrong_answers(answers).set_index("item")
    assert common.loc[items[3].id, "count"] == 3
    assert common.loc[items[3].id, "answer"] == h.wrong_answer(items[3])
