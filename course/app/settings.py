"""How this copy of the learner app is hosted: two settings, read from the environment.

``POSTING_WITH_CARE_ASSESSED``
    ``1`` (or ``true``/``yes``) when the course is hosted for an **assessed cohort**: the
    exercise pages then offer no *Mark my exercise* (an assessor marks them). Default: off
    (self-paced learning on the learner's own computer).
``POSTING_WITH_CARE_SUBMIT``
    How *Submit* hands an exercise in: ``download`` (default: *Download my answers*, the
    ``.ipynb`` to upload to a course page) or ``exchange`` (nbgrader's exchange, for a hosted
    course; see :mod:`course.app.submit`).

The launcher (``make course``) passes the environment on to every page's kernel, so a hub can
set these per learner server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ASSESSED_ENV = "POSTING_WITH_CARE_ASSESSED"
SUBMIT_ENV = "POSTING_WITH_CARE_SUBMIT"
SUBMIT_MODES = ("download", "exchange")


class SettingError(ValueError):
    """A setting has a value the app cannot use (the message names it and the choices)."""


@dataclass(frozen=True)
class AppSettings:
    assessed: bool = False
    submit: str = "download"

    @property
    def self_marking(self) -> bool:
        """Whether learners may mark their own exercises (*Mark my exercise*)."""
        return not self.assessed


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().casefold()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingError(f"{name}={os.environ[name]!r}: use 1 (on) or 0 (off)")


def current() -> AppSettings:
    """The settings from the environment; a value that cannot be read raises SettingError."""
    submit = os.environ.get(SUBMIT_ENV, "").strip().casefold() or "download"
    if submit not in SUBMIT_MODES:
        raise SettingError(
            f"{SUBMIT_ENV}={os.environ[SUBMIT_ENV]!r}: use one of {', '.join(SUBMIT_MODES)}"
        )
    return AppSettings(assessed=_flag(ASSESSED_ENV), submit=submit)
