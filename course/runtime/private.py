"""The learner's private folder: where the course keeps what a learner saves, on this computer.

It is ``~/.posting-with-care`` (or the folder named by the environment variable
``POSTING_WITH_CARE_HOME``), never inside the course folder, so nothing personal can end up in
the course's files or be handed in with an exercise. Files are written whole (a crash never
leaves half a file) and readable by their owner only; the folders made for them (the private
folder itself, ``exercises/…`` and so on) are owner-only too (0700).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

HOME_ENV = "POSTING_WITH_CARE_HOME"


def home() -> Path:
    """The private folder (it may not exist yet)."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured) if configured else Path.home() / ".posting-with-care"


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; a missing, unreadable or malformed file counts as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def private_dir(path: Path) -> Path:
    """Create ``path`` and whichever of its parents are missing, each owner-only (0700).
    (``Path.mkdir(parents=True, mode=…)`` gives the mode to the last folder only.)"""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)  # whatever the umask
    return path


def write_private(path: Path, text: str) -> Path:
    """Replace ``path`` with ``text`` in one step, readable and writable by the owner only."""
    return write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> Path:
    """:func:`write_private` for bytes (a PDF, say)."""
    private_dir(path.parent)
    with tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    ) as handle:
        handle.write(data)
    try:
        os.chmod(handle.name, 0o600)
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """:func:`write_private` for a JSON object, kept readable (indented, UTF-8)."""
    return write_private(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
