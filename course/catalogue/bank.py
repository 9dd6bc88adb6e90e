"""Cached, read-only access to the course content for the widgets and lessons.

Validating every YAML file takes a moment, so it happens once per process (per content folder),
not once per widget. The content folder is ``course/content`` unless the environment variable
``POSTING_WITH_CARE_CONTENT`` names another one (tests use this for fixture content).
Call :func:`clear` after editing content in a running kernel.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from course.catalogue.lessons_meta import Lesson, load_lessons
from course.catalogue.responses import Response, load_responses
from course.catalogue.scenarios import (
    CONTENT_DIR,
    ContentError,
    Framework,
    Post,
    Principle,
    Rule,
    load_framework,
    load_posts,
)

CONTENT_ENV = "POSTING_WITH_CARE_CONTENT"


def content_dir() -> Path:
    """The content folder in use."""
    return Path(os.environ.get(CONTENT_ENV) or CONTENT_DIR).resolve()


@lru_cache(maxsize=4)
def _posts(directory: Path) -> dict[str, Post]:
    return {post.id: post for post in load_posts(directory)}


@lru_cache(maxsize=4)
def _lessons(directory: Path) -> dict[str, Lesson]:
    return {lesson.id: lesson for lesson in load_lessons(directory)}


@lru_cache(maxsize=4)
def _responses(directory: Path) -> dict[str, Response]:
    return {response.id: response for response in load_responses(directory)}


def clear() -> None:
    """Forget cached content, so the next call reads the files again."""
    for cached in (_posts, _lessons, _responses, load_framework):
        cached.cache_clear()


def framework() -> Framework:
    return load_framework(content_dir())


def rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in framework().rules}


def principles() -> dict[str, Principle]:
    return {principle.id: principle for principle in framework().principles}


def posts() -> dict[str, Post]:
    return _posts(content_dir())


def post(post_id: str) -> Post:
    try:
        return posts()[post_id]
    except KeyError:
        raise ContentError(f"There is no practice post with the id {post_id!r}.") from None


def lesson_posts(lesson_id: str) -> list[Post]:
    """A lesson's practice posts in id order; an unknown lesson raises :class:`ContentError`."""
    lesson(lesson_id)
    return [p for p in posts().values() if p.lesson == lesson_id]


def quiz_posts(lesson_id: str) -> list[Post]:
    """The posts of a lesson's quiz (``quiz:`` in lessons.yaml), in that order; a post that is
    not one of the lesson's raises :class:`ContentError`."""
    found = []
    for post_id in lesson(lesson_id).quiz:
        quiz_post = post(post_id)
        if quiz_post.lesson != lesson_id:
            raise ContentError(f"lessons.yaml: lesson {lesson_id}'s quiz lists {post_id}, "
                               f"a post of lesson {quiz_post.lesson}")
        found.append(quiz_post)
    return found


def lessons() -> dict[str, Lesson]:
    return _lessons(content_dir())


def lesson(lesson_id: str) -> Lesson:
    try:
        return lessons()[lesson_id]
    except KeyError:
        raise ContentError(f"There is no lesson with the id {lesson_id!r}.") from None


def responses() -> dict[str, Response]:
    return _responses(content_dir())


def response(response_id: str) -> Response:
    try:
        return responses()[response_id]
    except KeyError:
        raise ContentError(f"There is no response situation with the id {response_id!r}.") from None
