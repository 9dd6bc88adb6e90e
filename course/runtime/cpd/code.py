"""The verification code of a CPD record, and checking it.

The code is the first 12 hex digits of the SHA-256 of the record's canonical content: every
element with its attributes (sorted) and every piece of text (whitespace collapsed), in document
order, leaving out only the code itself. So any change to what the record says or shows changes
the code, while line endings, indentation and character references do not matter.

It shows that a file has not been edited since the course created it. It is not a signature:
anyone with the course can create a new record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CODE_ID = "pwc-cpd-code"
CODE_LENGTH = 12


class _Canonical(HTMLParser):
    """Collects the canonical lines of a document and the text of its code element(s)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.codes: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = " ".join(f"{key}={value or ''!r}" for key, value in sorted(attrs))
        self.lines.append(f"<{tag} {attributes}>")
        if ("id", CODE_ID) in attrs:
            self._in_code = True
            self.codes.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_code = False

    def handle_endtag(self, tag: str) -> None:
        self.lines.append(f"</{tag}>")
        self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.codes[-1] += data
            return
        text = " ".join(data.split())
        if text:
            self.lines.append(text)


def _read(html: str) -> _Canonical:
    parser = _Canonical()
    parser.feed(html)
    parser.close()
    return parser


def compute(html: str) -> str:
    """The verification code of a record's HTML (whatever code it currently states)."""
    canonical = "\n".join(_read(html).lines)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:CODE_LENGTH]


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a record; true when the record is unchanged."""

    ok: bool
    stated: str | None
    computed: str

    def __bool__(self) -> bool:
        return self.ok

    @property
    def message(self) -> str:
        if self.stated is None:
            return (
                "This file has no single verification code, so it is not a CPD record "
                "created by Posting with Care."
            )
        if self.ok:
            return (
                f"Unchanged: the record matches its verification code ({self.stated}). It has "
                "not been edited since the course created it."
            )
        return (
            f"Changed: the record states the code {self.stated}, but its content gives "
            f"{self.computed}. It has been edited since the course created it."
        )


def check(html: str) -> Verification:
    """Recompute the code of a record's HTML and compare it with the code the record states."""
    codes = [" ".join(code.split()) for code in _read(html).codes]
    stated = codes[0] if len(codes) == 1 and codes[0] else None
    computed = compute(html)
    return Verification(ok=stated == computed, stated=stated, computed=computed)


def verify(path: Path | str) -> Verification:
    """Check the record file at ``path`` (an unreadable file raises :class:`OSError`)."""
    return check(Path(path).read_text(encoding="utf-8"))
