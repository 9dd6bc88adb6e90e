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
