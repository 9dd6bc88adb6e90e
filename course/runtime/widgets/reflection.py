"""Reflection: a lesson's prompt, a text area, and a button that keeps the note on this computer.

Notes are saved by :mod:`course.runtime.reflections` in the learner's private folder, never
inside the course folder, and nothing is sent anywhere.
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as widgets
from markupsafe import Markup

from course.catalogue.lessons_meta import Lesson
from course.runtime.private import HOME_ENV
from course.runtime.reflections import load_reflections, reflections_path, save_reflection
from course.runtime.widgets.classify import button
from course.runtime.widgets.styles import style_widget

__all__ = ["HOME_ENV", "Reflection", "load_reflections", "reflections_path", "save_reflection"]


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
