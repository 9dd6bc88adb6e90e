"""One feedback page per learner: per item, right or not, the rule, the principle, why.

The words for each item come from the course's own feedback (:func:`grader.feedback.item_feedback`),
so the cohort pages and nbgrader's feedback never disagree. The correct answer (and, for a wrong
answer, the rule, principle and explanation, which would give it away) appears only when the
course's setting for the exercise says so (:mod:`grader.settings`) or the assessor overrides it.
"""

from __future__ import annotations

from grader.feedback import item_feedback
from grader.scoring import ItemScore

from .render import environment, points


def _score(result) -> ItemScore:
    return ItemScore(item_id=result.item_id, raw=result.raw, value=result.value,
                     status=result.status, correct=result.correct, points=result.points,
                     max_points=result.max_points, rule=None, principle=None,
                     manual=result.manual, message=result.message)


def _reminder(item) -> str:
    """What the item was about (from the key, never the learner); empty if it repeats the label."""
    return "" if item.summary == item.label else item.summary


def render(row, exercise, show_answers: bool) -> str:
    """The HTML page for one learner (a :class:`~grader.cohort.pipeline.Row`)."""
    by_id = {i.id: i for i in exercise.items}
    items = []
    for result in row.items:
        item = by_id.get(result.item_id)
        if item is None:
            continue
        if item.manual:
            mark = row.manual_marks.get(result.item_id)
            items.append({"label": item.label, "summary": _reminder(item),
                          "correct": True, "manual": True,
                          "headline": "Marked by your assessor.",
                          "answer_line": (f"Mark: {points(mark)} out of {points(item.points)}."
                                          if mark is not None else "Not marked yet."),
                          "rule": None, "principle": None, "explanation": None,
                          "hint": None, "option_note": None})
            continue
        words = item_feedback(item, _score(result), show_answers)
        items.append({"label": item.label, "summary": _reminder(item),
                      "correct": result.correct, "manual": False,
                      "headline": words.headline, "answer_line": words.answer_line,
                      "rule": words.rule, "principle": words.principle,
                      "explanation": words.explanation, "hint": words.hint,
                      "option_note": words.option_note})
    return environment().get_template("feedback.html.j2").render(
        title=exercise.title, learner=row.public_id, problem=row.problem,
        score=points(row.score), max_score=points(row.max_score), raw=points(row.raw_score),
        penalty=points(row.late_penalty) if row.late_penalty else "", items=items,
        pending=row.manual_pending, hints=row.hints, notes=" ".join(row.learner_notes))
