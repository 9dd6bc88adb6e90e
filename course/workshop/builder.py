"""The session builder: the trainer's page to filter the practice posts and response
situations, pick and order them, save the choice under a name, and present it.

Everything is saved through :mod:`course.workshop.sessions` (the trainer's own sessions live in
the course's user folder); *Present* writes the presentation with :mod:`course.workshop.present`
and opens it, and also offers it as a download for a hosted course, where the browser is not on
the same computer as the course. On the room's hub (:mod:`course.app.settings`), the
presentation shown in the page also runs the room's live vote (V on a post); the file and the
download never do (they work offline).
"""

from __future__ import annotations

import base64

import ipywidgets as widgets
from markupsafe import Markup

from course.app import settings
from course.catalogue import bank
from course.catalogue.scenarios import ContentError
from course.runtime.widgets.classify import button
from course.runtime.widgets.styles import style_widget
from course.workshop import choose, deck, present, sessions
from course.workshop.sessions import Step

ANY = "any"


def _options(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("Any", ANY), *pairs]


class SessionBuilder(widgets.VBox):
    """Filters, the matching items, the session being built, and save / open / present."""

    def __init__(self) -> None:
        framework = bank.framework()
        dropdown = widgets.Dropdown
        self.kind = dropdown(description="Show", options=[
            ("Posts and situations", "any"), ("Practice posts", "post"),
            ("Response situations", "situation")])
        lessons = bank.lessons().values()
        self.lesson = dropdown(description="Lesson", options=_options(
            [(f"{lesson.number}. {lesson.title}", lesson.id) for lesson in lessons]))
        self.rule = dropdown(description="Rule", options=_options(
            [(f"{r.number}. {r.short}", r.id) for r in framework.rules]))
        self.principle = dropdown(description="Principle", options=_options(
            [(p.name, p.id) for p in framework.principles]))
        self.topic = dropdown(description="Topic", options=_options(
            [(t.title, t.id) for t in framework.topics]))
        self.difficulty = dropdown(description="Difficulty", options=_options(
            [("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")]))
        self.filters = [self.kind, self.lesson, self.rule, self.principle, self.topic,
                        self.difficulty]
        for control in self.filters:
            control.style = {"description_width": "6rem"}
            control.observe(lambda _change: self.refresh(), names="value")
        self.found = widgets.SelectMultiple(description="Matching", rows=12,
                                            layout=widgets.Layout(width="100%"))
        self.add = button("Add to the session", "pwc-add", "Add the chosen items to the end")
        self.chosen = widgets.Select(description="Session", rows=12,
                                     layout=widgets.Layout(width="100%"))
        self.up = button("Move up", "pwc-up", "Move the chosen item up", "secondary")
        self.down = button("Move down", "pwc-down", "Move the chosen item down", "secondary")
        self.remove = button("Remove", "pwc-remove", "Take the chosen item out", "secondary")
        self.heading = widgets.Text(description="Heading", placeholder="e.g. Break")
        self.add_heading = button("Add a heading screen", "pwc-add-heading",
                                  "Add a screen with this heading", "secondary")
        self.name = widgets.Text(description="Name", placeholder="e.g. Tuesday group, rule 2")
        self.save = button("Save the session", "pwc-save", "Save under this name")
        saved, _ = sessions.all_sessions()
        self.saved = dropdown(description="Saved", options=[(s.title, s.id) for s in
                                                            saved.values()])
        self.open_saved = button("Open", "pwc-open", "Open the chosen saved session", "secondary")
        self.present = button("Present", "pwc-present", "Open this session as a presentation")
        self.status = widgets.HTML("").add_class("pwc-builder-status")
        self.stage = widgets.HTML("").add_class("pwc-builder-stage")
        self.steps: list[Step] = []
        for control in (self.name, self.heading, self.saved, self.found, self.chosen):
            control.style = {"description_width": "6rem"}
        self.add.on_click(lambda _b: self.add_found())
        self.up.on_click(lambda _b: self.move(-1))
        self.down.on_click(lambda _b: self.move(1))
        self.remove.on_click(lambda _b: self.remove_chosen())
        self.add_heading.on_click(lambda _b: self.add_heading_step())
        self.save.on_click(lambda _b: self.save_session())
        self.open_saved.on_click(lambda _b: self.open_session())
        self.present.on_click(lambda _b: self.present_session())
        super().__init__([
            style_widget(),
            widgets.HTML("<h2>1. Find posts and situations</h2>"),
            widgets.HBox(self.filters[:3]), widgets.HBox(self.filters[3:]),
            self.found, self.add,
            widgets.HTML("<h2>2. Put them in order</h2>"),
            self.chosen, widgets.HBox([self.up, self.down, self.remove]),
            widgets.HBox([self.heading, self.add_heading]),
            widgets.HTML("<h2>3. Save and present</h2>"),
            widgets.HBox([self.name, self.save]), widgets.HBox([self.saved, self.open_saved]),
            self.present, self.status, self.stage,
        ])
        self.add_class("pwc-widget")
        self.add_class("pwc-session-builder")
        self.refresh()

    # --- finding ---------------------------------------------------------------------------
    def current_filters(self) -> choose.Filters:
        def value(control: widgets.Dropdown) -> str | None:
            return None if control.value == ANY else control.value

        return choose.Filters(kind=self.kind.value, lesson=value(self.lesson),
                              rule=value(self.rule), principle=value(self.principle),
                              topic=value(self.topic), difficulty=value(self.difficulty))

    def refresh(self) -> None:
        found = choose.matching(self.current_filters())
        self.found.options = [(choose.label(step), step.ref) for step in found]
        self.found.description = f"{len(found)} found"

    # --- ordering --------------------------------------------------------------------------
    def _show_steps(self, selected: int | None = None) -> None:
        self.chosen.options = [(f"{n}. {choose.label(step)}", n - 1)
                               for n, step in enumerate(self.steps, start=1)]
        if selected is not None and self.steps:
            self.chosen.value = max(0, min(selected, len(self.steps) - 1))

    def add_found(self) -> None:
        picked = [ref for ref in self.found.value]
        if not picked:
            self.say("Choose one or more items in the list first (Ctrl or Shift picks several).")
            return
        for ref in picked:
            kind, value = ref.split(":", 1)
            self.steps.append(Step(post=value) if kind == "post" else Step(situation=value))
        self._show_steps(len(self.steps) - 1)
        self.say(f"Added {len(picked)}; the session has {len(self.steps)} screens.")

    def add_heading_step(self) -> None:
        text = self.heading.value.strip()
        if len(text) < 2:
            self.say("Type the heading first, for example Break.")
            return
        self.steps.append(Step(heading=text))
        self.heading.value = ""
        self._show_steps(len(self.steps) - 1)

    def move(self, by: int) -> None:
        at = self.chosen.value
        if at is None or not 0 <= at + by < len(self.steps):
            return
        self.steps[at], self.steps[at + by] = self.steps[at + by], self.steps[at]
        self._show_steps(at + by)

    def remove_chosen(self) -> None:
        at = self.chosen.value
        if at is None:
            return
        del self.steps[at]
        self._show_steps(at)

    # --- saving and presenting -------------------------------------------------------------
    def save_session(self) -> None:
        if not self.steps:
            self.say("Add at least one post or situation before saving.")
            return
        try:
            path = sessions.save(self.name.value, list(self.steps))
        except ContentError as error:
            self.say(str(error))
            return
        saved, _ = sessions.all_sessions()
        self.saved.options = [(s.title, s.id) for s in saved.values()]
        self.saved.value = path.stem
        self.say(f"Saved “{self.name.value.strip()}” ({len(self.steps)} screens).")

    def open_session(self) -> None:
        if self.saved.value is None:
            return
        session = sessions.find(self.saved.value)
        self.steps = list(session.steps)
        self.name.value = session.title if session.id not in sessions.ready_made() else ""
        self._show_steps(0)
        self.say(f"Opened “{session.title}” ({len(self.steps)} screens).")

    def present_session(self) -> None:
        if not self.steps:
            self.say("Add at least one post or situation first.")
            return
        title = self.name.value.strip() or "Posting with Care"
        session = sessions.Session(id=sessions.slug(title) or "session", title=title,
                                   steps=list(self.steps))
        path = present.write(session)
        html = path.read_text(encoding="utf-8")
        vote = room_vote()
        opened = False if vote else present.open_in_browser(path)
        data = base64.b64encode(html.encode("utf-8")).decode("ascii")
        link = Markup("<a download='{name}' href='data:text/html;base64,{data}'>Download the "
                      "presentation</a>").format(name=path.name, data=data)
        self.say(Markup("{} It is also below: click it, then choose <strong>Full screen</strong>"
                        " or press F.{} {} to keep it (one file that works offline).").format(
            "The presentation has opened in a new browser tab." if opened else "",
            Markup(" On a practice post, press V (or <em>Open a vote</em>) to let the room vote "
                   "on their own screens; Reveal shows their split next to the answer.")
            if vote else "",
            link))
        if vote:
            html = deck.session_deck(session, vote=vote)
        self.stage.value = str(Markup(
            "<iframe class='pwc-stage' title='Presentation: {title}' srcdoc='{deck}' "
            "allow='fullscreen' allowfullscreen style='width:100%;aspect-ratio:16/9;"
            "border:0;border-radius:6px'></iframe>").format(title=title, deck=html))

    def say(self, message: str) -> None:
        self.status.value = str(Markup("<p role='status'>{}</p>").format(message))


def room_vote() -> str:
    """The room vote's path when this trainer presents on the room's hub, else ``""``."""
    try:
        return settings.current().trainer_vote
    except settings.SettingError:
        return ""
