"""How this copy of the learner app is hosted: two settings, read from the environment.

``POSTING_WITH_CARE_ASSESSED``
    ``1`` (or ``true``/``yes``) when the course is hosted for an **assessed cohort**: the
    exercise pages then offer no *Mark my exercise* (an assessor marks them). Default: off
    (self-paced learning on the learner's own computer).
``POSTING_WITH_CARE_SUBMIT``
    How *Submit* hands an exercise in: ``download`` (default: *Download my answers*, the
    ``.ipynb`` to upload to a course page) or ``exchange`` (nbgrader's exchange, for a hosted
    course; see :mod:`course.app.submit`).
``POSTING_WITH_CARE_VOTE``
    The address path of the room's live vote (``/services/vote/``), set by the room on
    JupyterHub (see docs/hub.md). It counts only on a hub (``JUPYTERHUB_USER`` set): then a
    learner's pages show the vote while one is open, and the trainer's presentation can open
    one. Anywhere else the app never tries the network for a vote.
``POSTING_WITH_CARE_ROLE``
    ``learner`` (default) or ``trainer``: who this server belongs to (set by the room).

The launcher (``make course``) passes the environment on to every page's kernel, so a hub can
set these per learner server.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

ASSESSED_ENV = "POSTING_WITH_CARE_ASSESSED"
SUBMIT_ENV = "POSTING_WITH_CARE_SUBMIT"
SUBMIT_MODES = ("download", "exchange")
VOTE_ENV = "POSTING_WITH_CARE_VOTE"
ROLE_ENV = "POSTING_WITH_CARE_ROLE"
ROLES = ("learner", "trainer")
HUB_USER_ENV = "JUPYTERHUB_USER"
VOTE_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)+")


class SettingError(ValueError):
    """A setting has a value the app cannot use (the message names it and the choices)."""


@dataclass(frozen=True)
class AppSettings:
    assessed: bool = False
    submit: str = "download"
    vote: str = ""        # the room vote's path on this hub, or "" (not on a hub: no vote)
    role: str = "learner"

    @property
    def self_marking(self) -> bool:
        """Whether learners may mark their own exercises (*Mark my exercise*)."""
        return not self.assessed

    @property
    def learner_vote(self) -> str:
        """The room vote's path when this page should show the room's vote to a learner."""
        return self.vote if self.role == "learner" else ""

    @property
    def trainer_vote(self) -> str:
        """The room vote's path when this trainer's presentation may open votes."""
        return self.vote if self.role == "trainer" else ""


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
    role = os.environ.get(ROLE_ENV, "").strip().casefold() or "learner"
    if role not in ROLES:
        raise SettingError(f"{ROLE_ENV}={os.environ[ROLE_ENV]!r}: use one of {', '.join(ROLES)}")
    return AppSettings(assessed=_flag(ASSESSED_ENV), submit=submit, vote=_vote(), role=role)


def on_hub() -> bool:
    """Whether this server is a person's server on a JupyterHub (the browser is elsewhere)."""
    return bool(os.environ.get(HUB_USER_ENV))


def _vote() -> str:
    value = os.environ.get(VOTE_ENV, "").strip()
    if not value or not on_hub():
        return ""  # not on a hub: the app never looks for a vote
    if not VOTE_PATH.fullmatch(value):
        raise SettingError(f"{VOTE_ENV}={value!r}: use the vote's path on the hub, "
                           "for example /services/vote/")
    return value
