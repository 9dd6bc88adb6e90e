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


@cache
def unavailable_reason() -> str | None:
    """Why PDFs cannot be made here, or None when they can."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return (
            "the PDF maker (the Python package WeasyPrint) is not installed. Reinstall the "
            "course, or ask whoever set it up."
        )
    except OSError:
        return (
            "the text-layout library that the PDF maker needs (Pango) is not installed on "
            "this computer. On Debian or Ubuntu it comes with the package libpango-1.0-0."
        )
    return None


def to_pdf(html: str, *, attachments: tuple[Attachment, ...] = ()) -> bytes:
    """The PDF of a complete HTML page (no outside resources are fetched)."""
    reason = unavailable_reason()
    if reason:
        raise PdfUnavailable(f"A PDF cannot be made: {reason}")
    import weasyprint

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

