"""Branching response situations (``content/responses.yaml``), validated against a schema.

Each situation is something that happens to a counsellor online (a client's friend request, a
review to answer, a crisis message on the page…), with three or four ways to respond, what each
leads to, and the better path.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from course.catalogue.lessons_meta import LESSON_ID, load_lessons
from course.catalogue.scenarios import (
    CONTENT_DIR,
    ContentError,
    Platform,
    _describe,
    _read_yaml,
    load_framework,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    text: str = Field(min_length=5)
    consequence: str = Field(min_length=20)
    best: bool = False


class Response(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    lesson: str = Field(pattern=LESSON_ID)
    title: str = Field(min_length=5)
    platform: Platform | None = None
    situation: str = Field(min_length=40)
    options: list[Option] = Field(min_length=3, max_length=4)
    better_path: str = Field(min_length=40)
    rules: list[str] = Field(default_factory=list)
    principles: list[str] = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)

    @field_validator("options")
    @classmethod
    def _one_best(cls, options: list[Option]) -> list[Option]:
        best = sum(option.best for option in options)
        if best != 1:
            raise ValueError(f"exactly one option should be marked best: true, found {best}")
        texts = [option.text for option in options]
        if len(set(texts)) != len(texts):
            raise ValueError("two options have the same text")
        return options

    @property
    def best_option(self) -> Option:
        return next(option for option in self.options if option.best)


def load_responses(content_dir: Path | str = CONTENT_DIR) -> list[Response]:
    """Every response situation, validated and cross-checked against lessons and framework."""
    content_dir = Path(content_dir)
    path = content_dir / "responses.yaml"
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("responses"), list):
        raise ContentError(f"{path.name}: expected a top-level 'responses:' list")
    framework = load_framework(content_dir)
    known = {
        "lesson": {lesson.id for lesson in load_lessons(content_dir)},
        "rules": {r.id for r in framework.rules},
        "principles": {p.id for p in framework.principles},
        "topics": {t.id for t in framework.topics},
    }
    responses: list[Response] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["responses"], start=1):
        entry_id = entry.get("id", f"entry #{index}") if isinstance(entry, dict) else index
        try:
            response = Response.model_validate(entry)
        except ValidationError as error:
            raise ContentError(f"{path.name}: response {entry_id}: {_describe(error)}") from error
        if response.id in seen:
            raise ContentError(f"{path.name}: response {response.id}: field 'id': used twice")
        seen.add(response.id)
        for field, allowed in known.items():
            values = getattr(response, field)
            unknown = [
                v for v in ([values] if isinstance(values, str) else values) if v not in allowed
            ]
            if unknown:
                raise ContentError(
                    f"{path.name}: response {response.id}: field '{field}': unknown id(s) "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
                )
        responses.append(response)
    return responses
