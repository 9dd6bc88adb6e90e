"""The room's roster: who has an account, read from a CSV file and checked before anything happens.

The file uses nbgrader's student columns, ``id,first_name,last_name,email``; only ``id`` is
required. Each ``id`` becomes a Unix account, a hub user and the nbgrader student id, so it must be
a plain lower-case name (letters, digits, ``-`` and ``_``, starting with a letter). Any problem is
reported with its row and nothing is created.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
COLUMNS = ("id", "first_name", "last_name", "email")
# Names a roster may not take: the machine's own accounts and words the hub reserves.
RESERVED = frozenset({
    "root", "admin", "administrator", "daemon", "bin", "sys", "sync", "nobody", "www-data",
    "postgres", "mail", "news", "backup", "operator", "games", "man", "proxy", "list", "irc",
    "hub", "user", "users", "services", "api", "login", "logout", "signup", "authorize",
})


class RosterError(ValueError):
    """The roster cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class Person:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def read_roster(path: str | Path, *, trainer: str) -> list[Person]:
    """Every learner in ``path``, in file order; raises :class:`RosterError` on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: no such roster file") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text; save the roster as CSV (UTF-8)") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise RosterError(f"{path}: no learners (expected a header line id,first_name,... "
                          "and one line per learner)")
    header = [h.strip().casefold() for h in (rows[0].keys() if rows else [])]
    if "id" not in header:
        raise RosterError(f"{path}: no 'id' column (columns found: {', '.join(header) or 'none'})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise RosterError(f"{path}: unknown column(s) {', '.join(unknown)}; "
                          f"use {', '.join(COLUMNS)}")
    people: list[Person] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip().casefold(): (v or "").strip() for k, v in raw.items()}
        person_id = row.get("id", "")
        where = f"{path}, line {number}"
        if not person_id:
            problems.append(f"{where}: the id is empty")
            continue
        if not ID_PATTERN.match(person_id):
            problems.append(f"{where}: id {person_id!r} must be lower-case letters, digits, "
                            "'-' or '_', start with a letter, at most 31 characters")
            continue
        if person_id in RESERVED or person_id == trainer:
            problems.append(f"{where}: id {person_id!r} is reserved "
                            f"({'the trainer' if person_id == trainer else 'a system name'})")
            continue
        if person_id in seen:
            problems.append(f"{where}: id {person_id!r} already used on line {seen[person_id]}")
            continue
        seen[person_id] = number
        people.append(Person(person_id, row.get("first_name", ""), row.get("last_name", ""),
                             row.get("email", "")))
    if problems:
        raise RosterError("the roster has problems; nothing was changed:\n  "
                          + "\n  ".join(problems))
    return people


def validate_trainer(name: str) -> str:
    if not ID_PATTERN.match(name) or name in RESERVED:
        raise RosterError(f"trainer account name {name!r} must be a plain lower-case name "
                          "and not a system name")
    return name
