"""Lesson progress for the learner's CPD record: which lessons are finished, when, and how the
quiz went at the first try.

A lesson counts as finished when its end-of-lesson quiz is worked through to the score. Each
finish is kept in ``progress.json`` in the learner's private folder (:mod:`course.runtime.private`),
next to the reflections: ``{lesson id: {"first_completed", "last_completed", "first_score",
"latest_score", "posts", "minutes"}}``. Finishing again updates the latest date and score and
keeps the first ones. Nothing is sent anywhere.

Exercises have a record of their own, kept in ``exercises.json`` in the same folder: the score
of the learner's **first attempt** at each exercise (and of the latest), written by whatever
checks the learner's answers on their own computer (the learner app) through
:func:`record_exercise_attempt`, and read by the CPD log through :func:`load_exercise_attempts`.
These are the learner's own records: self-declared, never sent anywhere, never a grade.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from course.catalogue.lessons_meta import Lesson
from course.runtime import private

FINISHED_NOTE = (
    "This lesson now counts towards your CPD record, which is kept on this computer only."
)


class Completion(BaseModel):
    """One finished lesson."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    first_completed: datetime
    last_completed: datetime
    first_score: int = Field(ge=0, description="first-try score when first finished")
    latest_score: int = Field(ge=0, description="first-try score when last finished")
    posts: int = Field(gt=0, description="posts in the quiz")
    minutes: int = Field(gt=0, description="the lesson's CPD minutes when first finished")


def progress_path() -> Path:
    return private.home() / "progress.json"


def load_progress() -> dict[str, Completion]:
    """Finished lessons by id; an entry that cannot be read is left out."""
    completions = {}
    for lesson_id, entry in private.read_json(progress_path()).items():
        try:
            completions[lesson_id] = Completion.model_validate(entry)
        except ValidationError:
            continue
    return completions


def record_completion(
    lesson: Lesson, *, score: int, posts: int, when: datetime | None = None
) -> Completion:
    """Note that ``lesson``'s quiz was finished with ``score`` of ``posts`` right at the first
    try; the first finish's date and score are kept."""
    when = (when or datetime.now()).replace(microsecond=0)
    raw = private.read_json(progress_path())
    earlier = load_progress().get(lesson.id)
    completion = Completion(
        first_completed=earlier.first_completed if earlier else when,
        last_completed=when,
        first_score=earlier.first_score if earlier else score,
        latest_score=score,
        posts=posts,
        minutes=earlier.minutes if earlier else lesson.minutes,
    )
    raw[lesson.id] = completion.model_dump(mode="json")
    private.write_json(progress_path(), raw)
    for view in list(_views):
        view.refresh()
    return completion


def quiz_recorder(lesson: Lesson) -> Callable[[int, int], str]:
    """A quiz's ``on_finish`` callback: record the finish and say so in plain words."""

    def record(score: int, posts: int) -> str:
        try:
            record_completion(lesson, score=score, posts=posts)
        except OSError as error:
            return f"Your CPD progress could not be saved on this computer ({error.strerror})."
        return FINISHED_NOTE

    return record


class ExerciseAttempt(BaseModel):
    """One exercise the learner has tried on their own computer: the first attempt's score
    (kept for good) and the latest one's.

    ``exercise`` is the exercise's id (``ex01_classify_posts``), ``title`` its title as the
    learner saw it ("Acceptable or not?"); scores count the points the learner's answers were
    worth when checked, out of ``max_score`` (the points that can be checked automatically).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    exercise: str = Field(min_length=1)
    title: str = Field(min_length=1)
    first_attempted: datetime
    first_score: float = Field(ge=0)
    latest_attempted: datetime
    latest_score: float = Field(ge=0)
    max_score: float = Field(gt=0)
    attempts: int = Field(default=1, ge=1)
    #: the first attempt's score is the learner's own marking of written parts (Exercise 3)
    self_assessed: bool = False


def exercises_path() -> Path:
    return private.home() / "exercises.json"


def load_exercise_attempts() -> dict[str, ExerciseAttempt]:
    """Exercises tried, by id; an entry that cannot be read is left out."""
    attempts = {}
    for exercise_id, entry in private.read_json(exercises_path()).items():
        try:
            attempt = ExerciseAttempt.model_validate(entry)
        except ValidationError:
            continue
        if attempt.exercise == exercise_id and attempt.first_score <= attempt.max_score:
            attempts[exercise_id] = attempt
    return attempts


def record_exercise_attempt(
    exercise: str, *, title: str, score: float, max_score: float, when: datetime | None = None,
    self_assessed: bool = False,
) -> ExerciseAttempt:
    """Note one attempt at ``exercise`` that scored ``score`` of ``max_score``
    (``self_assessed``: the learner marked it themselves against the rubric).

    The first attempt's date and score are kept whatever comes later; each call updates the
    latest date and score and counts the attempt. Raises :class:`ValueError` for a score
    outside 0..max_score and :class:`OSError` when the file cannot be written.
    """
    if not 0 <= score <= max_score or max_score <= 0:
        raise ValueError(f"An exercise score must be between 0 and {max_score}, not {score}.")
    when = (when or datetime.now()).replace(microsecond=0)
    raw = private.read_json(exercises_path())
    earlier = load_exercise_attempts().get(exercise)
    attempt = ExerciseAttempt(
        exercise=exercise,
        title=earlier.title if earlier else title,
        first_attempted=earlier.first_attempted if earlier else when,
        first_score=earlier.first_score if earlier else score,
        latest_attempted=when,
        latest_score=score,
        max_score=earlier.max_score if earlier else max_score,
        attempts=earlier.attempts + 1 if earlier else 1,
        self_assessed=earlier.self_assessed if earlier else self_assessed,
    )
    raw[exercise] = attempt.model_dump(mode="json")
    private.write_json(exercises_path(), raw)
    for view in list(_views):
        view.refresh()
    return attempt


class View(Protocol):
    """Something that shows the progress (the CPD record widget)."""

    def refresh(self) -> None: ...


# Live views refresh when a lesson is finished in the same kernel.
_views: weakref.WeakSet[View] = weakref.WeakSet()


def watch(view: View) -> None:
    """Call ``view.refresh()`` after each recorded finish, for as long as the view exists."""
    _views.add(view)
