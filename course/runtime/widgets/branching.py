"""Branching: a situation online, a choice of responses, what each leads to, and the better path.

Learners may try every option; each check shows that option's consequence, then the better path.
Choosing another option clears the consequence shown for the last one.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from course.catalogue import bank
from course.catalogue.responses import Response
from course.catalogue.scenarios import PLATFORM_NAMES
from course.runtime import activity
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import WIDE_LABEL, auto, button
from course.runtime.widgets.styles import style_widget


def situation_html(response: Response) -> str:
    where = (
        Markup(" <span class='pwc-where'>({})</span>").format(PLATFORM_NAMES[response.platform])
        if response.platform
        else ""
    )
    return feedback.box(
        "situation",
        Markup("{}{}").format(response.title, where),
        response.situation.strip(),
        Markup("<strong>What would you do?</strong>"),
        role=None,
    )


def better_path_html(response: Response) -> str:
    parts: list[str | Markup] = [response.better_path.strip()]
    rules = bank.rules()
    parts += [feedback.rule_line(rules[rule_id]) for rule_id in response.rules]
    parts.append(feedback.principles_line(response.principles))
    return feedback.box("better", "The better path", *parts)


class Branching(widgets.VBox):
    """One response situation with its options."""

    def __init__(self, response: Response, *, remember: bool = False) -> None:
        self.response = response
        self.remember = remember
        self.situation = widgets.HTML(situation_html(response)).add_class("pwc-situation")
        self.choice = widgets.RadioButtons(
            options=[(option.text, index) for index, option in enumerate(response.options)],
            value=None,
            description="Your response",
            tooltip="Choose how you would respond",
            style=WIDE_LABEL,
            layout=auto(),
        ).add_class("pwc-response-choice")
        self.see = button("See what happens", "pwc-see", "See the consequence of this response")
        self.consequence = feedback.feedback_area("pwc-consequence")
        self.better = widgets.HTML("").add_class("pwc-better-path")
        self.see.on_click(self._see)
        self.choice.observe(lambda _change: feedback.clear(self.consequence), names="value")
        super().__init__(
            [style_widget(), self.situation, self.choice, self.see, self.consequence, self.better]
        )
        self.add_class("pwc-widget")
        self.add_class("pwc-branching")
        if remember:
            chosen = activity.response_choice(response.lesson, response.id)
            if chosen is not None and 0 <= chosen < len(response.options):
                self.choice.value = chosen
                self._see()

    def _see(self, _button: widgets.Button | None = None) -> None:
        if self.choice.value is None:
            feedback.show(
                self.consequence,
                "prompt",
                feedback.box("prompt", "Choose a response first, then see what happens."),
            )
            return
        option = self.response.options[self.choice.value]
        if self.remember:
            try:
                activity.save_response(self.response.lesson, self.response.id, self.choice.value)
            except OSError:
                pass  # the consequence still shows; only the memory of it is lost
        if option.best:
            kind, title = "correct", "This is the better path."
        else:
            kind, title = "incorrect", "Here is what could happen."
        feedback.show(
            self.consequence,
            kind,
            feedback.box(kind, title, option.consequence.strip(), *self._try_another(option.best)),
        )
        self.better.value = better_path_html(self.response)

    @staticmethod
    def _try_another(best: bool) -> list[str]:
        if best:
            return []
        return ["You can choose another response and see where it leads."]
