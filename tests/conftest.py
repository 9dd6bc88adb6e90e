"""Fixtures shared by the whole suite.

Test helpers are importable by name because ``pythonpath`` in pyproject.toml puts ``tests/``,
``tests/fixtures/cohort/``, ``tests/browser/`` and ``benchmarks/`` on the path: no test edits
``sys.path``. Markers (``browser``, ``postgres``, ``install``, ``slow``) say what a test needs;
``make check`` runs everything that needs no browser, PostgreSQL or fresh install.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ex():
    """Exercise 1 (classify posts): the real key, items and released notebook."""
    import cohort_helpers as h

    return h.load(h.EX01)


@pytest.fixture(scope="session")
def room():
    """One real room on JupyterHub for the whole session (marker ``hub``; needs root): a
    trainer, FLOW_LEARNERS learners for the exercise flow and VOTERS more. Shared by
    ``tests/test_hub_room.py`` and the browser tests through the hub; at the end the hub, every
    server, the accounts and the room folder are gone, and this checks it."""
    from pathlib import Path

    from hub_room import FLOW_LEARNERS, VOTERS, close_room, open_room, processes_of, why_not

    if why_not():
        pytest.skip(why_not())
    room = open_room(FLOW_LEARNERS + VOTERS)
    yield room
    close_room(room)
    everyone = [room.trainer, *room.learners]
    assert processes_of(everyone) == [], "a process of a test account outlived the hub"
    assert not any(Path("/home", name).exists() for name in everyone)
    assert not room.room_dir.exists()
