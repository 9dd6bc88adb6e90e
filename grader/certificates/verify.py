"""Check a certificate: its signature, then that the PDF shows exactly what was signed.

Nothing is worked out from the PDF's visible text alone. The verification text attached to
the PDF is decoded and its Ed25519 signature checked with the provider's public key; then the
text the PDF shows is compared with the text a certificate with those signed details shows
(ignoring only layout: line breaks and spaces). So editing the signed details breaks the
signature, and editing what the PDF shows (the name, say) breaks the comparison.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from course.catalogue.wording import duration, long_date

from . import document
from .claims import Claims, CodeError, decode, points
from .keys import signature_ok


@dataclass(frozen=True)
class Verdict:
    """The outcome; true when the certificate is genuine and unchanged."""

    ok: bool
    message: str
    claims: Claims | None = None

    def __bool__(self) -> bool:
        return self.ok


def check_code(code: str, key: Ed25519PublicKey) -> Verdict:
    """Check a verification text (or the page address with it after ``#``)."""
    try:
        claims, payload, signature = decode(code)
    except CodeError as error:
        return Verdict(False, f"Not verified: {error}")
    if not signature_ok(key, signature, payload):
        return Verdict(False, "Not verified: the signature does not match. Either the "
                              "details were changed after signing, or the certificate was "
                              "not signed with this public key (check that it is the "
                              "provider's).", claims)
    return Verdict(True, _genuine(claims), claims)


def _genuine(claims: Claims) -> str:
    lines = [f"Verified: certificate {claims.number}, signed with this public key "
             f"({claims.provider}).",
             f"  Name:      {claims.name}",
             f"  Course:    {claims.course}",
             f"  Issued on: {long_date(claims.issued)}",
             f"  CPD time:  {duration(claims.cpd_minutes)} (the course's time for "
             "the exercises below, the only ones it covers)"]
    lines += [f"  {e.title}: {points(e.score)} out of {points(e.max)}"
              for e in claims.exercises]
    return "\n".join(lines)


def read_pdf(path: Path) -> tuple[str, str]:
    """(verification text attached, text shown on the pages) of a certificate PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        data = path.read_bytes()
    except OSError as error:
        raise CodeError(f"Cannot read {path}: {error.strerror or error}.") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        attached = reader.attachments.get(document.ATTACHMENT) or []
        shown = "".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise CodeError(f"{path} is not a readable PDF.") from None
    if len(attached) != 1:
        raise CodeError(f"{path} carries no Posting with Care verification text, so it is "
                        "not a certificate made by the course (or it was rebuilt without it)."
                        if not attached else
                        f"{path} carries more than one verification text.")
    try:
        code = attached[0].decode("ascii")
    except UnicodeDecodeError:
        raise CodeError(f"The verification text in {path} is damaged.") from None
    return code.strip(), shown


def check_pdf(path: Path, key: Ed25519PublicKey) -> Verdict:
    """Check a certificate PDF: signature first, then the text it shows."""
    try:
        code, shown = read_pdf(path)
    except CodeError as error:
        return Verdict(False, f"Not verified: {error}")
    verdict = check_code(code, key)
    if not verdict or verdict.claims is None:
        return verdict
    expected = document.visible_text(verdict.claims, code)
    if document.squeeze(shown) != document.squeeze(expected):
        return Verdict(False, "Not verified: the signature is genuine, but what the PDF shows "
                              "differs from what was signed, so the PDF was edited. What was "
                              "signed:\n" + _genuine(verdict.claims).split("\n", 1)[1],
                       verdict.claims)
    return verdict
