"""One-line entry points for the lesson notebooks: each call shows one widget.

A lesson's first (hidden) cell is ``from course.runtime import show``; every other code cell
is a single short call such as ``show.classify("p001")``, ``show.quiz("03-never-disclose")`` or
``show.cpd_record()``.
Content is loaded once per kernel (see :mod:`course.catalogue.bank`).

With :data:`REMEMBER` on (the learner app turns it on for its lesson pages), practice posts,
response situations and the quiz keep what the learner did (:mod:`course.runtime.activity`)
and show it again when the lesson is reopened.
"""

from __future__ import annotations

from IPython.display import display

from course.catalogue import bank
from course.runtime import progress
from course.runtime.widgets import Branching, Classify, CpdRecord, Discussion, Quiz, Reflection

REMEMBER = False


def classify(post_id: str) -> None:
    """A practice post to judge, with feedback and the "which rule?" follow-up."""
    display(Classify(bank.post(post_id), remember=REMEMBER))


def quiz(lesson_id: str, seed: int | None = None) -> None:
    """The lesson quiz: the lesson's posts that its page does not show as practice
    (``quiz:`` in lessons.yaml), in random order. Finishing it records the lesson in the
    learner's CPD progress (on this computer only)."""
    recorder = progress.quiz_recorder(bank.lesson(lesson_id))
    display(
        Quiz(
            bank.quiz_posts(lesson_id),
            seed=seed,
            on_finish=recorder,
            remember_as=lesson_id if REMEMBER else None,
        )
    )


def response(response_id: str) -> None:
    """A branching response situation."""
    display(Branching(bank.response(response_id), remember=REMEMBER))


def reflection(lesson_id: str) -> None:
    """A private text box for the lesson's reflection prompt."""
    display(Reflection(bank.lesson(lesson_id)))


def cpd_record() -> None:
    """The learner's CPD so far, and a button that creates a printable record."""
    display(CpdRecord())


def discussion(lesson_id: str) -> None:
    """For trainers: the lesson's posts one at a time, with the verdict revealed on demand."""
    display(Discussion(bank.lesson_posts(lesson_id)))


def session_builder() -> None:
    """For trainers: choose posts and situations for a session, save it, and present it."""
    from course.workshop.builder import SessionBuilder

    display(SessionBuilder())
