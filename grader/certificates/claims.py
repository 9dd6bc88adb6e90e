"""What a certificate claims, the exact bytes that are signed, and the verification text.

The claims are a small JSON object. The signed bytes are its canonical form: UTF-8 JSON with
sorted keys, no spaces, text NFC-normalised. The verification text carries those bytes and the
Ed25519 signature over them, so it can be checked with nothing but the provider's public key:

    PWC1.<claims, base64url>.<signature, base64url>

It is what the QR code holds (after the verification page's address and ``#`` when one is
given) and what is printed under it. The certificate number (``PWC-7K3Q-X9AB``) is short, for
people to quote; it is worked out from the other claims and signed with them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PREFIX = "PWC1"
COURSE = "Posting with Care"


class CodeError(ValueError):
    """A verification text that cannot be read; the message says why in plain words."""


class ExerciseClaim(BaseModel):
    """One assessed exercise on the certificate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    score: float = Field(ge=0)
    max: float = Field(gt=0)
    minutes: int = Field(gt=0)


class Claims(BaseModel):
    """Everything a certificate says; all of it is signed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = 1
    number: str = ""
    course: str = COURSE
    provider: str = Field(min_length=1)
    name: str = Field(min_length=1)
    issued: date
    pass_mark: str
    cpd_minutes: int = Field(gt=0)
    exercises: tuple[ExerciseClaim, ...] = Field(min_length=1)
    verify_url: str = ""

    def with_number(self) -> Claims:
        """The claims with their certificate number filled in."""
        return self.model_copy(update={"number": certificate_number(self)})


def nfc(text: str) -> str:
    """One spelling for the same text: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def as_json(claims: Claims) -> dict:
    data = claims.model_dump(mode="json")
    for exercise in data["exercises"]:
        exercise["score"] = _plain(exercise["score"])
        exercise["max"] = _plain(exercise["max"])
    return data


def canonical(claims: Claims) -> bytes:
    """The signed bytes."""
    text = json.dumps(as_json(claims), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return unicodedata.normalize("NFC", text).encode("utf-8")


def certificate_number(claims: Claims) -> str:
    """``PWC-XXXX-XXXX``: from a hash of every other claim, so it names this certificate."""
    digest = hashlib.sha256(canonical(claims.model_copy(update={"number": ""}))).digest()
    letters = base64.b32encode(digest).decode("ascii")[:8]
    return f"PWC-{letters[:4]}-{letters[4:]}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: Claims, signature: bytes) -> str:
    """The verification text."""
    return f"{PREFIX}.{_b64(canonical(claims))}.{_b64(signature)}"


def decode(text: str) -> tuple[Claims, bytes, bytes]:
    """(claims, signed bytes, signature) from a verification text, or the verification page's
    address followed by ``#`` and the text. Raises :class:`CodeError` in plain words."""
    text = "".join(text.split())
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise CodeError("This is not a Posting with Care verification text (it should start "
                        f"with {PREFIX}. and have three parts separated by dots).")
    try:
        payload, signature = _unb64(parts[1]), _unb64(parts[2])
        data = json.loads(payload.decode("utf-8"))
        claims = Claims.model_validate(data)
    except (binascii.Error, ValueError, UnicodeDecodeError, ValidationError):
        raise CodeError("The verification text is damaged: part of it is missing or was "
                        "changed, so it cannot be read.") from None
    if canonical(claims) != payload:
        raise CodeError("The verification text is not in the form the course signs, so it "
                        "was not made by the course.")
    if claims.number != certificate_number(claims):
        raise CodeError("The certificate number does not belong to these details.")
    return claims, payload, signature


# --- how the claims read on the certificate (the verifier checks the PDF's text against these)


def points(value: float) -> str:
    """``22.0`` → ``22``, ``16.5`` → ``16.5``."""
    return str(_plain(value))
