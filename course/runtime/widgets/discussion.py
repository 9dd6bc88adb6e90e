"""Discussion: the trainer's deck of a lesson's posts, one at a time, verdict shown on demand."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
from markupsafe import Markup

from course.catalogue.scenarios import Post
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import button
from course.runtime.widgets.post_card import post_card_html
from course.runtime.widgets.styles import style_widget


def verdict_html(post: Post) -> str:
    """The verdict, rule(s), principle(s) and explanation, for the trainer to reveal."""
    title = Markup("Verdict: <strong>{}</strong>").format(post.verdict)
    return feedback.box("better", title, *feedback.verdict_parts(post))


class Discussion(widgets.VBox):
    """A deck of posts for group discussion: Previous, Next, and Show the verdict."""

    def __init__(self, posts: Sequence[Post]) -> None:
        if not posts:
            raise ValueError("a discussion deck needs at least one post")
        self.posts = list(posts)
        self.position = 0
        self.counter = widgets.HTML("").add_class("pwc-discussion-count")
        self.card = widgets.HTML("").add_class("pwc-card")
        self.ask = widgets.HTML(
            feedback.box(
                "prompt",
                "Ask the group",
                "Acceptable or not acceptable? Which detail decides it?",
                "If it is not acceptable, which rule does it break, and which principle is at "
                "stake?",
                role=None,
            )
        ).add_class("pwc-discussion-prompt")
        self.verdict = widgets.HTML("").add_class("pwc-verdict-reveal")
        self.reveal = button("Show the verdict", "pwc-reveal", "Reveal the verdict to the group")
        self.previous = button("Previous scenario", "pwc-previous", "Go back one", "secondary")
        self.next = button("Next scenario", "pwc-next", "Go on to the next scenario", "secondary")
        self.reveal.on_click(self._reveal)
        self.previous.on_click(lambda _button: self.go(self.position - 1))
        self.next.on_click(lambda _button: self.go(self.position + 1))
        super().__init__(
            [
                style_widget(),
                self.counter,
                self.card,
                self.ask,
                self.reveal,
                self.verdict,
                widgets.HBox([self.previous, self.next]),
            ]
        )
        self.add_class("pwc-widget")
        self.add_class("pwc-discussion")
        self.go(0)

    def go(self, position: int) -> None:
        """Show the scenario at ``position`` (clamped to the deck), verdict hidden."""
        self.position = max(0, min(position, len(self.posts) - 1))
        post = self.posts[self.position]
        self.counter.value = str(
            Markup("<p><strong>Scenario {} of {}</strong> ({}, {})</p>").format(
                self.position + 1, len(self.posts), post.id, post.difficulty
            )
        )
        self.card.value = str(post_card_html(post))
        self.verdict.value = ""
        self.previous.disabled = self.position == 0
        self.next.disabled = self.position == len(self.posts) - 1

    def _reveal(self, _button: widgets.Button | None = None) -> None:
        self.verdict.value = verdict_html(self.posts[self.position])
