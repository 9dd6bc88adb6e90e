"""Check that course text is written in our own words, not copied from the source article.

The article itself is not kept in the repository. Instead a fingerprint file holds a short hash of
every run of :data:`RUN` consecutive words in it; :func:`copied_runs` reports any run of that many
words in a text whose hash is in the fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

RUN = 8  # this many consecutive words shared with the source counts as copying


def words(text: str) -> list[str]:
    """The words of ``text``, lower-case, with curly apostrophes made straight."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text)


def runs(text: str, size: int = RUN) -> list[str]:
    """Every run of ``size`` consecutive words in ``text``, joined by single spaces."""
    tokens = words(text)
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def digest(run: str) -> str:
    """A short, stable hash of one run of words."""
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def fingerprint(text: str, size: int = RUN) -> set[str]:
    """The hashes of every run of ``size`` words in ``text``."""
    return {digest(run) for run in runs(text, size)}


def read_fingerprint(path: Path) -> set[str]:
    """A fingerprint file: one hash a line; ``#`` starts a comment."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def write_fingerprint(hashes: Iterable[str], path: Path, note: str) -> None:
    """Write a fingerprint file, sorted, with a comment line first."""
    body = "\n".join(sorted(set(hashes)))
    Path(path).write_text(f"# {note}\n{body}\n", encoding="utf-8")


def copied_runs(text: str, source: set[str], size: int = RUN) -> list[str]:
    """The runs of ``size`` words in ``text`` that also occur in the fingerprinted source."""
    return [run for run in runs(text, size) if digest(run) in source]
