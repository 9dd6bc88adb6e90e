"""One exercise of the course, as everything in grading sees it.

An :class:`Exercise` is a validated answer key (``grader/keys/<id>.yaml``, see
:mod:`grader.items`) flattened into :class:`~grader.items.Item` records, with its released
notebook (:mod:`grader.locations`). nbgrader's plugins, the scoring core, the cohort command
and ``make exercises`` all use this one description. Its three maxima are named and computed
from the items: :attr:`~Exercise.auto_max_score` (marked automatically),
:attr:`~Exercise.manual_max_score` (marked by hand in formgrader) and
:attr:`~Exercise.max_score` (the total, what the LMS files and grades.csv call the maximum).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader import locations
from grader.items import ExerciseKey, Item, entries, items_of, load_key

EXERCISE_IDS: tuple[str, ...] = (
    "ex01_classify_posts",
    "ex02_rules_and_responses",
    "ex03_social_media_policy",
)


class UnknownExercise(LookupError):
    """No exercise (key file, or released notebook) for this id; the message lists the known."""


@dataclass(frozen=True)
class Exercise:
    """A validated key, flattened, with its released notebook."""

    id: str
    title: str
    items: tuple[Item, ...]
    key: ExerciseKey
    check_cell: str | None = None
    keys_dir: str = ""

    def __reduce__(self):
        # sent to worker processes by id: each loads (and caches) its own copy of the key
        return (load_exercise, (self.id, self.keys_dir))

    @property
    def notebook(self) -> str:
        """The notebook's name without ``.ipynb`` (nbgrader's notebook id)."""
        return self.id

    @property
    def notebook_name(self) -> str:
        return f"{self.notebook}.ipynb"

    @property
    def release_path(self) -> Path:
        """The released notebook (what learners were given)."""
        return locations.release_notebook(self.id)

    @property
    def auto_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.manual)

    @property
    def manual_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.manual)

    @property
    def auto_max_score(self) -> float:
        """Points marked automatically."""
        return float(sum(item.points for item in self.auto_items))

    @property
    def manual_max_score(self) -> float:
        """Points marked by hand in formgrader (written items)."""
        return float(sum(item.points for item in self.manual_items))

    @property
    def max_score(self) -> float:
        """The exercise's total points: automatic plus hand-marked."""
        return self.auto_max_score + self.manual_max_score

    @property
    def show_answers(self) -> bool:
        """Whether feedback shows the correct answer: the course's setting for this exercise."""
        from grader import settings

        return settings.show_correct_answers(self.id)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def grade_cells(self) -> dict[str, str]:
        """Item id → the nbgrader grade cell (``grade_id``) that holds its points."""
        return {item.id: item.grade_cell for item in self.items}

    @property
    def answer_cells(self) -> dict[str, str]:
        """Item id → the nbgrader solution cell that holds the learner's typed answer."""
        return {item.id: item.answer_cell for item in self.auto_items}

    def answer_formats(self) -> dict[str, str]:
        """Answer name -> format spec, for the learner's checker (no answers in it)."""
        return {item.variable: item.format.spec for item in self.auto_items if item.format}

    def policy_spec(self) -> dict[str, dict]:
        """Section id -> label, keywords and hint, for the completeness hints."""
        spec = {}
        for entry in entries(self.key):
            if entry.section is not None:
                spec[entry.id] = {
                    "label": entry.section.heading,
                    "keywords": list(entry.section.keywords),
                    "hint": entry.section.hint,
                }
        return spec


def exercise_ids() -> list[str]:
    """Every exercise id of the course."""
    return list(EXERCISE_IDS)


@lru_cache(maxsize=16)
def _load(exercise_id: str, keys_dir: str) -> Exercise:
    folder = Path(keys_dir)
    path = folder / f"{exercise_id}.yaml"
    if not re.fullmatch(r"ex\d{2}_[a-z0-9_]+", exercise_id) or not path.is_file():
        known = sorted(p.stem for p in folder.glob("ex*.yaml"))
        raise UnknownExercise(
            f"There is no exercise called '{exercise_id}'. The course's exercises are: "
            f"{', '.join(known) or 'none'}.")
    key = load_key(path)
    return Exercise(id=key.id, title=key.title, items=items_of(key), key=key,
                    check_cell=key.check_cell, keys_dir=keys_dir)


def load_exercise(exercise_id: str, keys_dir: str | Path | None = None) -> Exercise:
    """The validated key of one exercise, flattened into items (cached)."""
    return _load(exercise_id, str(Path(keys_dir) if keys_dir else locations.keys_dir()))


def load_released(exercise_id: str) -> Exercise:
    """:func:`load_exercise`, and make sure its released notebook is there (for grading)."""
    exercise = load_exercise(exercise_id)
    if not exercise.release_path.is_file():
        raise UnknownExercise(
            f"The released notebook of {exercise_id} is missing ({exercise.release_path}). "
            f"In a checkout, run 'make exercises'; with {locations.COURSE_ENV} set, check "
            "that it names a course folder with exercises/ in it.")
    return exercise
