"""The graded exercises as data: one YAML file per assignment in ``grader/keys/``.

Each file is the single source of truth for its exercise: the posts, situations and policy
sections the learner sees, every item's correct answer, and the feedback (rule, principle,
explanation, hint). ``python -m grader.build_solutions`` renders it into the nbgrader source
notebook; the grader reads answers from here and nowhere else.

:func:`load_key` validates a file and flattens it into :class:`Item` records, one per
answer the learner gives; :class:`grader.exercise.Exercise` is the whole exercise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.answer_language import AnswerFormat, label
from course.catalogue.scenarios import PLATFORM_NAMES, Platform, load_framework

Kind = Literal["verdict", "rule", "principle", "letter", "written"]


class KeyFileError(ValueError):
    """A key file is malformed; the message names the file, the entry and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PostCard(_Strict):
    platform: Platform
    account: Literal["professional", "personal"]
    display_name: str = Field(min_length=2)
    handle: str | None = Field(default=None, pattern=r"^@[A-Za-z0-9_.]{2,30}$")
    text: str = Field(min_length=10)
    context: str | None = None


class Situation(_Strict):
    title: str = Field(min_length=3)
    text: str = Field(min_length=20)
    options: dict[str, str]

    @model_validator(mode="after")
    def _letters(self) -> Situation:
        letters = "".join(self.options)
        if letters not in ("abc", "abcd"):
            raise ValueError(f"options must be lettered a, b, c (and d), found {letters!r}")
        return self


class PolicySection(_Strict):
    heading: str = Field(min_length=3)
    prompt: str = Field(min_length=20)
    criterion: str = Field(min_length=10)
    levels: dict[int, str]
    keywords: list[str] = Field(min_length=1)
    hint: str = Field(min_length=10)
    example: str = Field(min_length=40)

    @model_validator(mode="after")
    def _levels(self) -> PolicySection:
        if sorted(self.levels) != [0, 1, 2]:
            raise ValueError("levels must describe marks 0, 1 and 2")
        return self


class Entry(_Strict):
    """One card the learner reads (post, situation or policy section) and what it asks."""

    id: str = Field(pattern=r"^[a-z]+_[a-z0-9]+$")
    post: PostCard | None = None
    situation: Situation | None = None
    section: PolicySection | None = None
    ask: list[Kind] = Field(min_length=1)
    verdict: Literal["acceptable", "not acceptable"] | None = None
    answer: str | None = None
    rule: str | None = None
    principle: str | None = None
    also_accept: dict[Literal["rule", "principle"], list[str]] = Field(default_factory=dict)
    points: float = Field(default=1, gt=0)
    difficulty: Literal["easy", "medium", "hard"] | None = Field(
        default=None, description="the authors' estimate, for review and item analysis"
    )
    explanation: str | None = None
    hint: str | None = None
    option_feedback: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        cards = [c for c in ("post", "situation", "section") if getattr(self, c) is not None]
        if len(cards) != 1:
            raise ValueError("needs exactly one of 'post', 'situation' or 'section'")
        allowed = {
            "post": (["verdict"], ["rule", "principle"]),
            "situation": (["letter"],),
            "section": (["written"],),
        }[cards[0]]
        if self.ask not in [list(a) for a in allowed]:
            raise ValueError(f"'ask' for a {cards[0]} must be one of {list(allowed)}")
        if ("verdict" in self.ask) != (self.verdict is not None):
            raise ValueError("'verdict' is given exactly when the entry asks for a verdict")
        if self.verdict == "not acceptable" and not self.rule:
            raise ValueError("a not-acceptable post names the rule it breaks")
        if self.verdict == "acceptable" and self.rule:
            raise ValueError("an acceptable post breaks no rule")
        if "rule" in self.ask and not self.rule:
            raise ValueError("asks for the rule, so 'rule' is required")
        if self.ask != ["written"]:
            if not self.principle:
                raise ValueError("'principle' is required")
            if not self.explanation or not self.hint:
                raise ValueError("'explanation' and 'hint' are required")
        if self.situation is not None:
            if self.answer not in self.situation.options:
                raise ValueError(f"'answer' must be one of {list(self.situation.options)}")
            unknown = set(self.option_feedback) - set(self.situation.options)
            if unknown:
                raise ValueError(f"'option_feedback' has unknown letters {sorted(unknown)}")
        elif self.answer is not None:
            raise ValueError("'answer' is only for situations (use verdict/rule/principle)")
        return self


class Part(_Strict):
    heading: str
    intro: str = ""
    entries: list[Entry] = Field(min_length=1)


class ExerciseKey(_Strict):
    id: str = Field(pattern=r"^ex\d{2}_[a-z0-9_]+$")
    number: int
    title: str
    minutes: int = Field(gt=0)
    intro: str
    parts: list[Part] = Field(min_length=1)
    check_cell: str | None = None
    check_intro: str = ""


