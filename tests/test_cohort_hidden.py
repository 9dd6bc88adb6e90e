"""With answers hidden (the default), a learner's feedback page gives away nothing of the key of
an item they got wrong, through the real command (``python -m grader grade``).

Two checks, for several learners with different wrong items:

* **whatever the key of the wrong items**: each learner's page is byte for byte the same when
  the key of every item they got wrong is changed (its rule, principle, explanation, and, where
  there are more than two choices, its answer), keeping their marks the same. So nothing on the
  page is worked out from those keys;
* **the same page for everyone**: outside the items themselves, the page is the same text for
  every learner apart from their score (no summary by rule or principle, which is keyed by the
  answer: "No rule broken: 11 of 12" with one item wrong names its verdict).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import cohort_helpers as h
import pytest
import yaml

from course.catalogue import wording
from grader import locations


def _cohort(ex, folder: Path) -> dict[str, set[str]]:
    """Five learners, each with a different set of wrong items; learner → wrong item ids."""
    auto = list(ex.auto_items)
    patterns = [[12], [0], [0, 4, 9], [3, 5, 8, 14, 17], [len(auto) - 1, 1]]
    wrong: dict[str, set[str]] = {}
    for number, indices in enumerate(patterns):
        answers = h.key_answers(ex)
        for index in indices:
            answers[auto[index].variable] = h.wrong_answer(auto[index])
        learner = f"learner{number}"
        h.write_nb(folder / f"{learner}.ipynb", h.notebook(ex, answers))
        wrong[learner] = {auto[index].id for index in indices}
    return wrong


def _other(values, *avoid):
    return next(v for v in values if v not in avoid and v is not None)


def _mutated_course(ex, dest: Path, wrong: set[str], answers: dict[str, str]) -> Path:
    """A copy of the course with the key of every item in ``wrong`` changed, each still wrong
    for the learner who gave ``answers`` (item id → the answer they gave, as read)."""
    key_path = locations.keys_dir() / f"{ex.id}.yaml"
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    rules, principles = list(wording.rule_names()), list(wording.principle_names())
    by_entry: dict[str, list] = {}
    for item in ex.auto_items:
        by_entry.setdefault(item.entry, []).append(item)
    changed = 0
    for part in key["parts"]:
        for entry in part["entries"]:
            missed = [i for i in by_entry.get(entry["id"], []) if i.id in wrong]
            if not missed:
                continue
            entry["explanation"] = f"A different explanation of {entry['id']}, never shown."
            entry.pop("also_accept", None)
            for item in missed:
                given = answers[item.id]
                if item.kind == "verdict":
                    if entry.get("rule"):
                        entry["rule"] = _other(rules, entry["rule"])
                    entry["principle"] = _other(principles, entry["principle"])
                elif item.kind == "rule":
                    entry["rule"] = _other(rules, entry["rule"], given)
                elif item.kind == "principle":
                    entry["principle"] = _other(principles, entry["principle"], given)
                elif item.kind == "letter":
                    entry["answer"] = _other(entry["situation"]["options"], entry["answer"],
                                             given)
                    entry["principle"] = _other(principles, entry["principle"])
                changed += 1
    assert changed == len(wrong)
    (dest / "grader" / "keys").mkdir(parents=True)
    (dest / "grader" / "keys" / f"{ex.id}.yaml").write_text(
        yaml.safe_dump(key, allow_unicode=True, sort_keys=False), encoding="utf-8")
    release = dest / "exercises" / ex.id / ex.notebook_name
    release.parent.mkdir(parents=True)
    shutil.copyfile(ex.release_path, release)
    return dest


def _pages(out: Path) -> dict[str, str]:
    return {row["learner"]: (out / row["feedback"]).read_text(encoding="utf-8")
            for row in h.grades(out).values()}


@pytest.mark.parametrize("assignment", [h.EX01, h.EX02])
def test_a_page_is_the_same_whatever_the_key_of_its_wrong_items(tmp_path, monkeypatch,
                                                                 assignment):
    ex = h.load(assignment)
    flat = tmp_path / "flat"
    wrong = _cohort(ex, flat)
    out = tmp_path / "out"
    assert h.grade(assignment, flat, "--out", out, "--hide-correct-answers") == 0
    pages = _pages(out)
    read = {(r["learner"], r["item"]): r for r in h.items_csv(out)}
    for learner, missed in wrong.items():
        assert {item for (who, item), r in read.items()
                if who == learner and r["correct"] == "no"} == missed
        answers = {item: r["read_as"] for (who, item), r in read.items() if who == learner}
        course = _mutated_course(ex, tmp_path / f"course-{learner}", missed, answers)
        monkeypatch.setenv(locations.COURSE_ENV, str(course))
        again = tmp_path / f"out-{learner}"
        assert h.grade(assignment, flat, "--out", again, "--hide-correct-answers") == 0
        monkeypatch.delenv(locations.COURSE_ENV)
        assert h.grades(again)[learner]["score"] == h.grades(out)[learner]["score"]
        assert _pages(again)[learner] == pages[learner], learner


def _outside_items(page: str) -> str:
    """The page without its item boxes, its learner line and its score."""
    page = re.sub(r'<section class="item (right|wrong|manual)">.*?</section>', "", page,
                  flags=re.S)
    page = re.sub(r"<p>Feedback for <strong>.*?</strong></p>", "", page)
    return re.sub(r'<p class="score">.*?</p>', "", page, flags=re.S)


@pytest.mark.parametrize("assignment", [h.EX01, h.EX02])
def test_outside_the_items_every_learners_page_is_the_same(tmp_path, assignment):
    ex = h.load(assignment)
    flat = tmp_path / "flat"
    _cohort(ex, flat)
    out = tmp_path / "out"
    assert h.grade(assignment, flat, "--out", out, "--hide-correct-answers") == 0
    pages = _pages(out)
    assert len(pages) == 5
    rest = {_outside_items(page) for page in pages.values()}
    assert len(rest) == 1, "the page outside the items differs between learners"
    assert "by rule and by principle" not in rest.pop()
    assert all(page.count('<section class="item') == len(ex.items) for page in pages.values())
