"""The learner's CPD record: self-declared, set out as counsellors keep CPD records (what I
planned, what I did, what I learned, how I will apply it), as one printable HTML page and as a
PDF.

What I did lists the lessons finished (dates, minutes, quiz score at the first try) and the
exercises tried on this computer (the first attempt's score); what I learned, each finished
lesson's outcomes mapped to the principles of the Ethical Framework; how I will apply it, the
learner's reflections only if they ticked the box (otherwise space to write by hand).

The record says plainly that it is the learner's own account and that nobody has checked it:
it carries no code and claims no verification (a certificate from the course provider is the
thing that can be checked). The page is self-contained (its own styles, no scripts, no links
out), so it opens and prints the same in any browser, offline. Everything the learner typed is
escaped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from course import pdf
from course.catalogue import bank
from course.catalogue.lessons_meta import Lesson
from course.catalogue.scenarios import Principle
from course.catalogue.wording import duration, long_date
from course.runtime import private
from course.runtime.progress import (
    Completion,
    ExerciseAttempt,
    load_exercise_attempts,
    load_progress,
)
from course.runtime.reflections import load_reflections

COURSE_TITLE = "Posting with Care"
COURSE_SUBTITLE = (
    "A self-paced course for counsellors and psychotherapists on using social media ethically"
)
FRAMEWORK_NAME = "BACP Ethical Framework for the Counselling Professions"


@dataclass(frozen=True)
class LessonRow:
    """One lesson of the course, with its finish if there is one."""

    lesson: Lesson
    completion: Completion | None

    @property
    def minutes(self) -> int:
        """CPD minutes: as recorded when first finished, otherwise the lesson's own."""
        return self.completion.minutes if self.completion else self.lesson.minutes


@dataclass(frozen=True)
class SavedReflection:
    lesson: Lesson
    text: str
    saved: datetime | None


def rows() -> list[LessonRow]:
    """Every lesson in course order, with the learner's progress."""
    progress = load_progress()
    return [LessonRow(lesson, progress.get(lesson.id)) for lesson in bank.lessons().values()]


def exercise_attempts() -> list[ExerciseAttempt]:
    """The exercises tried on this computer, in the course's order (by id)."""
    return [attempt for _, attempt in sorted(load_exercise_attempts().items())]


def completed_minutes(table: list[LessonRow]) -> int:
    return sum(row.minutes for row in table if row.completion)


def lesson_principles(lesson_id: str) -> list[Principle]:
    """The principles a lesson draws on: those at stake in at least a quarter of its practice
    posts (at least the most frequent one), the most frequent first."""
    posts = bank.lesson_posts(lesson_id)
    counts = Counter(p for post in posts for p in post.principles)
    order = list(bank.principles())
    ranked = sorted(counts, key=lambda p: (-counts[p], order.index(p)))
    kept = [p for p in ranked if counts[p] * 4 >= len(posts)] or ranked[:1]
    return [bank.principles()[p] for p in kept]


def saved_reflections() -> list[SavedReflection]:
    """The learner's saved, non-empty reflections, in course order."""
    saved = load_reflections()
    found = []
    for lesson in bank.lessons().values():
        entry = saved.get(lesson.id)
        if not isinstance(entry, dict) or not str(entry.get("text", "")).strip():
            continue
        try:
            when = datetime.fromisoformat(str(entry.get("saved", "")))
        except ValueError:
            when = None
        found.append(SavedReflection(lesson, str(entry["text"]).strip(), when))
    return found




def record_name(when: datetime, suffix: str = ".html") -> str:
    return f"cpd-record-{when:%Y-%m-%d}{suffix}"


def points(value: float) -> str:
    """``22.0`` → ``22``, ``16.5`` → ``16.5``."""
    return f"{value:g}"


