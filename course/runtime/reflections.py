"""The learner's reflection notes: ``reflections.json`` in their private folder
(:mod:`course.runtime.private`), mapping lesson ids to ``{"text": ..., "saved": ISO time}``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from course.runtime import private


def reflections_path() -> Path:
    return private.home() / "reflections.json"


def load_reflections() -> dict[str, dict[str, str]]:
    """Saved reflections by lesson id; an unreadable file counts as empty."""
    return private.read_json(reflections_path())


def save_reflection(lesson_id: str, text: str) -> Path:
    """Save one lesson's reflection (replacing any earlier one) and return the file's path."""
    data = load_reflections()
    data[lesson_id] = {"text": text, "saved": datetime.now().isoformat(timespec="seconds")}
    return private.write_json(reflections_path(), data)
