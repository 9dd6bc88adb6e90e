"""One feedback page per learner: per item, right or not, the rule, the principle, why.

Each item's words come from the course's own feedback (:func:`grader.feedback.item_feedback`)
and are rendered by the same item template as nbgrader's feedback
(``grader/templates/items/item_feedback.html.j2``), so the cohort pages and nbgrader's never
disagree. The correct answer (and, for a wrong answer, the rule, principle and explanation,
which would give it away) appears only when the course's setting for the exercise says so
(:mod:`grader.settings`) or the assessor overrides it.
"""

from __future__ import annotations

from markupsafe import Markup

from grader.feedback import Feedback, item_feedback, item_html
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


def render(outcome: LearnerOutcome, show_answers: bool) -> str:
    """The HTML page for one learner."""
    exercise = outcome.exercise
    by_id = {i.id: i for i in exercise.items}
    items = []
    for score in outcome.items:
        item = by_id.get(score.item_id)
        if item is None:
            continue
        if item.manual:
            words = _hand_marked(score.points if score.marked else None, item.points)
            correct = None
        else:
            words = item_feedback(item, score, show_answers)
            correct = score.correct
        items.append({"label": item.label, "summary": _reminder(item),
                      "tone": "manual" if correct is None else ("right" if correct else "wrong"),
                      "feedback": Markup(item_html(words, correct))})
    return environment().get_template("feedback.html.j2").render(
        title=exercise.title, learner=outcome.public_id, problem=outcome.problem,
        score=points(outcome.score), max_score=points(outcome.max_score),
        raw=points(outcome.raw_score),
        penalty=points(outcome.late_penalty) if outcome.late_penalty else "", items=items,
        pending=outcome.manual_pending, hints=list(outcome.hints),
        notes=" ".join(outcome.learner_notes))
