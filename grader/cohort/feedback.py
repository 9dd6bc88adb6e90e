"""One feedback page per learner: per item, right or not, the rule, the principle, why.

Each item's words come from the course's own feedback (:func:`grader.feedback.item_feedback`)
and are rendered by the same item template as nbgrader's feedback
(``grader/templates/items/item_feedback.html.j2``), so the cohort pages and nbgrader's never
disagree. The correct answer (and, for a wrong answer, the rule, principle and explanation,
which would give it away) appears only when the course's setting for the exercise says so
(:mod:`grader.settings`) or the assessor overrides it. With answers hidden, nothing on the page
depends on the key of an item the learner got wrong: no summary by rule or principle, and a
glossary of every principle of the course rather than the exercise's.
"""

from __future__ import annotations

from markupsafe import Markup

from course.catalogue import wording
from grader.feedback import (
    Feedback,
    item_feedback,
    item_html,
    posts_all_right,
    principle_text,
    rule_text,
)
from grader.render import environment, points

from .model import LearnerOutcome


def _reminder(item) -> str:
    """What the item was about (from the key, never the learner); empty if it repeats the label."""
    return "" if item.summary == item.label else item.summary


def _hand_marked(mark: float | None, out_of: float) -> Feedback:
    line = (f"Mark: {points(mark)} out of {points(out_of)}." if mark is not None
            else "Not marked yet.")
    return Feedback(headline="Marked by your assessor.", answer_line=line, rule=None,
                    principle=None, explanation=None, hint=None, option_note=None)


def render(outcome: LearnerOutcome, show_answers: bool, name_learner: bool = True) -> str:
    """The HTML page for one learner (``name_learner`` False: a learner marking their own work,
    whose page needs no "Feedback for …")."""
    exercise = outcome.exercise
    by_id = {i.id: i for i in exercise.items}
    whole = posts_all_right(exercise.items, outcome.items)
    items = []
    for score in outcome.items:
        item = by_id.get(score.item_id)
        if item is None:
            continue
        if item.manual:
            words = _hand_marked(score.points if score.marked else None, item.points)
            correct = None
        else:
            words = item_feedback(item, score, show_answers, whole.get(item.id, True))
            correct = score.correct
        items.append({"label": item.label, "summary": _reminder(item),
                      "tone": "manual" if correct is None else ("right" if correct else "wrong"),
                      "feedback": Markup(item_html(words, correct))})
    return environment().get_template("feedback.html.j2").render(
        title=exercise.title, learner=outcome.public_id if name_learner else None,
        problem=outcome.learner_problem,
        score=points(outcome.score), max_score=points(outcome.max_score),
        raw=points(outcome.raw_score),
        penalty=points(outcome.late_penalty) if outcome.late_penalty else "", items=items,
        pending=outcome.manual_pending, hints=list(outcome.hints),
        notes=" ".join(outcome.learner_notes), show_answers=show_answers,
        by_theme=by_rule_and_principle(outcome) if show_answers else [],
        principles=[] if show_answers else principle_glossary())


def by_rule_and_principle(outcome: LearnerOutcome) -> list[dict]:
    """With answers shown only: how many items the learner got right for each rule and each
    principle.

    Never with answers hidden: any summary keyed by the answer gives it away (one wrong item
    and "No rule broken: 11 of 12" names its verdict; several narrow the key down)."""
    by_id = {i.id: i for i in outcome.exercise.items}
    groups: dict[tuple[str, str], list[bool]] = {}
    for score in outcome.items:
        item = by_id.get(score.item_id)
        if item is None or item.manual or item.kind == "letter":
            continue
        if item.kind in ("verdict", "rule"):
            name = rule_text(item.rule) if item.rule else "No rule broken (fine to post)"
            groups.setdefault(("Rule", name), []).append(score.correct)
        if item.kind in ("verdict", "principle") and item.principle:
            name = principle_text(item.principle) or item.principle
            groups.setdefault(("Principle", name.split(" \u2014 ")[0]), []).append(
                score.correct)
    return [{"kind": kind, "name": name, "right": sum(marks), "of": len(marks)}
            for (kind, name), marks in sorted(groups.items())]


def principle_glossary() -> list[str]:
    """Every principle of the course, explained: the same on every page of every exercise, so
    it says nothing about which principles an exercise's wrong items were about."""
    ids = [p.id for p in wording.framework().principles]
    return [text for text in (principle_text(p) for p in ids) if text]
