"""The presentation view: slides rendered into one self-contained HTML file.

The file needs no server and no network (its style sheet and script are inside it), so it works
on a projector laptop offline, opened straight from disk. One item per screen, readable at
1280×720 with no zoom; Right, PageDown, Space (and a presenter clicker, which sends PageDown and
PageUp) move on, Left and PageUp move back; R, Enter or Down reveal the answer (Up hides it);
F is full screen; B or . blanks the screen. The position (and which answers were revealed) is
kept in the address (``#3``) and in the browser's local storage, so a reload comes back to the
same item.

On the room's hub (``vote``: the vote service's path, from :mod:`course.app.settings`), the
trainer's deck also runs the room's live vote on practice posts: V (or *Open a vote*) opens a
vote on the current post, the panel shows how many have voted, Reveal also reveals the room's
split next to the verdict (and closes the vote), and moving to another screen ends it. Without
``vote`` (a file, a download, the debrief deck) the page holds no vote code and never uses the
network.

Used for the trainer's sessions (:mod:`course.workshop.sessions`) and for the cohort's debrief
deck (``grader.cohort.debrief``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from course.catalogue import bank
from course.workshop.sessions import Session
from course.workshop.slides import Slide, heading_slide, post_slide, situation_slide

REVEAL_HELP = "R, Enter or ↓ reveals the answer"
#: The room vote's client, shared with the learner app's page template (one copy of it).
VOTE_CLIENT = (Path(__file__).resolve().parents[1] / "app" / "share" / "voila" / "templates"
               / "posting-with-care" / "vote-client.js")


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("course.workshop", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def deck_key(title: str, slides: Sequence[Slide]) -> str:
    """A short key for this deck's saved position, the same for the same slides."""
    digest = hashlib.sha256(title.encode())
    for slide in slides:
        digest.update(str(slide.body).encode())
    return digest.hexdigest()[:16]


def render(title: str, slides: Sequence[Slide], *, vote: str = "") -> str:
    """The deck as one HTML page; ``title`` is the page's title (in the browser's tab only).
    ``vote``: the room vote's path on the hub, only for a deck presented on the room's hub."""
    if not slides:
        raise ValueError("a presentation needs at least one slide")
    return environment().get_template("deck.html.j2").render(
        title=title,
        slides=list(slides),
        key=deck_key(title, slides),
        vote=vote,
        vote_client=Markup(VOTE_CLIENT.read_text(encoding="utf-8")) if vote else "",
    )


def session_slides(session: Session) -> list[Slide]:
    """The slides of a session, in its order."""
    framework = bank.framework()
    slides: list[Slide] = []
    for step in session.steps:
        if step.post:
            slides.append(post_slide(bank.post(step.post), framework))
        elif step.situation:
            slides.append(situation_slide(bank.response(step.situation), framework))
        else:
            slides.append(heading_slide(step.heading or "", step.text))
    return slides


def session_deck(session: Session, *, vote: str = "") -> str:
    """A session as a presentation page (with the room's vote when ``vote`` is given)."""
    return render(session.title, session_slides(session), vote=vote)
