"""Marking your own written parts, for a learner on their own (Exercise 3's policy).

A written part needs a reader: in an assessed cohort an assessor marks it; a learner studying
alone marks it themselves, against the same rubric the released exercise prints under each part
(the marks and what earns them). Nothing here comes from the answer key: the rubric is read from
the released notebook's part cards, which every learner already sees.

The learner's own marks are kept per attempt in the exercise's ``state.json``
(``"own_marks": {"1": {"policy_contact": 2, ...}}``); *Save my marks* puts the total in the
CPD record's exercises, labelled as their own assessment, and locks that attempt's marks
(``"self_saved": [1]``); *New attempt* starts afresh.

DOM contract: ``.pwc-self-assessment`` holds per part a radio group ``.pwc-self-mark`` (class
``pwc-self-mark-<part id>``) labelled "Your mark for Part N: HEADING"; ``.pwc-self-total``
(polite live region); button ``pwc-save-self-marks``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
from markupsafe import Markup

from course.app import exercise_copy
from course.runtime.widgets.classify import WIDE_LABEL, button

PART_HEADING = re.compile(r"^### Part (\d+) of \d+: (.+?)\s*$", re.MULTILINE)
CRITERION = re.compile(r"^\*\*How it is marked \((\d+) marks?\):\*\*\s*(.+?)\s*$", re.MULTILINE)
LEVEL_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", re.MULTILINE)
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def plain(markdown_text: str) -> str:
    """The card's Markdown text as plain text (entities and backslash escapes undone)."""
    return html.unescape(MARKDOWN_ESCAPE.sub(r"\1", markdown_text))


@dataclass(frozen=True)
class RubricPart:
    """One written part as the released exercise describes it to the learner."""

    id: str
    number: int
    heading: str
    criterion: str
    points: int
    levels: dict[int, str]


def rubric(exercise_id: str) -> list[RubricPart]:
    """The written parts' rubric, from the released notebook's part cards (``<id>_card``);
    empty for an exercise without written parts. A card that cannot be read raises ValueError
    naming it (the released notebooks are generated, so this is a build error, not a learner's)."""
    the_spec = exercise_copy.spec(exercise_id)
    nb = exercise_copy.read(exercise_copy.released_path(exercise_id))
    cards = {exercise_copy._grade_id(cell): cell.source for cell in nb.cells
             if cell.cell_type == "markdown"}
    parts = []
    for part_id in the_spec.policy:
        source = cards.get(f"{part_id}_card", "")
        heading, criterion = PART_HEADING.search(source), CRITERION.search(source)
        levels = {int(mark): plain(text) for mark, text in LEVEL_ROW.findall(source)}
        if not (heading and criterion and levels):
            raise ValueError(f"{exercise_id}: the card of {part_id} has no readable rubric")
        parts.append(RubricPart(part_id, int(heading[1]), plain(heading[2]),
                                plain(criterion[2]), int(criterion[1]), levels))
    return parts


def saved_marks(exercise_id: str) -> dict[str, int]:
    """This attempt's own marks so far, by part id."""
    data = exercise_copy.state(exercise_id)
    marks = (data.get("own_marks") or {}).get(str(data["attempt"])) or {}
    return {part: mark for part, mark in marks.items() if isinstance(mark, int)}


def marks_saved(exercise_id: str) -> bool:
    """Whether this attempt's own marks have been saved (and so are locked)."""
    data = exercise_copy.state(exercise_id)
    return data["attempt"] in (data.get("self_saved") or [])


def lock_marks(exercise_id: str) -> None:
    data = exercise_copy.state(exercise_id)
    saved = data.setdefault("self_saved", [])
    if data["attempt"] not in saved:
        saved.append(data["attempt"])
    exercise_copy.save_state(exercise_id, data)


def save_mark(exercise_id: str, part_id: str, mark: int) -> None:
    data = exercise_copy.state(exercise_id)
    by_attempt = data.setdefault("own_marks", {})
    by_attempt.setdefault(str(data["attempt"]), {})[part_id] = mark
    exercise_copy.save_state(exercise_id, data)


