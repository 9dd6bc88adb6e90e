"""Reflection: a lesson's prompt, a text area, and a button that keeps the note on this computer.

Notes are saved to ``~/.posting-with-care/reflections.json`` (or the folder named by the
environment variable ``POSTING_WITH_CARE_HOME``), never inside the course folder, and nothing
is sent anywhere. The file maps lesson ids to ``{"text": ..., "saved": ISO time}``.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets
from markupsafe import Markup

from course.lessons_meta import Lesson
from course.widgets.classify import button
from course.widgets.styles import style_widget

HOME_ENV = "POSTING_WITH_CARE_HOME"


def reflections_path() -> Path:
    home = os.environ.get(HOME_ENV)
    folder = Path(home) if home else Path.home() / ".posting-with-care"
    return folder / "reflections.json"


def load_reflections() -> dict[str, dict[str, str]]:
    """Saved reflections by lesson id; an unreadable file counts as empty."""
    try:
        data = json.loads(reflections_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_reflection(lesson_id: str, text: str) -> Path:
    """Save one lesson's reflection (replacing any earlier one) and return the file's path."""
    path = reflections_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = load_reflections()
    data[lesson_id] = {"text": text, "saved": datetime.now().isoformat(timespec="seconds")}
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
    os.chmod(handle.name, 0o600)
    os.replace(handle.name, path)
    return path


class Reflection(widgets.VBox):
    """A private place to write one lesson's reflection (the prompt is in the lesson text)."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        earlier = load_reflections().get(lesson.id, {}).get("text", "")
        self.text = widgets.Textarea(
            value=earlier,
            description="Your reflection",
            placeholder="Write as much or as little as you like.",
            rows=6,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="40rem"),
        ).add_class("pwc-reflection-text")
        self.save = button(
            "Save my reflection", "pwc-save", "Keep this note on this computer only"
        )
        self.status = widgets.HTML(
            "<p>Your note stays on this computer and is never marked or sent anywhere.</p>"
        ).add_class("pwc-reflection-status")
        self.save.on_click(self._save)
        super().__init__([style_widget(), self.text, self.save, self.status])
        self.add_class("pwc-widget")
        self.add_class("pwc-reflection")

    def _save(self, _button: widgets.Button | None = None) -> None:
        try:
            save_reflection(self.lesson.id, self.text.value)
        except OSError as error:
            self.status.value = str(
                Markup("<p>Sorry, your note could not be saved ({}).</p>").format(error.strerror)
            )
            return
        when = datetime.now().strftime("%H:%M")
        self.status.value = str(Markup("<p>Saved on this computer only ({}).</p>").format(when))
