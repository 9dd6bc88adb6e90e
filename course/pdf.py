"""HTML to PDF with WeasyPrint: A4 (set by each page's own ``@page`` rule), tagged (PDF/UA-1),
with the system's fonts (Noto covers Latin with accents, Greek, Arabic and Chinese).

WeasyPrint lays text out with the system's Pango library. When Pango is missing, importing
WeasyPrint fails; :func:`unavailable_reason` then says so in plain words, and everything that
does not need a PDF (the HTML pages) still works.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# The fonts every PDF asks for first; Pango falls back to any other installed font that has
# a missing character (Noto Sans Arabic, Noto Sans CJK, ...).
FONT_STACK = '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'


class PdfUnavailable(RuntimeError):
    """PDFs cannot be made on this computer; the message says why, in plain words."""


@dataclass(frozen=True)
class Attachment:
    """A file carried inside the PDF (for example the signed claims of a certificate)."""

    name: str
    data: str
    description: str


_NO_WEASYPRINT = (
    "the PDF maker (the Python package WeasyPrint) is not installed. Reinstall the course, or "
    "ask whoever set it up."
)
_NO_PANGO = (
    "the text-layout library that the PDF maker needs (Pango) is not installed on this "
    "computer. On Debian or Ubuntu it comes with the package libpango-1.0-0."
)
# The system libraries WeasyPrint opens (names as on Linux, then as find_library knows them).
_LIBRARIES = (("libpango-1.0.so.0", "pango-1.0"), ("libpangoft2-1.0.so.0", "pangoft2-1.0"),
              ("libgobject-2.0.so.0", "gobject-2.0"), ("libharfbuzz.so.0", "harfbuzz"),
              ("libfontconfig.so.1", "fontconfig"))


def _loadable(name: str, short: str) -> bool:
    import ctypes
    import ctypes.util

    for candidate in (name, ctypes.util.find_library(short)):
        if not candidate:
            continue
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return True
    return False


@cache
def unavailable_reason() -> str | None:
    """Why PDFs cannot be made here, or None when they can. Quick: it looks for WeasyPrint and
    the system libraries it needs without importing it (that takes seconds)."""
    import importlib.util

    if importlib.util.find_spec("weasyprint") is None:
        return _NO_WEASYPRINT
    if not all(_loadable(name, short) for name, short in _LIBRARIES):
        return _NO_PANGO
    return None


def to_pdf(html: str, *, attachments: tuple[Attachment, ...] = ()) -> bytes:
    """The PDF of a complete HTML page (no outside resources are fetched)."""
    reason = unavailable_reason()
    if reason:
        raise PdfUnavailable(f"A PDF cannot be made: {reason}")
    try:
        import weasyprint
    except ImportError:
        raise PdfUnavailable(f"A PDF cannot be made: {_NO_WEASYPRINT}") from None
    except OSError:
        raise PdfUnavailable(f"A PDF cannot be made: {_NO_PANGO}") from None

    files = [
        weasyprint.Attachment(
            string=item.data, name=item.name, description=item.description,
            relationship="Data",
        )
        for item in attachments
    ]
    document = weasyprint.HTML(
        string=html, url_fetcher=weasyprint.URLFetcher(allowed_protocols=("data",))
    )
    return document.write_pdf(pdf_variant="pdf/ua-1", attachments=files or None)

