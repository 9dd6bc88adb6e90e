"""The scoring core: read a notebook's literal answers and compare them with the key.

Nothing in a learner's notebook is ever run. Each answer line must be exactly
``name = "text"``; the text is tidied (case, spaces) and compared with the key. This module
needs only ``nbformat``-shaped data (a ``NotebookNode`` or plain dicts), not nbgrader, so the
cohort command can use it in bulk.

How an answer is found, for each item:

1. every code cell is read with :func:`course.answer_language.bindings`; the **last** binding of the
   item's name in notebook order wins, as it would if the learner ran every cell in order
   (cells may have been reordered, duplicated or stripped of their nbgrader metadata);
2. when no cell binds the name, the item's own answer cell (found by its nbgrader
   ``grade_id``) decides between *unanswered* (blank cell) and *unreadable* (anything else);
3. otherwise the answer is *missing*.

Written (manually marked) items are found by ``grade_id``; in a notebook that lost its
nbgrader metadata, by their heading (the ``#### Heading`` line the answer cell starts with;
the last such cell counts).

:func:`score_notebook` reads a notebook once and returns a :class:`NotebookScore`: one
:class:`ItemScore` per item (what was read, where, and the points it earned), and the
completeness hints of a written policy. That one record is what nbgrader's autograde step, the
cohort's gradebook, CSV files, feedback pages, report and formgrader copies all use; a hand mark
given later in formgrader is added to it with :meth:`ItemScore.with_mark`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from course.answer_language import (
    POLICY_STUB,
    STATUSES,
    Binding,
    Status,
    bindings,
    policy_gaps,
    policy_text,
    read_status,
)
from grader.exercise import Exercise, exercise_ids, load_exercise
from grader.items import Item


@dataclass(frozen=True)
class AnswerRead:
    """One answer as read from a notebook.

    ``raw`` is the text as the learner typed it between the quotes (None when there is no
    readable text); ``value`` is the canonical answer when ``status == "answered"``, else None.
    ``message`` is plain English and never says whether the answer is right. ``cell_index`` is
    where the answer was found (None when missing).
    """

    item_id: str
    raw: str | None
    value: str | None
    status: Status
    message: str
    cell_index: int | None = None


@dataclass(frozen=True)
class ItemScore:
    """One item of one notebook, from scoring to every output: what was read and what it earned.

    ``points`` is what the item earned: for an automatic item, its points when right; for a
    written item, the hand mark once given (``marked``), else 0.
    """

    item_id: str
    raw: str | None
    value: str | None
    status: Status
    correct: bool
    points: float
    max_points: float
    manual: bool = False
    marked: bool = True
    message: str = ""
    cell_index: int | None = None

    @property
    def pending(self) -> bool:
        """A written item that is still to be marked by hand."""
        return self.manual and not self.marked

    def with_mark(self, mark: float) -> ItemScore:
        """This written item with the hand mark given in formgrader."""
        return replace(self, points=float(mark), marked=True)


@dataclass(frozen=True)
class NotebookScore:
    """Everything one reading of a notebook gives: each item's score, and hints for written
    parts (a hint, never a mark). Totals are computed from the items."""

    exercise_id: str
    items: tuple[ItemScore, ...]
    hints: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        """Points earned so far: automatic items, and written items once marked by hand."""
        return float(sum(i.points for i in self.items))

    @property
    def auto_score(self) -> float:
        return float(sum(i.points for i in self.items if not i.manual))

    @property
    def auto_max_score(self) -> float:
        return float(sum(i.max_points for i in self.items if not i.manual))

    @property
    def manual_max_score(self) -> float:
        return float(sum(i.max_points for i in self.items if i.manual))

    @property
    def max_score(self) -> float:
        return self.auto_max_score + self.manual_max_score

    @property
    def pending(self) -> int:
        """How many written items are still to be marked by hand."""
        return sum(i.pending for i in self.items)

    def item(self, item_id: str) -> ItemScore:
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise KeyError(item_id)

    def with_marks(self, marks: Mapping[str, float]) -> NotebookScore:
        """The score with hand marks (item id → mark) for written items."""
        return replace(self, items=tuple(
            i.with_mark(marks[i.item_id]) if i.manual and i.item_id in marks else i
            for i in self.items))


def _cells(nb) -> list:
    cells = nb.get("cells", []) if isinstance(nb, Mapping) else getattr(nb, "cells", [])
    return cells if isinstance(cells, list) else []


def _source(cell) -> str:
    source = cell.get("source", "") if isinstance(cell, Mapping) else ""
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def _grade_id(cell) -> str | None:
    if not isinstance(cell, Mapping):
        return None
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, Mapping) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, Mapping) else None
    return grade_id if isinstance(grade_id, str) else None


def _cell_type(cell) -> str | None:
    return cell.get("cell_type") if isinstance(cell, Mapping) else None


def _heading(source: str) -> str | None:
    """A markdown cell's first line, tidied, when it is a heading (``#### Contacting me``)."""
    for line in source.splitlines():
        line = line.strip()
        if line:
            return " ".join(line.lstrip("#").split()).casefold() if line.startswith("#") else None
    return None