@dataclass(frozen=True)
class Item:
    """One answer the learner gives, with its key and feedback.

    ``id`` is also the grade cell's nbgrader ``grade_id`` and, for typed answers, the name on the
    answer line (``variable``). Written items (``kind == "written"``) are marked by hand.
    """

    id: str
    variable: str
    kind: Kind
    points: float
    answer: str | None
    accepted: tuple[str, ...]
    allowed: tuple[str, ...]
    rule: str | None
    principle: str | None
    explanation: str
    hint: str
    label: str
    entry: str
    answer_cell: str
    grade_cell: str
    manual: bool = False
    format: AnswerFormat | None = None
    option_feedback: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    """A short reminder of what the item was about (never its answer), shown under its heading
    in feedback: the platform, author and opening words of a post, the opening of a situation,
    or the heading of a written part."""


def entries(key: ExerciseKey) -> list[Entry]:
    """Every entry of a key, part by part."""
    return [entry for part in key.parts for entry in part.entries]


SUMMARY_CHARS = 90
# messages are "from" someone; everything else is a post "by" someone
_MESSAGES = {"direct-message": "Direct message", "whatsapp": "WhatsApp message"}


def _opening(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first words of ``text``, cut at a word boundary near ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.\u2014-") + "\u2026"


def summary(entry: Entry) -> str:
    """A plain reminder of what an entry showed the learner, with nothing of its answer."""
    if entry.post is not None:
        post = entry.post
        if post.platform in _MESSAGES:
            who = f"{_MESSAGES[post.platform]} from {post.display_name}"
        elif post.platform == "website":
            who = f"Practice website of {post.display_name}"
        else:
            who = f"{PLATFORM_NAMES[post.platform]} post by {post.display_name}"
        return f"{who}: \u201c{_opening(post.text)}\u201d"
    if entry.situation is not None:
        return f"{entry.situation.title}: {_opening(entry.situation.text)}"
    assert entry.section is not None
    return entry.section.heading


def _items(entry: Entry) -> list[Item]:
    items = []
    reminder = summary(entry)
    for kind in entry.ask:
        item_id = entry.id if len(entry.ask) == 1 else f"{entry.id}_{kind}"
        if kind == "written":
            assert entry.section is not None
            items.append(Item(
                id=item_id, variable=item_id, kind=kind, points=entry.points, answer=None,
                accepted=(), allowed=(), rule=entry.rule, principle=entry.principle,
                explanation=entry.explanation or entry.section.criterion,
                hint=entry.hint or entry.section.hint, label=entry.section.heading,
                entry=entry.id, answer_cell=item_id, grade_cell=item_id, manual=True,
                summary=reminder,
            ))
            continue
        if kind == "letter":
            assert entry.situation is not None
            fmt = AnswerFormat("letter", "".join(entry.situation.options))
            answer = entry.answer
        else:
            fmt = AnswerFormat(kind)
            answer = entry.verdict if kind == "verdict" else getattr(entry, kind)
        extra = entry.also_accept.get(kind, []) if kind in ("rule", "principle") else []
        assert answer is not None  # the schema requires an answer for every typed item
        accepted = tuple(dict.fromkeys([answer, *extra]))
        items.append(Item(
            id=item_id, variable=item_id, kind=kind, points=entry.points, answer=answer,
            accepted=accepted, allowed=fmt.choices(), rule=entry.rule, principle=entry.principle,
            explanation=entry.explanation or "", hint=entry.hint or "", label=label(item_id),
            entry=entry.id, answer_cell=f"answer_{item_id}", grade_cell=item_id,
            format=fmt, option_feedback=dict(entry.option_feedback), summary=reminder,
        ))
    return items


def _check_references(key: ExerciseKey, path: Path) -> None:
    framework = load_framework()
    known = {
        "rule": {rule.id for rule in framework.rules},
        "principle": {principle.id for principle in framework.principles},
    }
    seen: set[str] = set()
    for entry in entries(key):
        if entry.id in seen:
            raise KeyFileError(f"{path.name}: entry {entry.id}: field 'id': used twice")
        seen.add(entry.id)
        for kind in ("rule", "principle"):
            values = [getattr(entry, kind)] if getattr(entry, kind) else []
            values += entry.also_accept.get(kind, [])
            unknown = [v for v in values if v not in known[kind]]
            if unknown:
                raise KeyFileError(
                    f"{path.name}: entry {entry.id}: field '{kind}': unknown id(s) "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(known[kind]))})"
                )


def load_key(path: Path) -> ExerciseKey:
    """One key file, validated against the schema and the framework's rule and principle ids."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise KeyFileError(f"{path.name}: cannot be read as YAML ({error})") from error
    try:
        key = ExerciseKey.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in problem['loc']) or '(whole file)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise KeyFileError(f"{path.name}: {problems}") from error
    if key.id != path.stem:
        raise KeyFileError(f"{path.name}: field 'id': {key.id!r} should match the file name")
    _check_references(key, path)
    return key


def items_of(key: ExerciseKey) -> tuple[Item, ...]:
    """Every answer a key asks for, in notebook order."""
    return tuple(item for entry in entries(key) for item in _items(entry))
