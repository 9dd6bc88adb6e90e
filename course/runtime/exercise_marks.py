"""The exercise marks a learner earned marking their own work in the app (self-paced), for the
CPD record: the **first** marked attempt of each exercise, kept as ``first_marked`` in
``exercises/<id>/state.json`` in the learner's private folder (written by
:mod:`course.app.exercise_copy` and the exercise page). Later attempts never change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from course.runtime import private


@dataclass(frozen=True)
class ExerciseMark:
    exercise_id: str
    title: str
    score: float
    max_score: float
    when: datetime
    manual_pending: bool = False


def first_marks() -> list[ExerciseMark]:
    """Each exercise's first marked attempt, in exercise order; unreadable entries are left out."""
    found = []
    for state in sorted((private.home() / "exercises").glob("ex*/state.json")):
        entry = private.read_json(state).get("first_marked")
        if not isinstance(entry, dict):
            continue
        try:
            found.append(ExerciseMark(
                exercise_id=state.parent.name,
                title=str(entry.get("title") or state.parent.name),
                score=float(entry["score"]),
                max_score=float(entry["max_score"]),
                when=datetime.fromisoformat(str(entry["when"])),
                manual_pending=bool(entry.get("manual_pending")),
            ))
        except (KeyError, TypeError, ValueError):
            continue
    return found
