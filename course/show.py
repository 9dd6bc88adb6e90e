"""One-line entry points for the lesson notebooks: each call shows one widget.

A lesson's first (hidden) cell is ``from course import show``; every other code cell is a single
short call such as ``show.classify("p001")`` or ``show.quiz("03-never-disclose")``.
Content is loaded once per kernel (see :mod:`course.bank`).
"""

from __future__ import annotations

from IPython.display import display

from course import bank
from course.widgets import Branching, Classify, Discussion, Quiz, Reflection


def classify(post_id: str) -> None:
    """A practice post to judge, with feedback and the "which rule?" follow-up."""
    display(Classify(bank.post(post_id)))


def quiz(lesson_id: str, seed: int | None = None) -> None:
    """The lesson quiz: every practice post of the lesson, in random order."""
    display(Quiz(bank.lesson_posts(lesson_id), seed=seed))


def response(response_id: str) -> None:
    """A branching response situation."""
    display(Branching(bank.response(response_id)))


def reflection(lesson_id: str) -> None:
    """A private text box for the lesson's reflection prompt."""
    display(Reflection(bank.lesson(lesson_id)))


def discussion(lesson_id: str) -> None:
    """For trainers: the lesson's posts one at a time, with the verdict revealed on demand."""
    display(Discussion(bank.lesson_posts(lesson_id)))
