"""The scoring core: read a notebook's literal answers and compare them with the key.

Nothing in a learner's notebook is ever run. Each answer line must be exactly
``name = "text"``; the text is tidied (case, spaces) and compared with the key. This module
needs only ``nbformat``-shaped data (a ``NotebookNode`` or plain dicts), not nbgrader, so the
cohort command can use it in bulk.

How an answer is found, for each item:

1. every code cell is read with :func:`course.answers.bindings`; the **last** binding of the
   item's name in notebook order wins, as it would if the learner ran every cell in order
   (cells may have been reordered, duplicated or stripped of their nbgrader metadata);
2. when no cell binds the name, the item's own answer cell (found by its nbgrader
   ``grade_id``) decides between *unanswered* (blank cell) and *unreadable* (anything else);
3. otherwise the answer is *missing*.

Written (manually marked) items are found by ``grade_id``; in a notebook that lost its
nbgrader metadata, by their heading (the ``#### Heading`` line the answer cell starts with;
the last such cell counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from course.answers import POLICY_STUB, Binding, bindings, policy_gaps, policy_text, read_status
from grader.items import Assignment, Item

STATUSES = ("answered", "unanswered", "unreadable", "missing")


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
    status: str
    message: str
    cell_index: int | None = None


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    raw: str | None
    value: str | None
    status: str
    correct: bool
    points: float
    max_points: float
    rule: str | None
    principle: str | None
    manual: bool = False
    message: str = ""


@dataclass(frozen=True)
class NotebookScore:
    """Scores for one notebook. ``score`` and ``max_score`` cover automatic items only;
    written items are listed with ``manual=True`` and 0 points (they are marked by hand)."""

    assignment_id: str
    items: list[ItemScore]
    score: float
    max_score: float
    manual_max_score: float = 0.0

    def item(self, item_id: str) -> ItemScore:
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise KeyError(item_id)


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


def read_answers(nb, assignment: Assignment) -> dict[str, AnswerRead]:
    """Every item's answer in ``nb``, keyed by item id (see the module docstring)."""
    cells = _cells(nb)
    auto = {item.variable: item for item in assignment.auto_items}
    last: dict[str, tuple[Binding, int]] = {}
    by_grade_id: dict[str, int] = {}
    by_heading: dict[str, int] = {}
    for index, cell in enumerate(cells):
        grade_id = _grade_id(cell)
        if grade_id is not None:
            by_grade_id[grade_id] = index
        if _cell_type(cell) == "markdown" and grade_id is None and assignment.manual_items:
            heading = _heading(_source(cell))
            if heading:
                by_heading[heading] = index
        if _cell_type(cell) != "code":
            continue
        for binding in bindings(_source(cell), auto):
            last[binding.name] = (binding, index)

    answers: dict[str, AnswerRead] = {}
    for item in assignment.items:
        if item.manual:
            index = by_grade_id.get(item.answer_cell)
            if index is None:
                index = by_heading.get(" ".join(item.label.split()).casefold())
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


def _read_written(item: Item, cells: list, index: int | None) -> AnswerRead:
    if index is None or _cell_type(cells[index]) != "markdown":
        return AnswerRead(item.id, None, None, "missing", f"{item.label}: the section is missing.")
    source = _source(cells[index])
    text = policy_text(source)
    if not text:
        message = f"{item.label}: not written yet."
        return AnswerRead(item.id, source, None, "unanswered", message, index)
    return AnswerRead(item.id, source, None, "answered", f"{item.label}: written.", index)


def score_notebook(nb, assignment: Assignment) -> NotebookScore:
    """Score ``nb`` against the key: each automatic item earns its points when answered right."""
    answers = read_answers(nb, assignment)
    scores = []
    for item in assignment.items:
        read = answers[item.id]
        correct = (
            not item.manual and read.status == "answered" and read.value in item.accepted
        )
        scores.append(ItemScore(
            item_id=item.id, raw=read.raw, value=read.value, status=read.status,
            correct=correct, points=float(item.points) if correct else 0.0,
            max_points=float(item.points), rule=item.rule, principle=item.principle,
            manual=item.manual, message=read.message,
        ))
    return NotebookScore(
        assignment_id=assignment.id,
        items=scores,
        score=float(sum(s.points for s in scores if not s.manual)),
        max_score=assignment.max_score,
        manual_max_score=assignment.manual_max_score,
    )


def policy_hints(nb, assignment: Assignment) -> list[str]:
    """Completeness hints for a written policy (a hint, never a grade); [] when complete."""
    spec = assignment.policy_spec()
    if not spec:
        return []
    answers = read_answers(nb, assignment)
    texts: dict[str, str | None] = dict.fromkeys(spec)
    for item in assignment.manual_items:
        if item.answer_cell in spec:
            texts[item.answer_cell] = answers[item.id].raw
    return policy_gaps(texts, spec)


__all__ = [
    "POLICY_STUB",
    "STATUSES",
    "AnswerRead",
    "ItemScore",
    "NotebookScore",
    "policy_hints",
    "read_answers",
    "score_notebook",
]
