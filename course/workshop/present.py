"""Write a session's presentation to a file and open it in the browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path

from course.runtime import private
from course.workshop import deck, sessions


def presentations_folder() -> Path:
    """Where presentations are written by default: the course's user folder."""
    return private.home() / "presentations"


def write(session: sessions.Session, out: Path | None = None) -> Path:
    """The session's deck as a self-contained HTML file (``out`` or the default folder)."""
    path = out or presentations_folder() / f"{session.id}.html"
    return private.write_private(path, deck.session_deck(session))


def open_in_browser(path: Path) -> bool:
    """Open the file in the default browser; False when there is none to open."""
    return webbrowser.open(path.resolve().as_uri())
