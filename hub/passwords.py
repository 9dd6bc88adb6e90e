"""First passwords for a room: one per person, easy to read off a slip, never shared.

Twelve characters from an alphabet without look-alikes (no 0/O, 1/l/I), in three groups of four,
e.g. ``k7mp-x4rt-9zwq``: about 60 bits, so guessing is hopeless. Existing passwords are kept
when a room is re-opened.
"""

from __future__ import annotations

import csv
import os
import secrets
from pathlib import Path

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def ensure(path: Path, names: list[str]) -> dict[str, str]:
    """Passwords for ``names``: existing ones kept, new ones made; the file is root-only."""
    known: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            known = {row["id"]: row["password"] for row in csv.DictReader(handle)}
    for name in names:
        known.setdefault(name, new_password())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "password"])
        for name in names:
            writer.writerow([name, known[name]])
    os.chmod(path, 0o600)
    return {name: known[name] for name in names}
