"""Feedback for one item, written for the learner: right or not, the rule, the principle, why.

Used by the nbgrader plugin (the message under each item in the feedback page) and available
to the cohort command. Never a traceback, never test code; the correct answer only when the
trainer's setting allows (:mod:`grader.settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from course.catalogue.scenarios import load_framework
from grader.items import Item
from grader.scoring import ItemScore

_STYLE = {
    True: "border-left:4px solid #2e7d32;background:#f1f8f1",
    False: "border-left:4px solid #b26a00;background:#fff8ec",
}


@dataclass(frozen=True)
class Feedback:
    """The parts of one item's feedback, as plain text."""

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

    def html(self, correct: bool) -> str:
        rows = [f"<p style='margin:0 0 .4em'><strong>{escape(self.headline)}</strong> "
                f"{escape(self.answer_line)}</p>"]
        for name, value in (("Rule", self.rule), ("Principle", self.principle)):
            if value:
                rows.append(
                    f"<p style='margin:0 0 .3em'><strong>{name}:</strong> {escape(value)}</p>"
                )
        for value in (self.option_note, self.explanation):
            if value:
                rows.append(f"<p style='margin:0 0 .3em'>{escape(value)}</p>")
        if self.hint:
            rows.append(
                f"<p style='margin:0'><em>Something to think about:</em> {escape(self.hint)}</p>"
            )
        return (f"<div class='pwc-feedback' style='{_STYLE[correct]};padding:.5em .8em;"
                f"font-family:sans-serif;line-height:1.4'>" + "".join(rows) + "</div>")


def rule_text(rule_id: str | None) -> str | None:
    """``disclose`` -> ``1. Never share anything about a client online``."""
    if rule_id is None:
        return "None broken: this is fine to post."
    rule = next(r for r in load_framework().rules if r.id == rule_id)
    return f"{rule.number}. {rule.title}"


def principle_text(principle_id: str | None) -> str | None:
    if principle_id is None:
        return None
    principle = next(p for p in load_framework().principles if p.id == principle_id)
    return f"{principle.name} \u2014 {principle.plain}"


def _shown(item: Item, value: str | None) -> str:
    if value is None:
        return ""
    if item.kind == "rule":
        return rule_text(value) or value
    if item.kind == "principle":
        return next(p.name for p in load_framework().principles if p.id == value)
    return value


def item_feedback(item: Item, score: ItemScore, show_correct_answer: bool) -> Feedback:
    """What the learner reads under one item after marking."""
    if score.correct:
        headline = "\u2713 Right."
        answer_line = f"You answered \u201c{_shown(item, score.value)}\u201d."
    else:
        headline = "\u2717 Not this time."
        if score.status == "answered":
            answer_line = f"You answered \u201c{_shown(item, score.value)}\u201d."
        elif score.status == "unreadable" and score.raw is not None:
            answer_line = (f"You typed \u201c{score.raw.strip()}\u201d, which isn't one of the "
                           f"answers that can be marked ({item.format.describe()}).")
        elif score.status == "unreadable":
            answer_line = ("Your answer line couldn't be read, so it couldn't be marked. Next "
                           "time, keep the answer between the two quotation marks.")
        else:
            answer_line = "No answer was given."
        if show_correct_answer:
            answer_line += f" The answer was \u201c{_shown(item, item.answer)}\u201d."
    teach = score.correct or show_correct_answer
    note = None
    if item.kind == "letter" and score.status == "answered" and score.value:
        note = item.option_feedback.get(score.value)
    return Feedback(
        headline=headline,
        answer_line=answer_line,
        rule=rule_text(item.rule) if teach else None,
        principle=principle_text(item.principle) if teach else None,
        explanation=item.explanation if teach else None,
        hint=None if teach else item.hint,
        option_note=note,
    )


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
