"""The session builder: the trainer's page to filter the practice posts and response
situations, pick and order them, save the choice under a name, and present it.

Everything is saved through :mod:`course.workshop.sessions` (the trainer's own sessions live in
the course's user folder); *Present* writes the presentation with :mod:`course.workshop.present`
and shows it in the page (drawn as on a 1280×720 projector, scaled to fit; F fills the screen),
opens it in a new tab when the course runs on the trainer's own computer, and offers it as a
download (one file that works offline). On the room's hub (:mod:`course.app.settings`) the
server's browser is not the trainer's, so nothing is opened there, and the presentation shown
in the page also runs the room's live vote (V on a post); the file and the download never do.
The *Saved* list puts the trainer's own sessions first, the latest at the top.
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
#: The lists keep to the page's width (long post openings are cut with an ellipsis, not the
#: page), and the download link looks like a link.
BUILDER_CSS = """
.pwc-session-builder .widget-select, .pwc-session-builder .widget-select-multiple {
  max-width: 100%; min-width: 0; }
.pwc-session-builder :is(.widget-select, .widget-select-multiple) > select {
  flex: 1 1 0; width: auto; min-width: 0; box-sizing: border-box; text-overflow: ellipsis; }
.pwc-session-builder a.pwc-download-deck { color: #0b5cad; font-weight: 600;
  text-decoration: underline; }
"""


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
                                            layout=widgets.Layout(width="calc(100% - 4px)"))
        self.add = button("Add to the session", "pwc-add", "Add the chosen items to the end")
        self.chosen = widgets.Select(description="Session", rows=12,
                                     layout=widgets.Layout(width="calc(100% - 4px)"))
        self.up = button("Move up", "pwc-up", "Move the chosen item up", "secondary")
        self.down = button("Move down", "pwc-down", "Move the chosen item down", "secondary")
        self.remove = button("Remove", "pwc-remove", "Take the chosen item out", "secondary")
        self.heading = widgets.Text(description="Heading", placeholder="e.g. Break")
        self.add_heading = button("Add a heading screen", "pwc-add-heading",
                                  "Add a screen with this heading", "secondary")
        self.name = widgets.Text(description="Name", placeholder="e.g. Tuesday group, rule 2")
        self.save = button("Save the session", "pwc-save", "Save under this name")
        self.saved = dropdown(description="Saved", options=saved_options())
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
            style_widget(), widgets.HTML(f"<style>{BUILDER_CSS}</style>"),
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
        self.saved.options = saved_options()
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
        # Only on the trainer's own computer is the server's browser the trainer's (make
        # course); on a hub it would be the server's, so the page's own stage is the way.
        opened = False if vote or settings.on_hub() else present.open_in_browser(path)
        data = base64.b64encode(html.encode("utf-8")).decode("ascii")
        link = Markup("<a class='pwc-download-deck' download='{name}' "
                      "href='data:text/html;base64,{data}'>Download the presentation</a>").format(
            name=path.name, data=data)
        where = (Markup("It has opened in a new browser tab, and it is also below.") if opened
                 else Markup("Your presentation is below."))
        self.say(Markup("{} Click it, then press F or choose <strong>Full screen</strong> to "
                        "fill the screen.{} {} keeps a copy: one file that works offline, "
                        "with no server.").format(
            where,
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


def saved_options() -> list[tuple[str, str]]:
    """The *Saved* list: the trainer's own sessions first, the latest saved at the top (so
    the one just made is chosen when the page opens again), then the ready-made ones."""
    mine, _ = sessions.own()
    folder = sessions.own_folder()

    def saved_at(session_id: str) -> float:
        try:
            return (folder / f"{session_id}.json").stat().st_mtime
        except OSError:
            return 0.0

    ready = sessions.ready_made()
    own_first = sorted((s for s in mine.values() if s.id not in ready),
                       key=lambda s: saved_at(s.id), reverse=True)
    return ([(s.title, s.id) for s in own_first]
            + [(f"{s.title} (ready-made)", s.id) for s in ready.values()])


def room_vote() -> str:
    """The room vote's path when this trainer presents on the room's hub, else ``""``."""
    try:
        return settings.current().trainer_vote
    except settings.SettingError:
        return ""