def render(
    *, name: str = "", include_reflections: bool = False, now: datetime | None = None
) -> str:
    """The record as a complete HTML page."""
    now = (now or datetime.now()).replace(microsecond=0)
    table = rows()
    done = [row for row in table if row.completion]
    principles = {row.lesson.id: lesson_principles(row.lesson.id) for row in done}
    used = {p.id for found in principles.values() for p in found}
    values = {
        "course": COURSE_TITLE,
        "subtitle": COURSE_SUBTITLE,
        "framework": FRAMEWORK_NAME,
        "name": " ".join(name.split()),
        "created": f"{long_date(now)} at {now:%H:%M}",
        "file_name": record_name(now),
        "rows": table,
        "done": done,
        "minutes": completed_minutes(table),
        "course_minutes": sum(row.minutes for row in table),
        "duration": duration(completed_minutes(table)),
        "principles": principles,
        "glossary": [p for p in bank.principles().values() if p.id in used],
        "include_reflections": include_reflections,
        "reflections": saved_reflections() if include_reflections else [],
        "exercises": exercise_attempts(),
        "points": points,
        "lessons_total": duration(sum(row.minutes for row in table)),
        "long_date": long_date,
        "style": Markup(_STYLE.strip().replace("FONT_STACK", pdf.FONT_STACK)),
    }
    return _TEMPLATE.render(**values)


def create(
    *, name: str = "", include_reflections: bool = False, now: datetime | None = None
) -> Path:
    """Write the record into the learner's private folder (owner-only) and return its path."""
    now = now or datetime.now()
    page = render(name=name, include_reflections=include_reflections, now=now)
    return private.write_private(private.home() / record_name(now), page)


def create_pdf(
    *, name: str = "", include_reflections: bool = False, now: datetime | None = None
) -> Path:
    """The record as a PDF (A4, tagged) in the learner's private folder; raises
    :class:`course.pdf.PdfUnavailable` (saying why) when PDFs cannot be made here."""
    now = now or datetime.now()
    data = pdf.to_pdf(render(name=name, include_reflections=include_reflections, now=now))
    return private.write_private_bytes(private.home() / record_name(now, ".pdf"), data)


_STYLE = """
@page { size: A4; margin: 16mm 15mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
    font-family: FONT_STACK; color: #57606a; } }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1f2328;
  font: 11pt/1.5 FONT_STACK; }
main { max-width: 48em; margin: 0 auto; padding: 2em 1.5em; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em;
  border-bottom: 2px solid #0b5cad; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
.course { margin: 0; color: #0b5cad; font-weight: 700; letter-spacing: 0.02em; }
.subtitle { margin: 0 0 1em; color: #3d4450; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1.2em;
  margin: 1em 0; }
dl.details dt { font-weight: 700; }
dl.details dd { margin: 0; }
.pwc-cpd-name { unicode-bidi: isolate; }
.self-declared { margin: 1em 0; padding: 0.7em 1em; border: 1px solid #57606a;
  border-left: 6px solid #57606a; border-radius: 4px; background: #f6f8fa; }
.self-declared p { margin: 0.2em 0; }
table { width: 100%; border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35em 0.5em;
  border-bottom: 1px solid #c9d1d9; }
thead th { border-bottom: 2px solid #57606a; }
tfoot th, tfoot td { border-top: 2px solid #57606a; border-bottom: none; font-weight: 700; }
/* A table footer is repeated at the foot of every page the table runs onto (WeasyPrint does
   this for display: table-footer-group, as browsers do when printing), where the total would
   read as a subtotal: as a plain row group it comes once, after the last lesson. */
tfoot { display: table-row-group; }
td.number, th.number { text-align: right; }
tr.not-done td { color: #57606a; }
.note { color: #3d4450; font-size: 0.95em; }
.principles { margin: 0.3em 0 0; }
ul.plan { list-style: none; padding-left: 0; }
dl.glossary dt { font-weight: 700; margin-top: 0.4em; }
dl.glossary dd { margin: 0 0 0 1.2em; }
.prompt { margin: 0.2em 0; color: #3d4450; font-style: italic; }
.reflection-text { white-space: pre-wrap; margin: 0.3em 0 0; padding: 0.6em 0.8em;
  background: #f6f8fa; border-left: 4px solid #0b5cad; unicode-bidi: plaintext; }
.write-here { height: 7.5em; margin: 0.4em 0 0;
  background: repeating-linear-gradient(to bottom, transparent 0, transparent 1.45em,
    #c9d1d9 1.45em, #c9d1d9 1.5em); }
footer { margin-top: 2em; color: #57606a; font-size: 0.9em; }
tr, article, .self-declared { break-inside: avoid; }
h2, h3 { break-after: avoid; }
@media print { main { padding: 0; max-width: none; } }
"""

