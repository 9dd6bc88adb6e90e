"""What a learner did in the lessons, kept so a reopened lesson shows it again.

``activity.json`` in the learner's private folder (:mod:`course.runtime.private`)::

    {"lessons": {lesson id: {"opened": ISO time,
                             "posts": {post id: {"verdict": ..., "rule": ...}},
                             "responses": {response id: option index},
                             "quiz": {quiz state, see course.runtime.widgets.quiz}}},
     "last_page": {"page": "03-never-disclose", "title": "...", "when": ISO time}}

Every change rewrites the file whole (:func:`course.runtime.private.write_json`), so a crash
never leaves half a file; an unreadable file counts as empty. Nothing is sent anywhere.
Finished lessons (for the CPD record) are kept apart, by :mod:`course.runtime.progress`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from course.runtime import private


def activity_path() -> Path:
    return private.home() / "activity.json"


def load() -> dict[str, Any]:
    data = private.read_json(activity_path())
    if not isinstance(data.get("lessons"), dict):
        data["lessons"] = {}
    return data


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def lesson(lesson_id: str) -> dict[str, Any]:
    """What is kept for one lesson (an empty dict when nothing is)."""
    entry = load()["lessons"].get(lesson_id)
    return entry if isinstance(entry, dict) else {}


def _update(lesson_id: str, section: str, key: str, value: Any) -> None:
    data = load()
    entry = data["lessons"].setdefault(lesson_id, {})
    entry.setdefault("opened", _now())
    part = entry.setdefault(section, {})
    if value is None:
        part.pop(key, None)
    else:
        part[key] = value
    private.write_json(activity_path(), data)


def post_answer(lesson_id: str, post_id: str) -> dict[str, str]:
    found = lesson(lesson_id).get("posts", {}).get(post_id)
    return found if isinstance(found, dict) else {}


def save_post(lesson_id: str, post_id: str, answer: dict[str, str] | None) -> None:
    """Keep a practice post's checked verdict (and rule); None forgets it (Try again)."""
    _update(lesson_id, "posts", post_id, answer)


def response_choice(lesson_id: str, response_id: str) -> int | None:
    found = lesson(lesson_id).get("responses", {}).get(response_id)
    return found if isinstance(found, int) else None


def save_response(lesson_id: str, response_id: str, option: int | None) -> None:
    _update(lesson_id, "responses", response_id, option)


def quiz_state(lesson_id: str) -> dict[str, Any]:
    found = lesson(lesson_id).get("quiz")
    return found if isinstance(found, dict) else {}


def save_quiz(lesson_id: str, state: dict[str, Any]) -> None:
    data = load()
    entry = data["lessons"].setdefault(lesson_id, {})
    entry.setdefault("opened", _now())
    entry["quiz"] = state
    private.write_json(activity_path(), data)


def opened(page: str, title: str, lesson_id: str | None = None) -> None:
    """Note that a page was opened: the home page's *Continue where you left off*; a lesson
    opened counts as *in progress*."""
    data = load()
    data["last_page"] = {"page": page, "title": title, "when": _now()}
    if lesson_id is not None:
        data["lessons"].setdefault(lesson_id, {}).setdefault("opened", _now())
    private.write_json(activity_path(), data)


def last_page() -> dict[str, str]:
    found = load().get("last_page")
    return found if isinstance(found, dict) else {}