class SelfAssessment(widgets.VBox):
    """Each written part with the learner's words, the rubric, and a choice of their own mark.

    ``on_save(total, max_total)`` is called by *Save my marks* once every part has a mark."""

    def __init__(self, exercise_id: str, written: dict[str, str],
                 on_save: Callable[[int, int], None]) -> None:
        self.exercise_id, self.on_save = exercise_id, on_save
        self.parts = rubric(exercise_id)
        self.max_total = sum(part.points for part in self.parts)
        saved = saved_marks(exercise_id)
        self.marks: dict[str, widgets.RadioButtons] = {}
        children: list[widgets.Widget] = [widgets.HTML(
            "<h3>Mark your written parts yourself</h3><p>Nobody else reads your policy when "
            "you learn on your own, so the course cannot mark it. Read each part as a client "
            "would, then choose the mark the rubric gives it. Be fair to yourself: the rubric "
            "is the same one an assessor uses.</p>")]
        for part in self.parts:
            words = written.get(part.id, "").strip()
            shown = (Markup("<blockquote class='pwc-self-words'>{}</blockquote>").format(words)
                     if words else Markup("<p><em>You left this part empty.</em></p>"))
            children.append(widgets.HTML(str(Markup(
                "<h4>Part {n}: {heading}</h4><p><strong>What you wrote</strong></p>{shown}"
                "<p><strong>How it is marked:</strong> {criterion}</p>").format(
                    n=part.number, heading=part.heading, shown=shown,
                    criterion=part.criterion))).add_class("pwc-md"))
            control = widgets.RadioButtons(
                options=[(f"{mark} – {text}", mark) for mark, text in sorted(part.levels.items())],
                value=saved.get(part.id) if saved.get(part.id) in part.levels else None,
                description=f"Your mark for Part {part.number}: {part.heading}",
                style=WIDE_LABEL, layout=widgets.Layout(width="auto"),
            ).add_class("pwc-self-mark").add_class(f"pwc-self-mark-{part.id}")
            control.observe(lambda change, p=part.id: self._chosen(p, change["new"]),
                            names="value")
            self.marks[part.id] = control
            children.append(control)
        self.total = widgets.HTML("").add_class("pwc-self-total").add_class("pwc-live")
        self.save = button("Save my marks", "pwc-save-self-marks",
                           "Put your own marks in your CPD record")
        self.save.on_click(lambda _b: self._save())
        children += [self.total, self.save]
        super().__init__(children)
        self.add_class("pwc-self-assessment")
        self._show_total(saved=marks_saved(exercise_id))

    def given(self) -> dict[str, int]:
        return {part: control.value for part, control in self.marks.items()
                if control.value is not None}

    def _chosen(self, part_id: str, mark: int | None) -> None:
        if mark is not None:
            save_mark(self.exercise_id, part_id, mark)
        self._show_total()

    def _show_total(self, saved: bool = False) -> None:
        for control in self.marks.values():
            control.disabled = saved
        given = self.given()
        total = sum(given.values())
        if len(given) < len(self.parts):
            self.total.value = (f"<p>You have marked {len(given)} of {len(self.parts)} parts "
                                f"so far: {total} marks.</p>")
            self.save.disabled = True
            return
        self.save.disabled = saved
        self.save.layout.display = "none" if saved else "flex"
        ending = (" Saved in your CPD record, as your own assessment. To mark again, start a "
                  "<strong>New attempt</strong>." if saved else
                  " <strong>Save my marks</strong> puts this in your CPD record, as your own "
                  "assessment.")
        self.total.value = (f"<p>Your own marks: <strong>{total} of {self.max_total}</strong>."
                            f"{ending}</p>")

    def _save(self) -> None:
        given = self.given()
        if len(given) < len(self.parts):
            return
        self.on_save(sum(given.values()), self.max_total)
        lock_marks(self.exercise_id)
        self._show_total(saved=True)