_TEMPLATE = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
).from_string(
    """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CPD record (self-declared): {{ course }}</title>
<meta name="description" content="A learner's own record of their CPD with {{ course }}">
<style>{{ style }}</style>
</head>
<body>
<main class="pwc-cpd-document">
<header>
<p class="course">{{ course }}</p>
<h1>Continuing professional development record</h1>
<p class="subtitle">{{ subtitle }}</p>
<dl class="details">
<dt>Name</dt><dd class="pwc-cpd-name" dir="auto">{{ name or "Not given" }}</dd>
<dt>Record made</dt><dd>{{ created }}</dd>
<dt>CPD time recorded</dt>
<dd class="pwc-cpd-total">{{ minutes }} minutes{% if minutes >= 60 %} ({{ duration }}){% endif %}, \
from {{ done|length }} of {{ rows|length }} lessons</dd>
</dl>
<section class="self-declared pwc-cpd-self-declared" aria-label="About this record">
<p><strong>Self-declared.</strong> This is the learner's own account of their CPD, made from \
what the course saved on their computer as they worked. Nobody has checked it, and it is not a \
certificate.</p>
<p>A course provider who marks the exercises can issue a signed certificate, which anyone can \
check.</p>
</section>
</header>

<section class="pwc-cpd-planned">
<h2>What I planned</h2>
<p>To work through {{ course }}, {{ subtitle|lower }}: {{ rows|length }} lessons (about \
{{ lessons_total }}) with practice posts and quizzes, and exercises to test what I learned, \
relating each topic to the {{ framework }}.</p>
<ul class="plan">
{% for row in rows %}
<li>{{ row.lesson.number }}. {{ row.lesson.title }} ({{ row.minutes }} minutes)</li>
{% endfor %}
</ul>
</section>

<section class="pwc-cpd-did">
<h2>What I did</h2>
<h3>Lessons</h3>
<table class="pwc-cpd-lessons">
<thead><tr><th scope="col">Lesson</th><th scope="col" class="number">CPD minutes</th>\
<th scope="col">Completed on</th><th scope="col">Quiz score at the first try</th></tr></thead>
<tbody>
{% for row in rows %}
{% if row.completion %}
<tr data-lesson="{{ row.lesson.id }}"><td>{{ row.lesson.number }}. {{ row.lesson.title }}</td>\
<td class="number">{{ row.minutes }}</td>\
<td>{{ long_date(row.completion.first_completed) }}\
{% if row.completion.last_completed.date() != row.completion.first_completed.date() %}\
 (most recently {{ long_date(row.completion.last_completed) }})\
{% endif %}</td>\
<td>{{ row.completion.first_score }} of {{ row.completion.posts }}</td></tr>
{% else %}
<tr class="not-done" data-lesson="{{ row.lesson.id }}"><td>{{ row.lesson.number }}. \
{{ row.lesson.title }}</td><td class="number">{{ row.minutes }}</td>\
<td>Not completed</td><td>–</td></tr>
{% endif %}
{% endfor %}
</tbody>
<tfoot><tr><th scope="row">Total completed</th><td class="number">{{ minutes }}</td>\
<td colspan="2">of the course's {{ course_minutes }} minutes</td></tr></tfoot>
</table>
<p class="note">A lesson counts as completed when its end-of-lesson quiz has been worked through \
to the score. The score counts the first answer given to each practice post. CPD minutes are \
the time the course expects a learner working alone to spend on the lesson.</p>
<h3>Exercises</h3>
{% if exercises %}
<table class="pwc-cpd-exercises">
<thead><tr><th scope="col">Exercise</th><th scope="col">First attempt</th>\
<th scope="col">Score at the first attempt</th><th scope="col" class="number">Attempts</th>\
</tr></thead>
<tbody>
{% for attempt in exercises %}
<tr data-exercise="{{ attempt.exercise }}"><td>{{ attempt.title }}</td>\
<td>{{ long_date(attempt.first_attempted) }}</td>\
<td>{{ points(attempt.first_score) }} of {{ points(attempt.max_score) }}\
{% if attempt.self_assessed %} (marked by the learner against the rubric){% endif %}</td>\
<td class="number">{{ attempt.attempts }}</td></tr>
{% endfor %}
</tbody>
</table>
<p class="note">Scores as the course worked them out on this computer when the learner first \
checked their answers{% if exercises | selectattr("self_assessed") | list %}, or, for written \
parts, the learner's own marks against the course's rubric{% endif %}; they are not marks from \
an assessor.</p>
{% else %}
<p>No exercise had been tried on this computer when this record was made.</p>
{% endif %}
</section>

<section class="pwc-cpd-learned">
<h2>What I learned</h2>
{% if done %}
<p>What each completed lesson set out to teach, and the principles of the {{ framework }} that \
it draws on: those at stake in at least a quarter of its practice posts, the most frequent \
first.</p>
{% for row in done %}
<article data-lesson="{{ row.lesson.id }}">
<h3>{{ row.lesson.number }}. {{ row.lesson.title }}</h3>
<ul>
{% for objective in row.lesson.objectives %}
<li>{{ objective }}</li>
{% endfor %}
</ul>
<p class="principles"><strong>Principles:</strong> \
{% for principle in principles[row.lesson.id] %}{{ principle.name }}\
{% if not loop.last %}, {% endif %}{% endfor %}.</p>
</article>
{% endfor %}
<h3>The principles, in the course's words</h3>
<dl class="glossary">
{% for principle in glossary %}
<dt>{{ principle.name }}</dt><dd>{{ principle.plain }}</dd>
{% endfor %}
</dl>
{% else %}
<p>No lesson had been completed when this record was made.</p>
{% endif %}
</section>

<section class="pwc-cpd-apply{% if include_reflections %} pwc-cpd-reflections{% endif %}">
<h2>How I will apply it</h2>
{% if include_reflections and reflections %}
<p>In the learner's own words: the reflections they wrote during the course and chose to \
include.</p>
{% for reflection in reflections %}
<article data-lesson="{{ reflection.lesson.id }}">
<h3>{{ reflection.lesson.number }}. {{ reflection.lesson.title }}\
{% if reflection.saved %} <span class="note">(written {{ long_date(reflection.saved) }})</span>\
{% endif %}</h3>
<p class="prompt">{{ reflection.lesson.reflection }}</p>
<p class="reflection-text">{{ reflection.text }}</p>
</article>
{% endfor %}
{% elif include_reflections %}
<p>No reflections had been saved when this record was made.</p>
<div class="write-here" aria-hidden="true"></div>
{% else %}
<p>The learner's reflections are private and are not included. Space to write, by hand, how \
you will apply what you learned in your practice:</p>
<div class="write-here" aria-hidden="true"></div>
{% endif %}
</section>

<footer>
<p>Made by the {{ course }} course on the learner's own computer; nothing was sent anywhere. \
Self-declared: it shows what the course saved on that computer, and has not been checked by \
anyone. Every post, name and handle in the course is invented.</p>
</footer>
</main>
</body>
</html>
"""
)