def read_answers(nb, assignment: Exercise) -> dict[str, AnswerRead]:
    """Every item's answer in ``nb``, keyed by item id (see the module docstring)."""
    cells = _cells(nb)
    auto = {item.variable: item for item in assignment.auto_items}
    last: dict[str, tuple[Binding, int]] = {}
    by_grade_id: dict[str, int] = {}
    by_heading: dict[str, int] = {}
    for position, cell in enumerate(cells):
        grade_id = _grade_id(cell)
        if grade_id is not None:
            by_grade_id[grade_id] = position
        if _cell_type(cell) == "markdown" and grade_id is None and assignment.manual_items:
            heading = _heading(_source(cell))
            if heading:
                by_heading[heading] = position
        if _cell_type(cell) != "code":
            continue
        for bound in bindings(_source(cell), auto):
            last[bound.name] = (bound, position)

    answers: dict[str, AnswerRead] = {}
    index: int | None
    binding: Binding | None
    for item in assignment.items:
        if item.manual:
            index = by_grade_id.get(item.answer_cell)
            if index is None:
                index = by_heading.get(" ".join(item.label.split()).casefold())
            if index is None:
                index = _after_card(item, cells, by_heading, by_grade_id)
            answers[item.id] = _read_written(item, cells, index)
            continue
        assert item.format is not None
        found = last.get(item.variable)
        if found is not None:
            binding, index = found
        else:
            index = by_grade_id.get(item.answer_cell)
            if index is not None and _cell_type(cells[index]) == "code":
                blank = not _source(cells[index]).strip()
                binding = Binding(item.variable, "" if blank else None, None if blank else "syntax")
            else:
                binding, index = None, None
        status, value, message = read_status(item.variable, item.format, binding)
        raw = binding.raw if binding is not None else None
        answers[item.id] = AnswerRead(item.id, raw, value, status, message, index)
    return answers


def _after_card(item: Item, cells: list, by_heading: dict[str, int],
                by_grade_id: dict[str, int]) -> int | None:
    """A written part whose own heading and markings are gone: the learner's cell right after
    the part's card (``### Part 3 of 7: Friend and follow requests``), when that cell is not
    itself a card or another part."""
    label = " ".join(item.label.split()).casefold()
    card = by_grade_id.get(f"{item.answer_cell}_card")
    if card is None:
        card = next((index for heading, index in by_heading.items()
                     if heading.startswith("part ") and heading.endswith(": " + label)), None)
    if card is None or card + 1 >= len(cells):
        return None
    following = cells[card + 1]
    if _cell_type(following) != "markdown" or _grade_id(following) is not None:
        return None
    if _heading(_source(following)) is not None:
        return None  # a heading: another part's card or a section, not this part's answer
    return card + 1


def _read_written(item: Item, cells: list, index: int | None) -> AnswerRead:
    if index is None or _cell_type(cells[index]) != "markdown":
        return AnswerRead(item.id, None, None, "missing", f"{item.label}: the section is missing.")
    source = _source(cells[index])
    text = policy_text(source)
    if not text:
        message = f"{item.label}: not written yet."
        return AnswerRead(item.id, source, None, "unanswered", message, index)
    return AnswerRead(item.id, source, None, "answered", f"{item.label}: written.", index)


def score_notebook(nb, exercise: Exercise) -> NotebookScore:
    """Read ``nb`` once and score it against the key: each automatic item earns its points when
    answered right; written items wait for a hand mark."""
    answers = read_answers(nb, exercise)
    scores = []
    for item in exercise.items:
        read = answers[item.id]
        correct = (
            not item.manual and read.status == "answered" and read.value in item.accepted
        )
        scores.append(ItemScore(
            item_id=item.id, raw=read.raw, value=read.value, status=read.status,
            correct=correct, points=float(item.points) if correct else 0.0,
            max_points=float(item.points), manual=item.manual,
            marked=not item.manual or read.status == "unanswered",  # a blank part: 0
            message=read.message, cell_index=read.cell_index,
        ))
    return NotebookScore(exercise.id, tuple(scores), tuple(_policy_hints(answers, exercise)))


def _policy_hints(answers: Mapping[str, AnswerRead], exercise: Exercise) -> list[str]:
    spec = exercise.policy_spec()
    if not spec:
        return []
    texts: dict[str, str | None] = dict.fromkeys(spec)
    for item in exercise.manual_items:
        if item.answer_cell in spec:
            texts[item.answer_cell] = answers[item.id].raw
    return policy_gaps(texts, spec)


def policy_hints(nb, exercise: Exercise) -> list[str]:
    """Completeness hints for a written policy (a hint, never a grade); [] when complete."""
    return list(score_notebook(nb, exercise).hints)


def other_exercise(nb, exercise: Exercise) -> str | None:
    """The id of another exercise whose answers ``nb`` holds, if any (a wrong submission)."""
    for other_id in exercise_ids():
        if other_id == exercise.id:
            continue
        answers = read_answers(nb, load_exercise(other_id))
        if any(a.status != "missing" for a in answers.values()):
            return other_id
    return None


__all__ = [
    "POLICY_STUB",
    "STATUSES",
    "AnswerRead",
    "ItemScore",
    "NotebookScore",
    "other_exercise",
    "policy_hints",
    "read_answers",
    "score_notebook",
]
