"""A session: a named, ordered choice of practice posts, response situations and headings for
the projector, as validated data.

Ready-made sessions live in ``course/content/sessions.yaml`` (one for each plan in the
facilitator's guide). The trainer's own are saved in the course's user folder
(:func:`course.runtime.private.home`, ``sessions/<id>.json``), never in the course's files.
A session that names a post or situation the course does not have is refused with a message
naming the session, the file and the item.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.catalogue import bank
from course.catalogue.scenarios import ContentError, _describe, _read_yaml
from course.runtime import private

SESSION_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
READY_MADE = "sessions.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One screen of a session: a practice post, a response situation, or a heading."""

    post: str | None = Field(default=None, pattern=r"^p\d{3}$")
    situation: str | None = Field(default=None, pattern=SESSION_ID)
    heading: str | None = Field(default=None, min_length=2, max_length=120)
    text: str = Field(default="", max_length=400, description="a line under a heading")

    @model_validator(mode="after")
    def _one_thing(self) -> Step:
        given = [k for k in ("post", "situation", "heading") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("each step is exactly one of 'post', 'situation' or 'heading'")
        if self.text and self.heading is None:
            raise ValueError("'text' goes only with a 'heading'")
        return self

    @property
    def ref(self) -> str:
        """``post:p001``, ``situation:friend-request`` or ``heading:Break``."""
        if self.post:
            return f"post:{self.post}"
        if self.situation:
            return f"situation:{self.situation}"
        return f"heading:{self.heading}"


class Session(_Strict):
    id: str = Field(pattern=SESSION_ID, max_length=60)
    title: str = Field(min_length=3, max_length=120)
    description: str = ""
    steps: list[Step] = Field(min_length=1)

    @property
    def items(self) -> list[Step]:
        """The steps that are posts or situations (not headings)."""
        return [s for s in self.steps if s.heading is None]


def slug(name: str) -> str:
    """A session id from a name the trainer typed: 'My Tuesday group!' -> 'my-tuesday-group'."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:60].strip("-")


def check(session: Session, where: str) -> Session:
    """Every post and situation a session names exists; else :class:`ContentError`."""
    posts, responses = bank.posts(), bank.responses()
    for number, step in enumerate(session.steps, start=1):
        if step.post and step.post not in posts:
            raise ContentError(
                f"{where}: session {session.id}: step {number}: there is no practice post "
                f"{step.post!r}")
        if step.situation and step.situation not in responses:
            raise ContentError(
                f"{where}: session {session.id}: step {number}: there is no response situation "
                f"{step.situation!r}")
    return session


def _validate(entry: object, where: str) -> Session:
    label = entry.get("id", "?") if isinstance(entry, dict) else "?"
    try:
        session = Session.model_validate(entry)
    except ValidationError as error:
        raise ContentError(f"{where}: session {label}: {_describe(error)}") from error
    return check(session, where)


def ready_made(content_dir: Path | None = None) -> dict[str, Session]:
    """The course's ready-made sessions, in file order."""
    path = (content_dir or bank.content_dir()) / READY_MADE
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
        raise ContentError(f"{path.name}: expected a top-level 'sessions:' list")
    found: dict[str, Session] = {}
    for entry in data["sessions"]:
        session = _validate(entry, path.name)
        if session.id in found:
            raise ContentError(f"{path.name}: session {session.id}: field 'id': used twice")
        found[session.id] = session
    return found


def own_folder() -> Path:
    """Where the trainer's own sessions are kept (it may not exist yet)."""
    return private.home() / "sessions"


def own() -> tuple[dict[str, Session], list[str]]:
    """The trainer's saved sessions, and a plain message for each file that could not be read
    (such a file is left as it is, never overwritten or deleted)."""
    sessions: dict[str, Session] = {}
    problems: list[str] = []
    for path in sorted(own_folder().glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            session = _validate(data, str(path))
        except (OSError, ValueError) as error:  # ContentError and JSON errors are ValueErrors
            problems.append(f"{path.name} could not be used: {error}")
            continue
        if path.stem != session.id:
            problems.append(f"{path.name} could not be used: it holds the session "
                            f"{session.id!r}; its file should be named {session.id}.json")
            continue
        sessions[session.id] = session
    return sessions, problems


def all_sessions() -> tuple[dict[str, Session], list[str]]:
    """Ready-made sessions, then the trainer's own (an own session never hides a ready-made
    one of the same id: it cannot be saved under that id)."""
    mine, problems = own()
    return {**ready_made(), **{k: v for k, v in mine.items() if k not in ready_made()}}, problems


def find(session_id: str) -> Session:
    """A session by id, ready-made or the trainer's own; else :class:`ContentError`."""
    sessions, _problems = all_sessions()
    try:
        return sessions[session_id]
    except KeyError:
        known = ", ".join(sessions) or "none"
        raise ContentError(
            f"There is no session called {session_id!r}. Sessions you can use: {known}."
        ) from None


def save(title: str, steps: list[Step], description: str = "") -> Path:
    """Save the trainer's own session under a name; returns the file. A name that would
    replace a ready-made session is refused."""
    session_id = slug(title)
    if not session_id:
        raise ContentError("Give the session a name with at least one letter or number.")
    if session_id in ready_made():
        raise ContentError(
            f"{title!r} is the name of a ready-made session; choose another name.")
    try:
        session = Session(id=session_id, title=title.strip(), description=description,
                          steps=steps)
    except ValidationError as error:
        raise ContentError(f"session {session_id}: {_describe(error)}") from error
    check(session, "your session")
    data = session.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["id"] = session.id
    data["title"] = session.title
    return private.write_json(own_folder() / f"{session.id}.json", data)


def delete(session_id: str) -> None:
    """Remove one of the trainer's own sessions (ready-made ones cannot be removed)."""
    if session_id in ready_made():
        raise ContentError(f"{session_id!r} is a ready-made session and cannot be deleted.")
    (own_folder() / f"{session_id}.json").unlink(missing_ok=True)
