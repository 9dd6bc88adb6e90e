"""Printable materials: the facilitator's guide and the activities' handouts, as PDFs.

Each document is HTML made from the course's data (lessons, posts, situations, handouts) with
one print style sheet, then typeset by WeasyPrint: A4, page numbers, running titles, and the
posts, verdicts and prompts themselves (never code). WeasyPrint needs Pango and fonts from the
system (``scripts/system-deps.sh`` installs them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import mistune
from markupsafe import Markup

from course.catalogue import bank
from course.catalogue.scenarios import ACCOUNT_LABELS, PLATFORM_NAMES, ContentError
from course.workshop import handouts as handouts_mod
from course.workshop import sessions
from course.workshop.deck import environment
from course.workshop.slides import principle_names, rule_name

LESSONS_MARK = "<!-- lessons -->"
GUIDE_FILE = "facilitator-guide.pdf"
HANDOUT_FILES = {
    "jigsaw": "jigsaw-cards.pdf",
    "role_play": "role-play-brief.pdf",
    "policy": "sample-social-media-policy.pdf",
    "carousel": "carousel-station-cards.pdf",
}
_markdown = mistune.create_markdown(escape=True, plugins=["table"])


def markdown(text: str) -> Markup:
    """Course Markdown as HTML (any HTML in the text is escaped, not passed through)."""
    return Markup(_markdown(text))


def _fill(text: str) -> str:
    lessons = list(bank.lessons().values())
    framework = bank.framework()
    outline = ["| Lesson | Minutes |", "|---|---|"]
    outline += [f"| {lesson.number}. {lesson.title} | {lesson.minutes} |" for lesson in lessons]
    outline.append(f"| **Total** | **{sum(lesson.minutes for lesson in lessons)}** |")
    values: dict[str, Callable[[], str]] = {
        "course_minutes": lambda: str(sum(lesson.minutes for lesson in lessons)),
        "course_outline": lambda: "\n".join(outline),
        "rules": lambda: "\n".join(f"{r.number}. **{r.title}.** {r.plain}"
                                   for r in framework.rules),
        "principles": lambda: "\n".join(f"- **{p.name}:** {p.plain}"
                                        for p in framework.principles),
    }

    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise ContentError(f"facilitator.md: unknown placeholder {match.group(0)}")
        return values[match.group(1)]()

    text = re.sub(r"\{\{(\w+)\}\}", replace, text)
    text = re.sub(r"<!-- notebook only -->.*?<!-- end notebook only -->", "", text, flags=re.DOTALL)
    return re.sub(r"^<!-- cell: .* -->[ \t]*$", "", text, flags=re.MULTILINE)


def _post(post) -> dict:
    framework = bank.framework()
    return {
        "platform": PLATFORM_NAMES[post.platform],
        "account": ACCOUNT_LABELS[post.account],
        "name": post.display_name,
        "handle": post.handle,
        "poster": post.poster,
        "text": post.text.strip(),
        "context": post.context,
        "verdict": post.verdict,
        "difficulty": post.difficulty,
        "rules": [rule_name(framework, r) for r in post.rules],
        "principles": principle_names(framework, post.principles),
        "explanation": post.explanation.strip(),
    }


def _situation(response) -> dict:
    framework = bank.framework()
    return {
        "title": response.title,
        "platform": PLATFORM_NAMES.get(response.platform or "", ""),
        "text": response.situation.strip(),
        "options": [(chr(ord("a") + i), o) for i, o in enumerate(response.options)],
        "better_path": response.better_path.strip(),
        "rules": [rule_name(framework, r) for r in response.rules],
        "principles": principle_names(framework, response.principles),
    }


def guide_html() -> str:
    """The facilitator's guide as one HTML document, ready for printing."""
    path = bank.content_dir() / "facilitator.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(f"facilitator.md: cannot be read ({error.strerror})") from error
    if text.count(LESSONS_MARK) != 1:
        raise ContentError(f"facilitator.md: needs the line {LESSONS_MARK} exactly once")
    before, after = _fill(text).split(LESSONS_MARK)
    before = re.sub(r"\A# .*\n", "", before.lstrip())  # the title page says it
    handouts = handouts_mod.load().by_lesson()
    lessons = []
    for lesson in bank.lessons().values():
        lessons.append({
            "lesson": lesson,
            "posts": [_post(p) for p in bank.lesson_posts(lesson.id)],
            "situations": [_situation(r) for r in bank.responses().values()
                           if r.lesson == lesson.id],
            "handouts": [(HANDOUT_FILES[key], h.title) for key, h in handouts.get(lesson.id, [])],
        })
    ready = [{"title": s.title, "description": s.description, "id": s.id,
              "count": len(s.items)} for s in sessions.ready_made().values()]
    return environment().get_template("guide.html.j2").render(
        intro=markdown(before), closing=markdown(after), lessons=lessons, sessions=ready,
        handouts=[(HANDOUT_FILES[k], getattr(handouts_mod.load(), k).title)
                  for k in HANDOUT_FILES],
        css=Markup(print_css()))


def handout_html(key: str) -> str:
    """One handout (``jigsaw``, ``role_play``, ``policy`` or ``carousel``) as HTML."""
    data = handouts_mod.load()
    handout = getattr(data, key)
    lesson = bank.lesson(handout.lesson)
    return environment().get_template("handout.html.j2").render(
        kind=key, handout=handout, lesson=lesson, platforms=PLATFORM_NAMES,
        css=Markup(print_css()))


def print_css() -> str:
    return (Path(__file__).parent / "templates" / "print.css").read_text(encoding="utf-8")


def pdf(html: str, target: Path) -> Path:
    """Typeset ``html`` as a tagged PDF at ``target``."""
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf(
        target, pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    return target


def write_all(out: Path, keep_html: bool = False) -> list[Path]:
    """The guide and every handout as PDFs in ``out``; returns the files written."""
    documents = {GUIDE_FILE: guide_html()}
    documents.update({name: handout_html(key) for key, name in HANDOUT_FILES.items()})
    written = []
    for name, html in documents.items():
        if keep_html:
            html_path = out / name.replace(".pdf", ".html")
            html_path.parent.mkdir(parents=True, exist_ok=True)
            html_path.write_text(html, encoding="utf-8")
        written.append(pdf(html, out / name))
    return written
