"""Feedback for one item, written for the learner: right or not, the rule, the principle, why.

Used by the nbgrader plugin (the message under each item in nbgrader's feedback page) and by
the cohort command's feedback pages, through one template (:func:`item_html`). Never a
traceback, never test code; the correct answer only when the trainer's setting allows
(:mod:`grader.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from course.catalogue import wording
from grader.items import Item
from grader.scoring import ItemScore

_STYLE = {
    True: "border-left:4px solid #2e7d32;background:#f1f8f1",
    False: "border-left:4px solid #b26a00;background:#fff8ec",
}

@dataclass(frozen=True)
class Feedback:
    """The parts of one item's feedback, as plain text (rendered by the course's one item
    template, ``grader/templates/items/item_feedback.html.j2``)."""

    headline: str
    answer_line: str
    rule: str | None
    principle: str | None
    explanation: str | None
    hint: str | None
    option_note: str | None

    def text(self) -> str:
        parts = [self.headline, self.answer_line]
        for name, value in (("Rule", self.rule), ("Principle", self.principle)):
            if value:
                parts.append(f"{name}: {value}")
        for value in (self.option_note, self.explanation):
            if value:
                parts.append(value)
        if self.hint:
            parts.append(f"Something to think about: {self.hint}")
        return "\n".join(part for part in parts if part)

    def html(self, correct: bool | None) -> str:
        """The item's feedback box (the same HTML in nbgrader's and the cohort's pages)."""
        return item_html(self, correct)


def item_html(feedback: Feedback, correct: bool | None) -> str:
    """Render one item's feedback with the shared template (``correct`` None: marked by hand)."""
    from grader.render import environment

    template = environment().get_template("item_feedback.html.j2")
    return template.render(fb=feedback, correct=correct).strip()


def rule_text(rule_id: str | None) -> str:
    """``disclose`` -> ``1. Never share anything about a client online``."""
    return wording.rule_numbered(rule_id)


def principle_text(principle_id: str | None) -> str | None:
    return wording.principle_described(principle_id)


def _shown(item: Item, value: str | None) -> str:
    if value is None:
        return ""
    if item.kind == "rule":
        return rule_text(value) or value
    if item.kind == "principle":
        return wording.principle(value).name
    return value


def item_feedback(item: Item, score: ItemScore, show_correct_answer: bool,
                  post_all_right: bool = True) -> Feedback:
    """What the learner reads under one item after marking.

    **Answers shown** (a practice run): every item gets its answer, rule, principle and
    explanation. **Answers hidden** (the default, since keys are reused): nothing on the page
    lets a reader work out the answer to an item the learner got wrong:

    * a wrong answer is not repeated back (with two possible answers, "you answered
      'acceptable'" names the right one), and gets a hint instead of the teaching;
    * a right answer gets its own teaching only: a rule item its rule, a principle item its
      principle (a verdict both), and the post's explanation only when every item about the
      same post (``post_all_right``) was right, as the explanation would give the others away.
    """
    shown = show_correct_answer
    if score.correct:
        headline = "\u2713 Right."
        answer_line = f"You answered \u201c{_shown(item, score.value)}\u201d."
    else:
        headline = "\u2717 Not this time."
        if score.status == "answered":
            answer_line = (f"You answered \u201c{_shown(item, score.value)}\u201d." if shown
                           else "Your answer was marked, but it isn't the right one.")
        elif score.status == "unreadable" and score.raw is not None and item.format:
            answer_line = (f"You typed \u201c{score.raw.strip()}\u201d, which isn't one of the "
                           f"answers that can be marked ({item.format.describe()}).")
        elif score.status == "unreadable":
            answer_line = ("Your answer line couldn't be read, so it couldn't be marked. Next "
                           "time, keep the answer between the two quotation marks.")
        else:
            answer_line = "No answer was given."
        if shown:
            answer_line += f" The answer was \u201c{_shown(item, item.answer)}\u201d."
    teach = score.correct or shown
    whole = shown or post_all_right
    note = None
    if item.kind == "letter" and score.status == "answered" and score.value:
        note = item.option_feedback.get(score.value)
    own_rule = item.kind in ("verdict", "rule")
    own_principle = item.kind in ("verdict", "principle")
    return Feedback(
        headline=headline,
        answer_line=answer_line,
        rule=rule_text(item.rule) if teach and (own_rule or whole) else None,
        principle=principle_text(item.principle) if teach and (own_principle or whole)
        else None,
        explanation=item.explanation if teach and whole else None,
        hint=None if teach else item.hint,
        option_note=note,
    )


def posts_all_right(items, scores) -> dict[str, bool]:
    """Item id → whether every item about the same post (entry) was answered right."""
    entry_of = {item.id: item.entry for item in items}
    right: dict[str, bool] = {}
    for score in scores:
        entry = entry_of.get(score.item_id, score.item_id)
        right[entry] = right.get(entry, True) and bool(score.correct or score.manual)
    return {item_id: right.get(entry, True) for item_id, entry in entry_of.items()}


def hints_html(hints: list[str]) -> str:
    """Completeness hints for the written policy (never a mark)."""
    if not hints:
        body = ("<p style='margin:0'>Every section of your policy has some words in it and "
                "touches its topic. Your assessor marks it against the rubric.</p>")
    else:
        body = ("<p style='margin:0 0 .3em'><strong>A hint, not a mark:</strong> these sections "
                "could say more.</p><ul style='margin:0'>"
                + "".join(f"<li>{escape(h)}</li>" for h in hints) + "</ul>")
    return (f"<div class='pwc-feedback' style='{_STYLE[not hints]};padding:.5em .8em;"
            f"font-family:sans-serif'>{body}</div>")
