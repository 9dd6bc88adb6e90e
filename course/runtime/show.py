"""One-line entry points for the lesson notebooks: each call shows one widget.

A lesson's first (hidden) cell is ``from course.runtime import show``; every other code cell
is a single short call such as ``show.classify("p001")``, ``show.quiz("03-never-disclose")`` or
``show.cpd_record()``.
Content is loaded once per kernel (see :mod:`course.catalogue.bank`).
"""

from __future__ import annotations

from IPython.display import display

from course.catalogue import bank
from course.runtime import progress
from course.runtime.widgets import Branching, Classify, CpdRecord, Discussion, Quiz, Reflection


def classify(post_id: str) -> None:
    """A practice post to judge, with feedback and the "which rule?" follow-up."""
    display(Classify(bank.post(post_id)))


def quiz(lesson_id: str, seed: int | None = None) -> None:
    """The lesson quiz: every practice post of the lesson, in random order. Finishing it
    records the lesson in the learner's CPD progress (on this computer only)."""
    recorder = progress.quiz_recorder(bank.lesson(lesson_id))
    display(Quiz(bank.lesson_posts(lesson_id), seed=seed, on_finish=recorder))


def response(response_id: str) -> None:
    """A branching response situation."""
    display(Branching(bank.response(response_id)))


def reflection(lesson_id: str) -> None:
    """A private text box for the lesson's reflection prompt."""
    display(Reflection(bank.lesson(lesson_id)))


def cpd_record() -> None:
    """The learner's CPD so far, and a button that creates a printable record."""
    display(CpdRecord())


def discussion(lesson_id: str) -> None:
    """For trainers: the lesson's posts one at a time, with the verdict revealed on demand."""
    display(Discussion(bank.lesson_posts(lesson_id)))
