"""Learner ids: tidy ids from file names, safe file names, and stable pseudonyms."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SECRET_NAME = "pseudonym-secret.key"


def tidy(text: str) -> str:
    """NFC-normalise and collapse whitespace, so the same name always gives the same id."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def file_slug(learner_id: str) -> str:
    """A file name for ``learner_id`` that is safe everywhere and unique per id.

    Plain ASCII ids (``jsmith``) are kept; anything else becomes an ASCII slug plus a short
    hash of the exact id, so ``Zoë`` and ``Zoe`` never share a feedback page.
    """
    if _UNSAFE.search(learner_id) is None and not learner_id.startswith(".") and learner_id:
        return learner_id
    ascii_text = unicodedata.normalize("NFKD", learner_id).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_text).strip("-.")[:40] or "learner"
    digest = hashlib.sha256(learner_id.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


class Pseudonymiser:
    """Turns learner ids into stable codes such as ``L-7K3QX9AB`` (HMAC-SHA256 with a secret).

    The secret is created once, with owner-only permissions, and reused on every later run, so
    a learner keeps the same code across runs and assignments. Without the secret, a code
    cannot be traced back to the learner.
    """

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def from_file(cls, path: Path) -> Pseudonymiser:
        """Load the secret from ``path``, creating it (mode 0600) on first use."""
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        secret = path.read_text(encoding="ascii").strip()
        if len(secret) < 32:
            raise ValueError(f"The pseudonym secret in {path} is too short or empty.")
        return cls(secret.encode("ascii"))

    def code(self, learner_id: str) -> str:
        """The learner's stable code."""
        mac = hmac.new(self._secret, tidy(learner_id).encode("utf-8"), hashlib.sha256).digest()
        return "L-" + base64.b32encode(mac).decode("ascii")[:8]


def gradebook_id(public_id: str) -> str:
    """nbgrader's student ids hold at most 128 characters; longer ones get a hashed tail."""
    if len(public_id) <= 128:
        return public_id
    return public_id[:110] + "-" + hashlib.sha256(public_id.encode()).hexdigest()[:12]
