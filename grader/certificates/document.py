"""A certificate as HTML and as a PDF: what it shows is worked out from the signed claims alone,
so the verifier can rebuild the expected text from them and compare it with the PDF's.

The PDF (A4, tagged PDF/UA-1, fonts from the system with Noto for any script) carries the
verification text as an attachment, ``certificate.txt``, and in a QR code; it is also printed
under the code so that it can be copied.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import jinja2
import segno
from markupsafe import Markup

from course import pdf
from course.catalogue.wording import duration, long_date

from .claims import Claims, points

ATTACHMENT = "certificate.txt"
COURSE_SUBTITLE = (
    "a CPD course for counsellors and psychotherapists on using social media ethically"
)


def qr_target(claims: Claims, code: str) -> str:
    """What the QR code holds: the verification page's address with the code after ``#``, or
    the code alone when no page address was given."""
    return f"{claims.verify_url}#{code}" if claims.verify_url else code


def qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def render(claims: Claims, code: str) -> str:
    """The certificate as a complete HTML page."""
    return _TEMPLATE.render(
        c=claims, code=code, exercises=claims.exercises, points=points,
        scope="the exercise" if len(claims.exercises) == 1 else "each of the exercises",
        listed="exercise" if len(claims.exercises) == 1 else "exercises",
        issued=long_date(claims.issued), cpd=duration(claims.cpd_minutes),
        subtitle=COURSE_SUBTITLE, font=Markup(pdf.FONT_STACK), qr=qr_svg(qr_target(claims, code)),
        code_pieces=[code[i:i + 96] for i in range(0, len(code), 96)],
    )


def to_pdf(claims: Claims, code: str) -> bytes:
    """The certificate's PDF, with the verification text attached."""
    return pdf.to_pdf(render(claims, code), attachments=(pdf.Attachment(
        ATTACHMENT, code + "\n", "Verification text: the signed details of this certificate"),))


class _Text(HTMLParser):
    """The text a reader sees in the page's body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._body = True
        if tag in ("style", "title", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._body and not self._skip:
            self.parts.append(data)


def squeeze(text: str) -> str:
    """Text compared without regard to layout: NFKC (ligatures and presentation forms become
    plain letters), and no whitespace at all (line breaks differ with the fonts installed)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def visible_text(claims: Claims, code: str) -> str:
    parser = _Text()
    parser.feed(render(claims, code))
    return "".join(parser.parts)


_TEMPLATE = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
).from_string(
    """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Certificate {{ c.number }}: {{ c.course }}</title>
<meta name="author" content="{{ c.provider }}">
<meta name="description" content="Certificate of assessed CPD, {{ c.course }}">
<style>
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
html { font-family: {{ font }}; color: #1f2328; font-size: 10.5pt; line-height: 1.45; }
body { margin: 0; }
main { border: 2.5pt solid #0b5cad; outline: 0.8pt solid #0b5cad; outline-offset: -6pt;
  padding: 14mm 14mm 10mm; min-height: 267mm; }
.provider { margin: 0; color: #0b5cad; font-weight: 700; font-size: 1.15em;
  letter-spacing: 0.03em; }
h1 { font-size: 2em; margin: 0.3em 0 0.6em; font-weight: 700; }
.lead { margin: 0; }
.name { font-size: 2.1em; font-weight: 700; margin: 0.25em 0; unicode-bidi: isolate; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0 1em; }
th, td { text-align: left; padding: 0.35em 0.5em; border-bottom: 0.6pt solid #c9d1d9; }
thead th { border-bottom: 1.2pt solid #57606a; }
td.score, th.score { text-align: right; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1.2em; margin: 0.8em 0; }
dt { font-weight: 700; }
dd { margin: 0; }
.note { color: #3d4450; font-size: 0.92em; }
.check { display: flex; gap: 6mm; align-items: flex-start; margin-top: 6mm;
  border-top: 0.8pt solid #c9d1d9; padding-top: 5mm; }
.check img { width: 48mm; height: 48mm; flex: none; }
.check h2 { font-size: 1.05em; margin: 0 0 0.3em; }
.check p { margin: 0 0 0.4em; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 6.6pt; line-height: 1.35;
  color: #3d4450; margin: 3mm 0 0; }
.code span { display: block; }
.number { font-weight: 700; letter-spacing: 0.04em; }
</style>
</head>
<body>
<main>
<p class="provider">{{ c.provider }}</p>
<h1>Certificate of assessed CPD</h1>
<p class="lead">This certifies that</p>
<p class="name" dir="auto">{{ c.name }}</p>
<p class="lead">reached the pass mark of {{ c.pass_mark }} in {{ scope }} \
of <strong>{{ c.course }}</strong> listed below, {{ subtitle }}, as marked by {{ c.provider }}. \
It covers the {{ listed }} listed, and no other:</p>
<table>
<thead><tr><th scope="col">Exercise</th><th scope="col" class="score">Score</th></tr></thead>
<tbody>
{% for e in exercises %}
<tr><td>{{ e.title }}</td>\
<td class="score">{{ points(e.score) }} out of {{ points(e.max) }}</td></tr>
{% endfor %}
</tbody>
</table>
<dl>
<dt>CPD time</dt><dd>{{ cpd }}</dd>
<dt>Issued on</dt><dd>{{ issued }}</dd>
<dt>Issued by</dt><dd>{{ c.provider }}</dd>
<dt>Certificate number</dt><dd class="number">{{ c.number }}</dd>
</dl>
<p class="note">The CPD time is the time the course sets for the exercises above. Lessons a \
learner works through on their own are not assessed and are not counted here; they appear in the \
learner's own CPD record.</p>
<section class="check">
<img src="{{ qr }}" alt="QR code holding this certificate's verification text">
<div>
<h2>Checking this certificate</h2>
<p>Every detail above is signed by {{ c.provider }} with a digital signature (Ed25519). \
{% if c.verify_url %}Scan the QR code, or open {{ c.verify_url }} and paste the text below. \
{% else %}Open the verification page from {{ c.provider }}, then scan the QR code or paste the \
text below. {% endif %}A certificate whose name, date, time or scores were changed fails the \
check.</p>
</div>
</section>
<p class="code" aria-label="Verification text">\
{% for piece in code_pieces %}<span>{{ piece }}</span>{% endfor %}</p>
</main>
</body>
</html>
"""
)
