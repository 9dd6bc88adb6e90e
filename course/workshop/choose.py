"""Finding items for a session: the practice posts and response situations that match the
trainer's filters (lesson, rule, principle, topic, difficulty), with a label for each.

Labels are for the trainer's own screen (they name the post's id and difficulty); the
presentation never shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from course.catalogue import bank
from course.catalogue.scenarios import PLATFORM_NAMES
from course.workshop.sessions import Step

Kind = Literal["any", "post", "situation"]
OPENING = 70


@dataclass(frozen=True)
class Filters:
    """``None`` means any. Situations have no difficulty, so a difficulty leaves them out."""

    kind: Kind = "any"
    lesson: str | None = None
    rule: str | None = None
    principle: str | None = None
    topic: str | None = None
    difficulty: str | None = None


def _opening(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= OPENING else text[:OPENING].rsplit(" ", 1)[0] + "…"


def label(step: Step) -> str:
    """A one-line description of a step for the trainer's lists: what it is first, then the
    lesson, how hard and the verdict, then the post's id in brackets (the guide's decks show
    ids, so a trainer can find a post from the guide)."""
    if step.post:
        post = bank.post(step.post)
        return (f"{PLATFORM_NAMES[post.platform]}: {_opening(post.text)} · Lesson "
                f"{bank.lesson(post.lesson).number} · {post.difficulty} · {post.verdict} "
                f"[{post.id}]")
    if step.situation:
        response = bank.response(step.situation)
        return (f"Situation: {response.title} · Lesson "
                f"{bank.lesson(response.lesson).number}")
    return f"Heading: {step.heading}"


def _about(filters: Filters, lesson: str, rules, principles, topics) -> bool:
    """Whether an item of ``lesson`` with these rules, principles and topics passes the
    filters every item has (difficulty is the posts' own)."""
    return (
        (filters.lesson is None or lesson == filters.lesson)
        and (filters.rule is None or filters.rule in rules)
        and (filters.principle is None or filters.principle in principles)
        and (filters.topic is None or filters.topic in topics)
    )


def matching(filters: Filters) -> list[Step]:
    """Every post, then every situation, that passes the filters, in course order."""
    found: list[Step] = []
    if filters.kind in ("any", "post"):
        for post in bank.posts().values():
            if (_about(filters, post.lesson, post.rules, post.principles, post.topics)
                    and (filters.difficulty is None or post.difficulty == filters.difficulty)):
                found.append(Step(post=post.id))
        found.sort(key=lambda s: (bank.post(s.post or "").lesson, s.post))
    if filters.kind in ("any", "situation") and filters.difficulty is None:
        for response in bank.responses().values():
            if _about(filters, response.lesson, response.rules, response.principles,
                      response.topics):
                found.append(Step(situation=response.id))
    return found
