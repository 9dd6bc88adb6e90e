"""The home page: where the learner is in the course, and the way to everything else.

DOM contract: ``.pwc-home`` holds ``a.pwc-continue`` (*Continue where you left off* or *Start
the course*), ``table.pwc-home-lessons`` (one ``tr[data-lesson]`` per lesson: link, minutes,
``td.pwc-state``), ``table.pwc-home-exercises`` (one ``tr[data-exercise]`` per exercise, same
cells), ``.pwc-home-cpd`` (CPD minutes so far and ``a.pwc-cpd-link``), and
``button.pwc-start-again``, which asks first (``.pwc-confirm`` with ``button.pwc-confirm-yes``
and ``button.pwc-confirm-no``).
"""

from __future__ import annotations

import shutil
from datetime import datetime

import ipywidgets as widgets
from markupsafe import Markup

from course.app import exchange, exercise_copy, settings, site
from course.catalogue import bank
from course.runtime import activity, private, progress
from course.runtime.cpd.record import long_date
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import button
from course.runtime.widgets.styles import style_widget

HOME_CSS = """
.pwc-home h2 { font-size: 1.25rem; margin: 1.2rem 0 0.4rem; }
.pwc-home table { border-collapse: collapse; width: 100%; max-width: 46rem; }
.pwc-home th, .pwc-home td { text-align: left; padding: 0.4rem 0.6rem 0.4rem 0;
  border-bottom: 1px solid #d8dee4; vertical-align: top; }
.pwc-home td.pwc-minutes { white-space: nowrap; }
.pwc-home td a, .pwc-home a.pwc-cpd-link { color: #0b5cad; text-decoration: underline;
  text-underline-offset: 0.15em; }
.pwc-home td a:hover, .pwc-home a.pwc-cpd-link:hover { color: #084a8c; }
.pwc-home .pwc-state-done { color: #0f3d1d; font-weight: 600; }
.pwc-home .pwc-state-started { color: #4a2500; font-weight: 600; }
.pwc-home .pwc-state-new { color: #57606a; }
.pwc-home a.pwc-continue { display: inline-block; margin: 0.3rem 0; padding: 0.5rem 1rem;
  background: #0b5cad; color: #ffffff !important; border-radius: 4px; font-weight: 600;
  text-decoration: none; }
.pwc-home a.pwc-continue:hover { background: #084a8c; }
.pwc-home a.pwc-continue:focus-visible { outline: 3px solid #0b3d91; outline-offset: 2px; }
.pwc-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 600px) { .pwc-home th, .pwc-home td { padding-right: 0.3rem; } }
"""

ARCHIVED = ("activity.json", "progress.json", "reflections.json")


def lesson_state(lesson_id: str) -> tuple[str, str]:
    """(css class, words) for a lesson: completed, in progress or not started."""
    done = progress.load_progress().get(lesson_id)
    if done is not None:
        return "pwc-state-done", (
            f"Completed on {long_date(done.first_completed)} · quiz: {done.first_score} of "
            f"{done.posts} at the first try"
        )
    if activity.lesson(lesson_id).get("opened"):
        return "pwc-state-started", "In progress"
    return "pwc-state-new", "Not started"


def exercise_state(exercise_id: str, through_exchange: bool = False) -> tuple[str, str]:
    """(css class, words) for an exercise. Through nbgrader's exchange (a hosted course) an
    exercise the trainer has not released yet says so, and a handed-in exercise whose feedback
    the learner has fetched shows the mark on it."""
    data = exercise_copy.state(exercise_id)
    status = data["status"]
    if through_exchange:
        if status == "not started" and exchange.is_released(exercise_id) is False:
            return "pwc-state-new", "Not handed out yet"
        page = exchange.fetched_feedback(exercise_id) if status == "submitted" else None
        score = exchange.feedback_score(page) if page else None
        if score:
            return "pwc-state-done", f"Marked: {score[0]:g} of {score[1]:g}"
    if status == "marked" and exercise_copy.spec(exercise_id).policy and not data.get(
            "self_assessed") and data.get("manual_pending"):
        return "pwc-state-started", "Locked: mark your written parts yourself"
    if status == "marked":
        pending = " (written parts to be marked by an assessor)" if data.get(
            "manual_pending") else ""
        if data.get("self_assessed"):
            pending = " (your own marks)"
        return "pwc-state-done", (
            f"Marked: {data.get('score', 0):g} of {data.get('max_score', 0):g}{pending}"
        )
    if status == "submitted":
        when = data.get("submitted", "")
        try:
            day = long_date(datetime.fromisoformat(when))
        except ValueError:
            day = "earlier"
        return "pwc-state-done", f"Submitted on {day}"
    if status == "in progress":
        done, total = exercise_copy.progress(exercise_id)
        return "pwc-state-started", f"{done} of {total} answered"
    return "pwc-state-new", "Not started"


def continue_link() -> Markup:
    last = activity.last_page()
    names = {name for name, _ in site.sequence()}
    if last.get("page") in names and last.get("page") != site.HOME:
        return Markup(
            "<p><a class='pwc-continue' href='{}.ipynb'>Continue where you left off: {}</a></p>"
        ).format(last["page"], last.get("title", "your last page"))
    first = next(iter(bank.lessons().values()))
    return Markup(
        "<p><a class='pwc-continue' href='{}.ipynb'>Start the course: {}</a></p>"
    ).format(first.id, first.title)


