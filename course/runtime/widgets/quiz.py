"""Quiz: a lesson's posts one at a time in random order, with progress, a score and a retry.

The score counts first answers. At the end a summary lists the posts missed (a short excerpt of
each, never its verdict), and "Try the missed ones again" starts a new round with just those,
reshuffled. ``on_finish(score, posts)`` is called when a full round (not a retry round) ends; a
message it returns is added to the summary (the lessons use it to record CPD progress).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from contextlib import ExitStack

import ipywidgets as widgets
from markupsafe import Markup

from course.catalogue.scenarios import PLATFORM_NAMES, Post
from course.runtime import activity
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import Classify, button
from course.runtime.widgets.styles import style_widget


class Quiz(widgets.VBox):
    """A round-based quiz over ``posts``; ``seed`` makes the order repeatable."""

    def __init__(
        self,
        posts: Sequence[Post],
        *,
        seed: int | None = None,
        title: str = "",
        on_finish: Callable[[int, int], str | None] | None = None,
        remember_as: str | None = None,
    ) -> None:
        if not posts:
            raise ValueError("a quiz needs at least one post")
        self.posts = list(posts)
        self.on_finish = on_finish
        self.rng = random.Random(seed)
        self.title = title
        self.round: list[Post] = []
        self.position = 0
        self.results: dict[str, bool] = {}
        self.item: Classify | None = None
        self.retrying = False
        self.remember_as = remember_as
        self.answers: dict[str, str] = {}
        self._restoring = False

        self.progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="Progress",
            tooltip="Posts answered in this round",
            style={"description_width": "initial"},
        ).add_class("pwc-progress")
        self.status = widgets.HTML("").add_class("pwc-quiz-status")
        self.slot = widgets.VBox([]).add_class("pwc-quiz-item")
        self.next = button("Next post", "pwc-next", "Go on to the next post")
        self.summary = widgets.HTML("").add_class("pwc-quiz-summary")
        self.retry = button(
            "Try the missed ones again", "pwc-retry", "A new round with only the posts you missed"
        )
        self.restart = button(
            "Start the quiz again", "pwc-restart", "A new round with every post", "secondary"
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
        if not self._restore():
            self.start(self.posts)

    # --- kept between visits (``remember_as``: the lesson id) ----------------------------------
    def _keep(self) -> None:
        if self.remember_as is None or self._restoring:
            return
        state = {
            "round": [post.id for post in self.round],
            "position": self.position,
            "results": self.results,
            "answers": self.answers,
            "retrying": self.retrying,
        }
        try:
            activity.save_quiz(self.remember_as, state)
        except OSError:
            pass  # the quiz goes on; only the memory of it is lost

    def _restore(self) -> bool:
        """Pick up a kept round where it was left; False when there is none to pick up."""
        if self.remember_as is None:
            return False
        state = activity.quiz_state(self.remember_as)
        by_id = {post.id: post for post in self.posts}
        ids = state.get("round")
        if not isinstance(ids, list) or not ids or any(i not in by_id for i in ids):
            return False
        position = state.get("position")
        if not isinstance(position, int) or not 0 <= position <= len(ids):
            return False
        self._restoring = True
        try:
            self.retrying = bool(state.get("retrying"))
            self.round = [by_id[i] for i in ids]
            self.position = position
            results = state.get("results") or {}
            self.results = {k: bool(v) for k, v in results.items() if k in by_id}
            answers = state.get("answers") or {}
            self.answers = {k: v for k, v in answers.items() if k in by_id}
            with self.progress.hold_sync():
                self.progress.max = len(self.round)
                self.progress.value = len(self.results)
            if self.finished:
                self._finish()
            else:
                self._show_item()
                post = self.round[self.position]
                if self.item is not None and self.answers.get(post.id) in self.item.verdict.options:
                    self.item.verdict.value = self.answers[post.id]
                    self.item._check_verdict()
        finally:
            self._restoring = False
        return True

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
        self.answers = {}
        with self.progress.hold_sync():
            self.progress.value = 0
            self.progress.max = len(self.round)
        self.summary.value = ""
        for control in (self.retry, self.restart):
            control.layout.display = "none"
        self._show_item()
        self._keep()

    def _retry(self, _button: widgets.Button | None = None) -> None:
        missed = self.missed
        if missed:
            self.start(missed, retrying=True)

    # --- flow ------------------------------------------------------------------------------
    def _show_item(self) -> None:
        post = self.round[self.position]
        self.item = Classify(post, followup=False, on_checked=self._answered)
        last = self.position + 1 == len(self.round)
        # One message per widget, so the new post, the hidden button and the count arrive together.
        with ExitStack() as stack:
            for widget in (self.slot, self.next, self.next.layout, self.status):
                stack.enter_context(widget.hold_sync())
            self.slot.children = [self.item]
            self.next.layout.display = "none"
            self.next.description = "See my score" if last else "Next post"
            self._update_status()

    def _answered(self, right: bool) -> None:
        post = self.round[self.position]
        self.results.setdefault(post.id, right)
        if self.item is not None and self.item.verdict.value is not None:
            self.answers.setdefault(post.id, self.item.verdict.value)
        self.progress.value = len(self.results)
        self._keep()
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
        self._keep()

    def _update_status(self) -> None:
        shown = min(self.position + 1, len(self.round))
        label = "Retry round: post" if self.retrying else "Post"
        count = Markup("{} {} of {}").format(label, shown, len(self.round))
        if self.results:
            count += Markup(" &middot; <span class='pwc-score'>{} right so far</span>").format(
                self.score
            )
        self.status.value = str(Markup("<p class='pwc-quiz-count'>{}</p>").format(count))

    def _finish(self) -> None:
        self.slot.children = []
        self.item = None
        self.next.layout.display = "none"
        self.status.value = ""
        total = len(self.round)
        missed = self.missed
        if not missed:
            if total == 1:
                title = Markup("You judged the 1 post right at the first try. Well done.")
            else:
                title = Markup("You judged all {} posts right at the first try. Well done.")
                title = title.format(total)
            parts: list[Markup] = [
                Markup("You can start the quiz again, or go on to the key points below.")
            ]
        else:
            title = Markup("You judged {} of {} {} right at the first try.").format(
                self.score, total, "post" if total == 1 else "posts"
            )
            items = Markup("").join(
                Markup("<li>{}: “{}”</li>").format(PLATFORM_NAMES[post.platform], excerpt(post))
                for post in missed
            )
            look = "The one to look at again:" if len(missed) == 1 else "The ones to look at again:"
            these = "this one" if len(missed) == 1 else "just these"
            parts = [
                Markup(look),
                Markup("<ul class='pwc-missed'>{}</ul>").format(items),
                Markup("Choose “Try the missed ones again” for a new round with {}.").format(these),
            ]
            self.retry.layout.display = "flex"
        if self.on_finish is not None and not self.retrying and not self._restoring:
            note = self.on_finish(self.score, total)
            if note:
                parts.append(Markup("<span class='pwc-progress-note'>{}</span>").format(note))
        self.restart.layout.display = "flex"
        self.summary.value = feedback.box("summary", title, *parts)


def excerpt(post: Post, length: int = 60) -> str:
    """The start of a post's text, cut at a word and marked with '…' when shortened."""
    text = " ".join(post.text.split())
    if len(text) <= length:
        return text
    window = text[: length + 1]
    cut = window.rsplit(" ", 1)[0] if " " in window else text[:length]
    return cut.rstrip(" ,;:.–-") + "…"
