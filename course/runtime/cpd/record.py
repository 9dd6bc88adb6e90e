"""The learner's CPD record: lessons finished, minutes, learning outcomes mapped to the BACP
principles, optional reflections and a verification code, as one printable HTML page.

The page is self-contained (its own styles, no scripts, no links out), so it opens and prints
the same in any browser, offline. Everything the learner typed is escaped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from course.catalogue import bank
from course.catalogue.lessons_meta import Lesson
from course.catalogue.scenarios import Principle
from course.runtime import private
from course.runtime.cpd import code
from course.runtime.exercise_marks import first_marks
from course.runtime.progress import Completion, load_progress
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


def long_date(when: datetime) -> str:
    """'3 March 2025' (English month names whatever the computer's language)."""
    months = (
        "January February March April May June July August September October November December"
    ).split()
    return f"{when.day} {months[when.month - 1]} {when.year}"


def duration(minutes: int) -> str:
    """'3 hours 25 minutes', '1 hour', '45 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def record_name(when: datetime) -> str:
    return f"cpd-record-{when:%Y-%m-%d}.html"


def render(
    *, name: str = "", include_reflections: bool = False, now: datetime | None = None
) -> str:
    """The record as a complete HTML page, with its verification code."""
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
        "exercises": first_marks(),
        "long_date": long_date,
        "style": Markup(_STYLE.strip()),
    }
    page = _TEMPLATE.render(**values, code="")
    return _TEMPLATE.render(**values, code=code.compute(page))


def create(
    *, name: str = "", include_reflections: bool = False, now: datetime | None = None
) -> Path:
    """Write the record into the learner's private folder (owner-only) and return its path."""
    now = now or datetime.now()
    page = render(name=name, include_reflections=include_reflections, now=now)
    return private.write_private(private.home() / record_name(now), page)


_STYLE = """
@page { size: A4; margin: 16mm 15mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1f2328;
  font: 11pt/1.5 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
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
table { width: 100%; border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35em 0.5em;
  border-bottom: 1px solid #c9d1d9; }
thead th { border-bottom: 2px solid #57606a; }
tfoot th, tfoot td { border-top: 2px solid #57606a; border-bottom: none; font-weight: 700; }
td.number, th.number { text-align: right; }
tr.not-done td { color: #57606a; }
.note { color: #3d4450; font-size: 0.95em; }
.principles { margin: 0.3em 0 0; }
dl.glossary dt { font-weight: 700; margin-top: 0.4em; }
dl.glossary dd { margin: 0 0 0 1.2em; }
.reflection-text { white-space: pre-wrap; margin: 0.3em 0 0; padding: 0.6em 0.8em;
  background: #f6f8fa; border-left: 4px solid #0b5cad; }
.verify { margin-top: 2em; padding: 0.8em 1em; border: 1px solid #0b5cad; border-radius: 6px; }
.verify h2 { margin-top: 0; }
#pwc-cpd-code { font-size: 1.15em; font-weight: 700; letter-spacing: 0.05em; }
footer { margin-top: 2em; color: #57606a; font-size: 0.9em; }
tr, article, .verify { break-inside: avoid; }
@media print { main { padding: 0; max-width: none; } h2 { break-after: avoid; } }
"""

_TEMPLATE = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
).from_string(
    """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CPD record: {{ course }}</title>
<style>{{ style }}</style>
</head>
<body>
<main class="pwc-cpd-document">
<header>
<p class="course">{{ course }}</p>
<h1>Continuing professional development record</h1>
<p class="subtitle">{{ subtitle }}</p>
<dl class="details">
<dt>Name</dt><dd class="pwc-cpd-name">{{ name or "Not given" }}</dd>
<dt>Record created</dt><dd>{{ created }}</dd>
<dt>CPD time completed</dt>
<dd class="pwc-cpd-total">{{ minutes }} minutes{% if minutes >= 60 %} ({{ duration }}){% endif %}, \
from {{ done|length }} of {{ rows|length }} lessons</dd>
</dl>
</header>

<section>
<h2>Lessons</h2>
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
</section>

{% if exercises %}
<section>
<h2>Exercises</h2>
<table class="pwc-cpd-exercises">
<thead><tr><th scope="col">Exercise</th><th scope="col">Marked on</th>\
<th scope="col">Score at the first marked attempt</th></tr></thead>
<tbody>
{% for mark in exercises %}
<tr data-exercise="{{ mark.exercise_id }}"><td>{{ mark.title }}</td>\
<td>{{ long_date(mark.when) }}</td><td>{{ "%g"|format(mark.score) }} of \
{{ "%g"|format(mark.max_score) }}{% if mark.manual_pending %} (written parts marked \
separately){% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
<p class="note">Marked by the learner with the course's own marker. Only the first marked \
attempt of each exercise is shown.</p>
</section>
{% endif %}

<section>
<h2>Learning outcomes</h2>
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
<p>No lesson had been completed when this record was created.</p>
{% endif %}
</section>

{% if include_reflections %}
<section class="pwc-cpd-reflections">
<h2>Reflections</h2>
{% if reflections %}
<p>The learner chose to include the reflections they wrote during the course.</p>
{% for reflection in reflections %}
<article data-lesson="{{ reflection.lesson.id }}">
<h3>{{ reflection.lesson.number }}. {{ reflection.lesson.title }}\
{% if reflection.saved %} <span class="note">(written {{ long_date(reflection.saved) }})</span>\
{% endif %}</h3>
<p class="reflection-text">{{ reflection.text }}</p>
</article>
{% endfor %}
{% else %}
<p>No reflections had been saved when this record was created.</p>
{% endif %}
</section>
{% endif %}

<section class="verify">
<h2>Verification</h2>
<p>Verification code: <code id="pwc-cpd-code">{{ code }}</code></p>
<p>This code is worked out from everything in this record. If anything in it is changed, the \
code no longer matches, so a supervisor can check that the record has not been edited since the \
course created it. To check, run \
<code>python -m course.runtime.cpd verify {{ file_name }}</code> in a copy of the course.</p>
</section>

<footer>
<p>Created by the {{ course }} course on the learner's own computer; nothing was sent anywhere. \
Every post, name and handle in the course is invented.</p>
</footer>
</main>
</body>
</html>
"""
)
