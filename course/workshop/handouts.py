"""The handouts the workshop activities name (``content/handouts.yaml``), validated: jigsaw
cards (Lesson 3), the role-play brief (Lesson 4), a sample social media policy to critique
(Lesson 7) and the carousel's station cards (Lesson 8)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from course.catalogue import bank
from course.catalogue.lessons_meta import LESSON_ID
from course.catalogue.scenarios import ContentError, Platform, _describe, _read_yaml

FILE_NAME = "handouts.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Handout(_Strict):
    title: str = Field(min_length=3)
    lesson: str = Field(pattern=LESSON_ID)
    activity: str = Field(min_length=40, description="how to run the activity")


class JigsawCard(_Strict):
    title: str
    platform: Platform
    display_name: str = Field(min_length=2)
    text: str = Field(min_length=20)
    details: list[str] = Field(min_length=2, description="what could identify someone")


class Jigsaw(_Handout):
    cards: list[JigsawCard] = Field(min_length=3)
    debrief: list[str] = Field(min_length=1)


class RolePlayScenario(_Strict):
    title: str
    setting: str = Field(min_length=40)
    counsellor: str = Field(min_length=40)
    client: str = Field(min_length=40)


class RolePlay(_Handout):
    scenarios: list[RolePlayScenario] = Field(min_length=1)
    observer: str = Field(min_length=20)
    debrief: list[str] = Field(min_length=1)


class PolicySection(_Strict):
    heading: str
    text: str = Field(min_length=20)


class SamplePolicy(_Handout):
    practice: str = Field(min_length=5)
    sections: list[PolicySection] = Field(min_length=4)
    questions: list[str] = Field(min_length=2)
    trainer_notes: list[str] = Field(min_length=2)


class Station(_Strict):
    title: str
    area: str
    scenario: str = Field(min_length=40)
    questions: list[str] = Field(min_length=2)
    watch_for: str = Field(min_length=20)


class Carousel(_Handout):
    stations: list[Station] = Field(min_length=2)
    debrief: list[str] = Field(min_length=1)


class Handouts(_Strict):
    jigsaw: Jigsaw
    role_play: RolePlay
    policy: SamplePolicy
    carousel: Carousel

    def by_lesson(self) -> dict[str, list[tuple[str, _Handout]]]:
        """Lesson id -> [(handout key, handout)] for the guide's per-lesson sections."""
        found: dict[str, list[tuple[str, _Handout]]] = {}
        for key in ("jigsaw", "role_play", "policy", "carousel"):
            handout = getattr(self, key)
            found.setdefault(handout.lesson, []).append((key, handout))
        return found


def load(content_dir: Path | None = None) -> Handouts:
    """The handouts, validated; each names a lesson that exists."""
    path = (content_dir or bank.content_dir()) / FILE_NAME
    try:
        handouts = Handouts.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise ContentError(f"{path.name}: {_describe(error)}") from error
    lessons = bank.lessons()
    for key, items in handouts.by_lesson().items():
        if key not in lessons:
            names = ", ".join(k for k, _ in items)
            raise ContentError(f"{path.name}: {names}: field 'lesson': no lesson {key!r}")
    return handouts
