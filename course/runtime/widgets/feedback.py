"""Feedback copy shared by the widgets: boxes, rule and principle lines, verdict feedback.

The wording here is learner-facing product copy: plain, kind, specific, naming the rule.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets
from markupsafe import Markup, escape

from course.catalogue import bank
from course.catalogue.scenarios import Post, Rule

ICONS = {"correct": "✓", "incorrect": "✗"}


def box(kind: str, title: str | Markup, *parts: str | Markup, role: str | None = "status") -> str:
    """A box (``pwc-box pwc-box-KIND``) with a bold first line and paragraphs; plain ``str``
    arguments are escaped, :class:`Markup` ones are trusted."""
    icon = ICONS.get(kind)
    mark = Markup("<span aria-hidden='true'>{} </span>").format(icon) if icon else ""
    body = Markup("").join(Markup("<div class='pwc-para'>{}</div>").format(p) for p in parts)
    return str(
        Markup(
            "<div class='pwc-box pwc-box-{kind}'{role}>"
            "<p class='pwc-box-title'>{mark}{title}</p>{body}</div>"
        ).format(
            kind=kind,
            role=Markup(f" role='{role}'") if role else "",
            mark=mark,
            title=title,
            body=body,
        )
    )


def rule_name(rule: Rule) -> str:
    """'Rule 1: Never share anything about a client online' (the policy point is number 6);
    the wording is the framework's own (:attr:`Rule.name`)."""
    return rule.name


def rule_line(rule: Rule) -> Markup:
    return Markup("<strong>{}.</strong> {}").format(rule_name(rule), rule.plain)


def principles_line(principle_ids: Iterable[str], at_stake: bool = True) -> Markup:
    """'Principle(s) at stake: …' or, for an acceptable post, 'Principle(s) it reflects: …'."""
    known = bank.principles()
    items = [known[i] for i in principle_ids]
    noun = "Principles" if len(items) > 1 else "Principle"
    heading = f"{noun} at stake" if at_stake else f"{noun} it reflects"
    if len(items) == 1:
        return Markup("<strong>{}:</strong> <em>{}</em> – {}").format(
            heading, items[0].name, items[0].plain
        )
    named = Markup("").join(
        Markup("<li><em>{}</em> – {}</li>").format(p.name, p.plain) for p in items
    )
    return Markup("<strong>{}:</strong><ul class='pwc-principles'>{}</ul>").format(heading, named)


def explanation_line(post: Post) -> Markup:
    return Markup("<strong>Why:</strong> {}").format(post.explanation.strip())


def verdict_parts(post: Post) -> list[Markup]:
    """The rule(s), principle(s) and explanation behind a post's verdict."""
    rules = bank.rules()
    parts: list[Markup] = []
    if post.verdict == "not acceptable":
        parts += [rule_line(rules[rule_id]) for rule_id in post.rules]
        parts.append(principles_line(post.principles))
    else:
        parts.append(Markup("<strong>No rule is broken here.</strong>"))
        parts += [
            Markup("It keeps to <strong>{}</strong>.").format(rule_name(rules[rule_id]))
            for rule_id in post.rules
        ]
        parts.append(principles_line(post.principles, at_stake=False))
    parts.append(explanation_line(post))
    return parts


ASK_RULE = Markup(
    "<strong>Which rule does it break?</strong> Choose one below, then press "
    "<strong>Check the rule</strong>."
)


def verdict_feedback(post: Post, chosen: str | None, ask_rule: bool = False) -> tuple[str, str]:
    """(kind, html) for a verdict; kind is ``correct``, ``incorrect`` or ``prompt``.

    With ``ask_rule`` (a not-acceptable post with the follow-up), the box only says whether the
    verdict was right and asks for the rule: the reasons wait for :func:`rule_feedback`.
    Otherwise it gives everything at once.
    """
    if chosen is None:
        return "prompt", box(
            "prompt", "Choose acceptable or not acceptable first, then check your answer."
        )
    right = chosen == post.verdict
    kind = "correct" if right else "incorrect"
    if right:
        title = Markup("Well judged: this post is <strong>{}</strong>.").format(post.verdict)
    else:
        title = Markup("Not quite: this post is <strong>{}</strong>.").format(post.verdict)
    if ask_rule:
        if right:
            return kind, box(kind, title, ASK_RULE)
        lead = Markup("It is an easy one to miss, and a useful one to learn from.")
        return kind, box(kind, title, lead, ASK_RULE)
    if not right:
        title = Markup("{} It is a useful one to learn from.").format(title)
    return kind, box(kind, title, *verdict_parts(post))


def rule_feedback(post: Post, chosen: str | None) -> tuple[str, str]:
    """(kind, html) for the "which rule does it break?" follow-up: right or not, then the
    rule(s) it breaks, the principle(s) at stake and why, each said once."""
    if chosen is None:
        return "prompt", box("prompt", "Choose a rule first, then check it.")
    rules = bank.rules()
    broken = [rules[rule_id] for rule_id in post.rules]
    if chosen in post.rules:
        kind = "correct"
        title = Markup("Yes: this post breaks <strong>{}</strong>.").format(
            rule_name(rules[chosen])
        )
        parts: list[Markup] = [escape(rules[chosen].plain)]
        others = [rule for rule in broken if rule.id != chosen]
        if others:
            noun = "another rule" if len(others) == 1 else "other rules"
            parts.append(Markup("It also goes against {}:").format(noun))
            parts += [rule_line(rule) for rule in others]
    else:
        kind = "incorrect"
        title = Markup("Not this one. Rule {}, “{}”, is about something else.").format(
            rules[chosen].number, rules[chosen].short
        )
        heading = "The rule it breaks:" if len(broken) == 1 else "The rules it breaks:"
        parts = [Markup("<strong>{}</strong>").format(heading), *(rule_line(r) for r in broken)]
    parts += [principles_line(post.principles), explanation_line(post)]
    return kind, box(kind, title, *parts)


STATE_CLASSES = {"correct": "pwc-correct", "incorrect": "pwc-incorrect", "prompt": "pwc-prompt"}


def feedback_area(*classes: str) -> widgets.HTML:
    """An empty feedback area (``pwc-feedback`` plus any extra classes)."""
    area = widgets.HTML("")
    for name in ("pwc-feedback", *classes):
        area.add_class(name)
    return area


def show(area: widgets.HTML, kind: str, html: str) -> None:
    """Fill a feedback area and mark it ``pwc-correct``, ``pwc-incorrect`` or ``pwc-prompt``;
    the class and the text reach the browser in one message, so nothing flashes."""
    with area.hold_sync():
        for state, name in STATE_CLASSES.items():
            if state != kind:
                area.remove_class(name)
        if kind in STATE_CLASSES:
            area.add_class(STATE_CLASSES[kind])
        area.value = html


def clear(area: widgets.HTML) -> None:
    """Empty a feedback area (e.g. when the learner changes the choice it was about)."""
    show(area, "", "")