def lessons_table() -> Markup:
    rows = []
    for lesson in bank.lessons().values():
        css, words = lesson_state(lesson.id)
        rows.append(Markup(
            "<tr data-lesson='{id}'><td><a href='{id}.ipynb'>{n}. {title}</a></td>"
            "<td class='pwc-minutes'>{minutes} min</td><td class='pwc-state {css}'>{words}</td>"
            "</tr>"
        ).format(id=lesson.id, n=lesson.number, title=lesson.title, minutes=lesson.minutes,
                 css=css, words=words))
    return Markup(
        "<table class='pwc-home-lessons'>"
        "<thead><tr><th scope='col'>Lesson</th><th scope='col'>Time</th>"
        "<th scope='col'>Your progress</th></tr></thead><tbody>{}</tbody></table>"
    ).format(Markup("").join(rows))


def exercises_table(through_exchange: bool = False) -> Markup:
    rows = []
    for ex_id in site.exercise_ids():
        css, words = exercise_state(ex_id, through_exchange)
        rows.append(Markup(
            "<tr data-exercise='{id}'><td><a href='{id}.ipynb'>{title}</a></td>"
            "<td class='pwc-state {css}'>{words}</td></tr>"
        ).format(id=ex_id, title=exercise_copy.released_title(ex_id), css=css, words=words))
    return Markup(
        "<table class='pwc-home-exercises'><thead><tr><th scope='col'>Exercise</th>"
        "<th scope='col'>Your progress</th></tr></thead><tbody>{}</tbody></table>"
    ).format(Markup("").join(rows))


def cpd_line() -> Markup:
    done = progress.load_progress()
    minutes = sum(c.minutes for c in done.values())
    total = len(bank.lessons())
    return Markup(
        "<p class='pwc-home-cpd'><strong>CPD so far: {} minutes</strong>, from {} of {} "
        "lessons. <a class='pwc-cpd-link' href='cpd-record.ipynb'>See and print your CPD "
        "record</a>.</p>"
    ).format(minutes, len(done), total)


def page_html() -> str:
    hosted = settings.current().submit == "exchange"
    if hosted:
        kept = ("Everything you do is kept in your own folder on the course's server; other "
                "learners cannot see it.")
        how = ("Three exercises to show what you have learnt. When your trainer hands one out, "
               "answer it here and hand it in; your feedback comes back here too.")
    else:
        kept = "Everything you do is kept on this computer only."
        how = ("Three exercises to show what you have learnt. Answer them here, then hand them "
               "in or mark them yourself.")
    return str(Markup(
        "<style>{css}</style><h1>Posting with Care</h1>"
        "<p>A course for counsellors and psychotherapists on using social media with care. "
        "{kept}</p>{cont}"
        "<h2>Lessons</h2>{lessons}<h2>Exercises</h2>"
        "<p>{how}</p>{exercises}<h2>Your CPD</h2>{cpd}"
    ).format(css=Markup(HOME_CSS), kept=kept, cont=continue_link(), lessons=lessons_table(),
             how=how, exercises=exercises_table(hosted), cpd=cpd_line()))


def start_again(now: datetime | None = None) -> str:
    """Move the lesson records aside (never deleted) and return where they went."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    aside = private.home() / "earlier" / stamp
    moved = False
    for name in ARCHIVED:
        source = private.home() / name
        if source.exists():
            aside.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(str(source), aside / name)
            moved = True
    return str(aside) if moved else ""


class Home(widgets.VBox):
    def __init__(self) -> None:
        self.view = widgets.HTML(page_html()).add_class("pwc-home-view")
        self.again = button(
            "Start again", "pwc-start-again", "Clear your lesson progress and begin afresh",
            "secondary",
        )
        self.confirm_text = widgets.HTML("")
        self.yes = button("Yes, start again", "pwc-confirm-yes", "Clear your lesson progress")
        self.no = button("No, keep my progress", "pwc-confirm-no", "Keep everything", "secondary")
        self.confirm = widgets.VBox(
            [self.confirm_text, widgets.HBox([self.yes, self.no])],
            layout=widgets.Layout(display="none"),
        ).add_class("pwc-confirm")
        self.status = feedback.feedback_area("pwc-start-again-status")
        self.again.on_click(self._ask)
        self.yes.on_click(self._clear)
        self.no.on_click(self._keep)
        heading = widgets.HTML("<h2>Start again</h2><p>Begin the lessons afresh, for example "
                               "to go through the course a second time.</p>")
        super().__init__([style_widget(), self.view, heading, self.again, self.confirm,
                          self.status])
        self.add_class("pwc-widget")
        self.add_class("pwc-home")

    def _ask(self, _button: widgets.Button | None = None) -> None:
        self.confirm_text.value = feedback.box(
            "prompt", "Start again from the beginning?",
            "This clears your lesson progress on this computer: the posts you judged, your "
            "quiz results, the situations you tried, your reflections and your CPD minutes. "
            "Your exercises and their marks are kept. A copy of what is cleared is put aside "
            "in the course's folder, in case you need it.",
        )
        self.confirm.layout.display = "flex"
        self.again.disabled = True

    def _keep(self, _button: widgets.Button | None = None) -> None:
        self.confirm.layout.display = "none"
        self.again.disabled = False
        feedback.show(self.status, "prompt",
                      feedback.box("prompt", "Nothing was changed. Your progress is kept."))

    def _clear(self, _button: widgets.Button | None = None) -> None:
        try:
            aside = start_again()
        except OSError as error:
            feedback.show(self.status, "incorrect", feedback.box(
                "incorrect", "Sorry, your progress could not be cleared.",
                f"Nothing was lost ({error.strerror})."))
            return
        self.confirm.layout.display = "none"
        self.again.disabled = False
        self.view.value = page_html()
        note = f"What was cleared is kept in {aside}." if aside else "There was nothing to clear."
        feedback.show(self.status, "correct", feedback.box(
            "correct", "Done: the lessons are ready to start again.", note))
