"""One vote at a time on one post: open, cast (changeable), close, reveal.

No name is ever kept: a voter is remembered only as a keyed hash of their hub name (the key is
random and lives only in this process), so the tally can enforce one vote per person and let a
person change their mind, while nothing stored or shown can say who chose what.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from course.catalogue import bank
from course.catalogue.scenarios import PLATFORM_NAMES, VERDICTS, Post


class Phase(StrEnum):
    IDLE = "idle"        # nothing to vote on
    OPEN = "open"        # votes are taken and may be changed
    CLOSED = "closed"    # no more votes; the count stands
    REVEALED = "revealed"  # the split and the verdict are shown


class VoteError(ValueError):
    """A request the vote cannot take; the message is for the person who made it."""


@dataclass
class Ballot:
    """The state of the room's vote. Thread-safe; one instance per service process."""

    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    phase: Phase = Phase.IDLE
    post: Post | None = None
    round: int = 0
    _votes: dict[str, str] = field(default_factory=dict)

    def _voter(self, name: str) -> str:
        return hmac.new(self._key, name.encode("utf-8"), hashlib.sha256).hexdigest()

    def open(self, post_id: str) -> None:
        try:
            post = bank.post(post_id)
        except (KeyError, ValueError):
            raise VoteError(f"There is no post {post_id!r} in the course's bank.") from None
        with self._lock:
            self.post, self.phase = post, Phase.OPEN
            self._votes = {}
            self.round += 1

    def cast(self, name: str, choice: str) -> None:
        choice = choice.strip().casefold()
        if choice not in VERDICTS:
            raise VoteError(f"Choose one of: {', '.join(VERDICTS)}.")
        with self._lock:
            if self.phase is not Phase.OPEN:
                raise VoteError("Voting is not open just now.")
            self._votes[self._voter(name)] = choice

    def close(self) -> None:
        with self._lock:
            if self.phase is Phase.OPEN:
                self.phase = Phase.CLOSED

    def reveal(self) -> None:
        with self._lock:
            if self.phase is Phase.IDLE:
                raise VoteError("There is no vote to reveal.")
            self.phase = Phase.REVEALED

    def end(self) -> None:
        with self._lock:
            self.phase, self.post, self._votes = Phase.IDLE, None, {}

    # ---- views: what each kind of person may see ----------------------------------------

    def _post_view(self) -> dict | None:
        if self.post is None:
            return None
        post = self.post
        return {
            "id": post.id,
            "platform": PLATFORM_NAMES.get(post.platform, post.platform),
            "account": post.account,
            "poster": post.poster,
            "display_name": post.display_name,
            "handle": post.handle,
            "text": post.text,
            "context": post.context,
        }

    def _split(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for choice in self._votes.values():
            counts[choice] += 1
        return counts

    def view(self, name: str, *, trainer: bool) -> dict:
        """What ``name`` sees: the post and choices; the count (trainer); after Reveal, the
        split and the verdict. Never anyone's identity, and the verdict only after Reveal."""
        with self._lock:
            state: dict = {
                "phase": self.phase.value,
                "round": self.round,
                "choices": list(VERDICTS),
                "post": self._post_view(),
            }
            if trainer:
                state["votes"] = len(self._votes)
            else:
                state["my_vote"] = self._votes.get(self._voter(name))
            if self.phase is Phase.REVEALED and self.post is not None:
                state["votes"] = len(self._votes)
                state["split"] = self._split()
                state["verdict"] = self.post.verdict
                state["explanation"] = self.post.explanation
            return state
