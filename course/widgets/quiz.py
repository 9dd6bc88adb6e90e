"""Quiz: a lesson's posts one at a time in random order, with progress, a score and a retry.

The score counts first answers. At the end a summary lists the posts missed, and "Try the missed
ones again" starts a new round with just those, reshuffled.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import ipywidgets as widgets
from markupsafe import Markup

from course.scenarios import PLATFORM_NAMES, Post
from course.widgets import feedback
from course.widgets.classify import Classify, button
from course.widgets.styles import style_widget


class Quiz(widgets.VBox):
    """A round-based quiz over ``posts``; ``seed`` makes the order repeatable."""

    def __init__(self, posts: Sequence[Post], *, seed: int | None = None, title: str = "") -> None:
        if not posts:
            raise ValueError("a quiz needs at least one post")
        self.posts = list(posts)
        self.rng = random.Random(seed)
        self.title = title
        self.round: list[Post] = []
        self.position = 0
        self.results: dict[str, bool] = {}
        self.item: Classify | None = None
        self.retrying = False

        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="Progress", tooltip="Posts answered in this round"
        ).add_class("pwc-progress")
        self.status = widgets.HTML("").add_class("pwc-quiz-status")
        self.slot = widgets.VBox([]).add_class("pwc-quiz-item")
        self.next = button("Next post", "pwc-next", "Go on to the next post")
        self.summary = widgets.HTML("").add_class("pwc-quiz-summary")
        self.retry = button(
            "Try the missed ones again", "pwc-retry", "A new round with only the posts you missed"
        )
        self.restart = button(
            "Start the quiz again", "pwc-restart", "A new round with every post", "info"
        )
        self.next.on_click(self._next)
        self.retry.on_click(self._retry)
        self.restart.on_click(lambda _button: self.start(self.posts))
        super().__init__(
            [
                style_widget(),
                self.status,
                self.progress,
                self.slot,
                self.next,
                self.summary,
                widgets.HBox([self.retry, self.restart]),
            ]
        )
        self.add_class("pwc-widget")
        self.add_class("pwc-quiz")
        self.start(self.posts)

    # --- state -----------------------------------------------------------------------------
    @property
    def score(self) -> int:
        """First answers right in the current round."""
        return sum(self.results.values())

    @property
    def missed(self) -> list[Post]:
        """Posts of the current round answered wrongly at the first try."""
        return [post for post in self.round if self.results.get(post.id) is False]

    @property
    def finished(self) -> bool:
        return self.position >= len(self.round)

    def start(self, posts: Sequence[Post], *, retrying: bool = False) -> None:
        """Begin a round with ``posts`` in a fresh random order."""
        self.retrying = retrying
        self.round = list(posts)
        self.rng.shuffle(self.round)
        self.position = 0
        self.results = {}
        self.progress.max = len(self.round)
        self.summary.value = ""
        for control in (self.retry, self.restart):
            control.layout.display = "none"
        self._show_item()

    def _retry(self, _button: widgets.Button | None = None) -> None:
        missed = self.missed
        if missed:
            self.start(missed, retrying=True)

    # --- flow ------------------------------------------------------------------------------
    def _show_item(self) -> None:
        post = self.round[self.position]
        self.item = Classify(post, followup=False, lock=True, on_checked=self._answered)
        self.slot.children = [self.item]
        self.next.layout.display = "none"
        last = self.position + 1 == len(self.round)
        self.next.description = "See my score" if last else "Next post"
        self._update_status()

    def _answered(self, right: bool) -> None:
        post = self.round[self.position]
        self.results.setdefault(post.id, right)
        self.progress.value = len(self.results)
        self.next.layout.display = "flex"
        self._update_status()

    def _next(self, _button: widgets.Button | None = None) -> None:
        if self.item is None or self.round[self.position].id not in self.results:
            return
        self.position += 1
        if self.finished:
            self._finish()
        else:
            self._show_item()

    def _update_status(self) -> None:
        shown = min(self.position + 1, len(self.round))
        label = "Retry round: post" if self.retrying else "Post"
        self.status.value = str(
            Markup(
                "<p class='pwc-quiz-count'>{} {} of {} &middot; <span class='pwc-score'>"
                "{} right so far</span></p>"
            ).format(label, shown, len(self.round), self.score)
        )

    def _finish(self) -> None:
        self.slot.children = []
        self.item = None
        self.next.layout.display = "none"
        self.status.value = ""
        total = len(self.round)
        missed = self.missed
        if not missed:
            title = Markup("You judged all {} posts right at the first try. Well done.")
            title = title.format(total)
            parts: list[Markup] = [
                Markup("You can start the quiz again, or go on to the key points below.")
            ]
        else:
            title = Markup("You judged {} of {} posts right at the first try.").format(
                self.score, total
            )
            items = Markup("").join(
                Markup("<li>{} post by {}: <strong>{}</strong></li>").format(
                    PLATFORM_NAMES[post.platform], post.display_name, post.verdict
                )
                for post in missed
            )
            parts = [
                Markup("The ones to look at again:"),
                Markup("<ul class='pwc-missed'>{}</ul>").format(items),
                Markup("Choose “Try the missed ones again” for a new round with just these."),
            ]
            self.retry.layout.display = "flex"
        self.restart.layout.display = "flex"
        self.summary.value = feedback.box("summary", title, *parts)
