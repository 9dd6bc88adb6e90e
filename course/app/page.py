"""The one call at the top of each app page (see :mod:`course.app.site`).

Each call first loads what the page needs and then, when Voilà keeps kernels ready
(``--preheat_kernel``), waits for the learner's request before reading anything the learner
saved: a page prepared in advance never shows stale progress. A kernel kept ready that the
server stops (Ctrl-C, SIGTERM) before any learner asked for its page goes no further: it
records no visit and makes no exercise copy.
"""

from __future__ import annotations

import os
from types import ModuleType

from IPython.display import display

from course.app import nav, settings, site
from course.catalogue import bank
from course.runtime import activity

#: Set in the kernel by Voilà from the learner's request (``voila.handler``), and only then.
REQUEST_VARIABLE = "SCRIPT_NAME"


class NoRequest(KeyboardInterrupt):
    """The server stopped a kernel kept ready before any learner asked for its page: the page
    stops here (like Ctrl-C), before it reads or writes anything of the learner's."""


def _ready() -> None:
    """Load the course content, then wait for the request when the kernel was preheated."""
    bank.lessons()
    bank.framework()
    bank.posts()
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        from voila.utils import wait_for_request

        # wait_for_request() also returns when the server stops (its websocket closes, or
        # Ctrl-C reaches the kernel): only the request's own variables say a learner came.
        os.environ.pop(REQUEST_VARIABLE, None)
        try:
            wait_for_request()
        except KeyboardInterrupt:
            raise NoRequest() from None
        if REQUEST_VARIABLE not in os.environ:
            raise NoRequest()


def _header(name: str) -> None:
    display(nav.page_style())
    display(nav.header(site.sequence(), name))
    try:
        vote = settings.current().learner_vote
    except settings.SettingError:
        vote = ""  # the launcher reports a bad setting; the page itself still works
    if vote:
        display(nav.room_vote(vote))


def _opened(name: str, title: str, lesson_id: str | None = None) -> None:
    try:
        activity.opened(name, title, lesson_id)
    except OSError:
        pass  # the page still works; only "continue where you left off" is not updated


def home() -> None:
    from course.app.home import Home

    _ready()
    _header(site.HOME)
    display(Home())


def lesson(lesson_id: str) -> ModuleType:
    """A lesson's header; returns :mod:`course.runtime.show` with memory on, for the lesson's
    own cells (``show.classify(...)`` and so on)."""
    from course.runtime import show

    _ready()
    show.REMEMBER = True
    _header(lesson_id)
    _opened(lesson_id, bank.lesson(lesson_id).title, lesson_id)
    return show


def footer(name: str) -> None:
    display(nav.footer(site.sequence(), name))


def exercise(exercise_id: str) -> None:
    from course.app.exercise_page import ExercisePage

    _ready()
    _header(exercise_id)
    page = ExercisePage(exercise_id)
    _opened(exercise_id, page.title)
    display(page)
    footer(exercise_id)


def cpd_record() -> None:
    from course.runtime.widgets import CpdRecord

    _ready()
    _header("cpd-record")
    display(nav.intro("Your CPD record", (
        "The lessons you have finished, with their CPD minutes, and your exercise marks. "
        "Create a printable record to keep, or to show your supervisor or professional body."
    )))
    display(CpdRecord())
    footer("cpd-record")


def session_builder() -> None:
    """For trainers: build a session of posts and situations, save it, and present it."""
    from course.workshop.builder import SessionBuilder

    _ready()
    _header("session-builder")
    display(nav.intro("Build a session", (
        "Choose the practice posts and response situations for your session, put them in "
        "order, save them under a name, and present them on the projector: one item per "
        "screen, the answer revealed when you are ready."
    )))
    display(SessionBuilder())
