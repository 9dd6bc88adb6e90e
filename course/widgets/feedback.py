"""Feedback copy shared by the widgets: boxes, rule and principle lines, verdict feedback.

The wording here is learner-facing product copy: plain, kind, specific, naming the rule.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets
from markupsafe import Markup, escape

from course import bank
from course.scenarios import Post, Rule

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
    """'Rule 1: Never share anything about a client online' (the policy point is number 6)."""
    return f"Rule {rule.number}: {rule.title}"


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


def verdict_parts(post: Post) -> list[Markup]:
    """The rule(s), principle(s) and explanation behind a post's verdict."""
    parts: list[Markup] = []
    if post.verdict == "not acceptable":
        rules = bank.rules()
        parts += [rule_line(rules[rule_id]) for rule_id in post.rules]
        parts.append(principles_line(post.principles))
    else:
        parts.append(Markup("<strong>No rule is broken here.</strong>"))
        rules = bank.rules()
        parts += [
            Markup("It keeps to <strong>{}</strong>.").format(rule_name(rules[rule_id]))
            for rule_id in post.rules
        ]
        parts.append(principles_line(post.principles, at_stake=False))
    parts.append(Markup("<strong>Why:</strong> {}").format(post.explanation.strip()))
    return parts


def verdict_feedback(post: Post, chosen: str | None) -> tuple[str, str]:
    """(kind, html) for a verdict; kind is ``correct``, ``incorrect`` or ``prompt``."""
    if chosen is None:
        return "prompt", box(
            "prompt", "Choose acceptable or not acceptable first, then check your answer."
        )
    if chosen == post.verdict:
        kind = "correct"
        title = Markup("Well judged: this post is <strong>{}</strong>.").format(post.verdict)
    else:
        kind = "incorrect"
        title = Markup(
            "Not quite: this post is <strong>{}</strong>. It is a useful one to learn from."
        ).format(post.verdict)
    return kind, box(kind, title, *verdict_parts(post))


def rule_feedback(post: Post, chosen: str | None) -> tuple[str, str]:
    """(kind, html) for the "which rule does it break?" follow-up."""
    if chosen is None:
        return "prompt", box("prompt", "Choose a rule first, then check it.")
    rules = bank.rules()
    broken = [rules[rule_id] for rule_id in post.rules]
    if chosen in post.rules:
        title = Markup("Yes: this post breaks <strong>{}</strong>.").format(
            rule_name(rules[chosen])
        )
        others = [rule_line(rule) for rule in broken if rule.id != chosen]
        parts = [escape(rules[chosen].plain)]
        if others:
            parts += [Markup("It also goes against another rule:"), *others]
        return "correct", box("correct", title, *parts)
    title = Markup("Not this one. Rule {}, “{}”, is about something else.").format(
        rules[chosen].number, rules[chosen].short
    )
    heading = "The rule it breaks:" if len(broken) == 1 else "The rules it breaks:"
    return "incorrect", box("incorrect", title, escape(heading), *(rule_line(r) for r in broken))


STATE_CLASSES = {"correct": "pwc-correct", "incorrect": "pwc-incorrect", "prompt": "pwc-prompt"}


def feedback_area(*classes: str) -> widgets.HTML:
    """An empty feedback area (``pwc-feedback`` plus any extra classes)."""
    area = widgets.HTML("")
    for name in ("pwc-feedback", *classes):
        area.add_class(name)
    return area


def show(area: widgets.HTML, kind: str, html: str) -> None:
    """Fill a feedback area and mark it ``pwc-correct``, ``pwc-incorrect`` or ``pwc-prompt``."""
    for state, name in STATE_CLASSES.items():
        if state != kind:
            area.remove_class(name)
    if kind in STATE_CLASSES:
        area.add_class(STATE_CLASSES[kind])
    area.value = html
