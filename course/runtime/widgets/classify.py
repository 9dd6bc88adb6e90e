"""Classify: a post card, a verdict to choose, and kind feedback that names the rule.

The first checked verdict is the learner's answer: the choice locks, so the feedback can never
praise an answer it has just given away. For a post that is not acceptable, the verdict check
only says right or not and asks which rule the post breaks; the rule, the principles and the
explanation follow the rule check (which locks too).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from course.catalogue import bank
from course.catalogue.scenarios import VERDICTS, Post
from course.runtime import activity
from course.runtime.widgets import feedback
from course.runtime.widgets.post_card import PostCard
from course.runtime.widgets.styles import style_widget


def auto() -> widgets.Layout:
    """A fresh layout sized to its content (each widget needs its own: layouts are shared state)."""
    return widgets.Layout(width="auto")


WIDE_LABEL = {"description_width": "initial"}


def verdict_choice() -> widgets.RadioButtons:
    choice = widgets.RadioButtons(
        options=list(VERDICTS),
        value=None,
        description="Your verdict",
        tooltip="Is this post acceptable or not acceptable?",
        style=WIDE_LABEL,
        layout=auto(),
    )
    return choice.add_class("pwc-verdict")


def rule_choice() -> widgets.RadioButtons:
    options = [(feedback.rule_name(rule), rule.id) for rule in bank.framework().rules]
    choice = widgets.RadioButtons(
        options=options,
        value=None,
        description="Which rule does it break?",
        style=WIDE_LABEL,
        layout=auto(),
    )
    return choice.add_class("pwc-rule-choice")


BUTTON_CLASSES = {"primary": "pwc-primary", "secondary": "pwc-secondary"}


def button(label: str, css_class: str, tooltip: str, kind: str = "primary") -> widgets.Button:
    """A button in the course's own colours (``pwc-primary`` or ``pwc-secondary``)."""
    made = widgets.Button(
        description=label,
        tooltip=tooltip,
        layout=widgets.Layout(width="auto", align_self="flex-start"),
    )
    return made.add_class(BUTTON_CLASSES[kind]).add_class(css_class)


class Classify(widgets.VBox):
    """One practice post to judge.

    ``followup`` adds the "which rule?" question for not-acceptable posts; ``on_checked(right)``
    is called once, when a chosen verdict is first checked (the quiz counts it). With
    ``remember``, checked answers are kept (:mod:`course.runtime.activity`) and shown again,
    with their feedback, when the post is shown again; *Try again* forgets them.
    """

    def __init__(
        self,
        post: Post,
        *,
        followup: bool = True,
        on_checked: Callable[[bool], None] | None = None,
        remember: bool = False,
    ) -> None:
        self.post = post
        self.remember = remember
        self._restoring = False
        self.on_checked = on_checked
        self.card = PostCard(post)
        self.verdict = verdict_choice()
        self.check = button(
            "Check my answer", "pwc-check", "Check your verdict and read the feedback"
        )
        self.feedback = feedback.feedback_area("pwc-verdict-feedback")
        self.rule = rule_choice()
        self.check_rule = button(
            "Check the rule", "pwc-check-rule", "Check which rule you chose", "secondary"
        )
        self.rule_feedback = feedback.feedback_area("pwc-rule-feedback")
        self.followup = widgets.VBox(
            [self.rule, self.check_rule, self.rule_feedback],
            layout=widgets.Layout(display="none"),
        ).add_class("pwc-followup")
        self.has_followup = followup and post.verdict == "not acceptable"
        self.try_again = button(
            "Try again", "pwc-try-again", "Clear your answer to this post and judge it again",
            "secondary",
        )
        self.try_again.layout.display = "none"
        self.try_again.on_click(self._try_again)
        self.check.on_click(self._check_verdict)
        self.check_rule.on_click(self._check_rule)
        # A prompt ("choose … first") is stale once a choice is made.
        self.verdict.observe(lambda _change: self._changed(self.feedback), names="value")
        self.rule.observe(lambda _change: self._changed(self.rule_feedback), names="value")
        super().__init__(
            [
                style_widget(), self.card, self.verdict, self.check, self.feedback,
                self.followup, self.try_again,
            ]
        )
        self.add_class("pwc-widget")
        self.add_class("pwc-classify")
        if remember:
            self._restore()

    # --- kept answers ------------------------------------------------------------------------
    def _restore(self) -> None:
        saved = activity.post_answer(self.post.lesson, self.post.id)
        if saved.get("verdict") not in VERDICTS:
            return
        self._restoring = True
        try:
            self.verdict.value = saved["verdict"]
            self._check_verdict()
            rules = {rule.id for rule in bank.framework().rules}
            if self.has_followup and saved.get("rule") in rules:
                self.rule.value = saved["rule"]
                self._check_rule()
        finally:
            self._restoring = False

    def _keep(self) -> None:
        if not self.remember or self._restoring:
            return
        answer = {"verdict": self.verdict.value}
        if self.rule.disabled and self.rule.value is not None:
            answer["rule"] = self.rule.value
        try:
            activity.save_post(self.post.lesson, self.post.id, answer)
        except OSError:
            pass  # the feedback still shows; only the memory of it is lost

    def _try_again(self, _button: widgets.Button | None = None) -> None:
        with self.hold_sync():
            for control in (self.verdict, self.check, self.rule, self.check_rule):
                control.disabled = False
            self.verdict.value = None
            self.rule.value = None
            feedback.clear(self.feedback)
            feedback.clear(self.rule_feedback)
            self.followup.layout.display = "none"
            self.try_again.layout.display = "none"
        try:
            activity.save_post(self.post.lesson, self.post.id, None)
        except OSError:
            pass

    @staticmethod
    def _changed(area: widgets.HTML) -> None:
        if "pwc-prompt" in area._dom_classes:
            feedback.clear(area)

    def _check_verdict(self, _button: widgets.Button | None = None) -> None:
        if self.verdict.disabled:
            return
        kind, html = feedback.verdict_feedback(
            self.post, self.verdict.value, ask_rule=self.has_followup
        )
        feedback.show(self.feedback, kind, html)
        if kind == "prompt":
            return
        self.verdict.disabled = True
        self.check.disabled = True
        if self.has_followup:
            self.followup.layout.display = "flex"
        if self.remember:
            self.try_again.layout.display = "flex"
        self._keep()
        if self.on_checked is not None:
            self.on_checked(kind == "correct")

    def _check_rule(self, _button: widgets.Button | None = None) -> None:
        if self.rule.disabled:
            return
        kind, html = feedback.rule_feedback(self.post, self.rule.value)
        feedback.show(self.rule_feedback, kind, html)
        if kind != "prompt":
            self.rule.disabled = True
            self.check_rule.disabled = True
            self._keep()
