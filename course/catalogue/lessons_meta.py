"""Lesson metadata (``content/lessons.yaml``): titles, CPD minutes, objectives, key points,
reflection prompts, exercise pointers and the trainer's notes, validated against a schema.

The learner's notebooks and the facilitator's guide are both built from this one file by
:mod:`course.authoring.build_lessons`, so the two can never disagree.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from course.catalogue.scenarios import CONTENT_DIR, ContentError, _describe, _read_yaml

LESSON_ID = r"^\d{2}-[a-z0-9-]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timing(_Strict):
    """One block of a workshop session."""

    activity: str = Field(min_length=3)
    minutes: int = Field(gt=0, le=120)


class Misconception(_Strict):
    """Something learners often believe, and what is actually the case."""

    belief: str = Field(min_length=10)
    reality: str = Field(min_length=10)


class Instructor(_Strict):
    """Notes for a trainer, never shown in the learner's notebook."""

    timings: list[Timing] = Field(min_length=2)
    discussion: list[str] = Field(min_length=2)
    misconceptions: list[Misconception] = Field(min_length=1)
    debrief: list[str] = Field(min_length=1)


class Exercise(_Strict):
    """The graded exercise a lesson prepares for."""

    path: str = Field(pattern=r"^exercises/ex\d{2}_[a-z0-9_]+/ex\d{2}_[a-z0-9_]+\.ipynb$")
    title: str = Field(min_length=5)
    note: str = Field(min_length=10)

    @field_validator("path")
    @classmethod
    def _folder_matches_file(cls, value: str) -> str:
        _, folder, name = value.split("/")
        if name != f"{folder}.ipynb":
            raise ValueError(f"the notebook should be named {folder}.ipynb inside {folder}/")
        return value


class Lesson(_Strict):
    id: str = Field(pattern=LESSON_ID)
    title: str = Field(min_length=5)
    minutes: int = Field(ge=5, le=180, description="CPD minutes for a learner working alone")
    objectives: list[str] = Field(min_length=2, max_length=6)
    key_points: list[str] = Field(min_length=3, max_length=8)
    reflection: str = Field(min_length=20)
    quiz: list[str] = Field(
        min_length=2,
        description="the quiz's posts: this lesson's posts that its page does not show as "
                    "practice (a quiz never re-tests a post the learner has just judged)",
    )
    exercise: Exercise | None = None
    instructor: Instructor

    @model_validator(mode="after")
    def _timings_add_up(self) -> Lesson:
        total = sum(t.minutes for t in self.instructor.timings)
        if total != self.minutes:
            raise ValueError(
                f"instructor timings add up to {total} minutes but the lesson has {self.minutes}"
            )
        return self

    @property
    def number(self) -> int:
        return int(self.id[:2])


def load_lessons(content_dir: Path | str = CONTENT_DIR) -> list[Lesson]:
    """The lessons in course order, validated; numbered 01, 02, … without gaps."""
    path = Path(content_dir) / "lessons.yaml"
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("lessons"), list):
        raise ContentError(f"{path.name}: expected a top-level 'lessons:' list")
    lessons = []
    for index, entry in enumerate(data["lessons"], start=1):
        lesson_id = entry.get("id", f"entry #{index}") if isinstance(entry, dict) else index
        try:
            lesson = Lesson.model_validate(entry)
        except ValidationError as error:
            raise ContentError(f"{path.name}: lesson {lesson_id}: {_describe(error)}") from error
        if lesson.number != index:
            raise ContentError(
                f"{path.name}: lesson {lesson.id}: field 'id': expected lesson number {index:02d}"
            )
        lessons.append(lesson)
    return lessons
