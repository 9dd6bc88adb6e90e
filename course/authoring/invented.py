"""Check that course text uses only made-up contact details.

Every handle, web address, email address and phone number in a post must be invented and listed
in ``content/invented.yaml``. :func:`find_contacts` spots anything that looks like one;
:func:`not_invented` returns those that are not on the allow-list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ALLOW_LIST = Path(__file__).resolve().parents[1] / "content" / "invented.yaml"

# Domains reserved for examples (RFC 2606 and RFC 6761): they can never belong to anyone.
RESERVED_DOMAINS = ("example", "example.org", "example.com", "example.net", "invalid", "test")
# Short numbers worth catching on their own (UK and elsewhere); longer ones are caught by length.
_SERVICE_NUMBERS = ("999", "112", "111", "101", "105", "119", "911")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_DOMAIN = re.compile(
    r"(?i)(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:/[^\s<>\"')\]]*)?"
)
_LONG_NUMBER = re.compile(r"(?<![\w])\+?\(?\d[\d ().-]{4,}\d(?![\w])")
_SHORT_NUMBER = re.compile(
    r"(?i)(?:\b(?:call|ring|dial|phone|text|tel|on|number)\b[:.]?\s+)(\d{3,5})\b"
    r"|\b(" + "|".join(_SERVICE_NUMBERS) + r")\b"
)


@dataclass(frozen=True)
class Finding:
    """Something in a text that looks like a contact detail."""

    kind: str  # "email", "url", "handle" or "phone"
    value: str


@dataclass(frozen=True)
class AllowList:
    """The invented contact details that course text may contain."""

    handles: frozenset[str]
    domains: frozenset[str]
    emails: frozenset[str]
    phones: frozenset[str]


def digits(value: str) -> str:
    """Only the digits of a phone number, so spacing does not matter."""
    return re.sub(r"\D", "", value)


def host(url: str) -> str:
    """The host name of a web address, lower-case, without ``www.``."""
    bare = re.sub(r"(?i)^https?://", "", url)
    name = re.split(r"[/:?#]", bare, maxsplit=1)[0].lower().rstrip(".")
    return name.removeprefix("www.")


def is_reserved(domain: str) -> bool:
    """Whether a domain is one of those set aside for examples."""
    domain = domain.lower()
    return any(domain == r or domain.endswith("." + r) for r in RESERVED_DOMAINS)


def load_allow_list(path: Path = ALLOW_LIST) -> AllowList:
    """Read the allow-list file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return AllowList(
        handles=frozenset(h.lower() for h in data.get("handles", [])),
        domains=frozenset(d.lower() for d in data.get("domains", [])),
        emails=frozenset(e.lower() for e in data.get("emails", [])),
        phones=frozenset(digits(str(p)) for p in data.get("phones", [])),
    )


def find_contacts(text: str) -> list[Finding]:
    """Everything in ``text`` that looks like a handle, web address, email or phone number."""
    found: list[Finding] = []

    def take(pattern: re.Pattern[str], kind: str, source: str) -> str:
        for match in pattern.finditer(source):
            found.append(Finding(kind, match.group(0).rstrip(".,;:!?")))
        return pattern.sub(" ", source)

    rest = take(_EMAIL, "email", text)
    rest = take(_URL, "url", rest)
    rest = take(_HANDLE, "handle", rest)
    rest = take(_DOMAIN, "url", rest)
    for match in _LONG_NUMBER.finditer(rest):
        if len(digits(match.group(0))) >= 6:
            found.append(Finding("phone", match.group(0).strip()))
    rest = _LONG_NUMBER.sub(
        lambda m: " " if len(digits(m.group(0))) >= 6 else m.group(0), rest
    )
    for match in _SHORT_NUMBER.finditer(rest):
        found.append(Finding("phone", match.group(1) or match.group(2)))
    return found


def is_allowed(finding: Finding, allow: AllowList) -> bool:
    """Whether one finding is on the allow-list."""
    value = finding.value.lower()
    if finding.kind == "handle":
        return value in allow.handles
    if finding.kind == "email":
        return value in allow.emails and is_reserved(value.rsplit("@", 1)[1])
    if finding.kind == "url":
        name = host(value)
        return is_reserved(name) and any(
            name == d or name.endswith("." + d) for d in allow.domains
        )
    return digits(value) in allow.phones


def not_invented(text: str, allow: AllowList) -> list[Finding]:
    """The contact details in ``text`` that are not on the allow-list."""
    return [f for f in find_contacts(text) if not is_allowed(f, allow)]
