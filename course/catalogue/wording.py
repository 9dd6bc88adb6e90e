"""The one source of wording for rules and principles, looked up by id.

How a rule or principle is named comes from the framework data (``course/content/
framework.yaml``) through :class:`~course.catalogue.scenarios.Rule` and
:class:`~course.catalogue.scenarios.Principle`; every learner- and trainer-facing page (the
lessons' widgets, nbgrader's feedback, the cohort's feedback pages and report, the generated
exercise notebooks) takes its words from here.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from course.catalogue.scenarios import Framework, Principle, Rule, load_framework

#: Feedback's line for an item whose post breaks no rule.
NO_RULE_BROKEN = "None broken: this is fine to post."


@cache
def framework() -> Framework:
    """The course's framework (rules and principles), read once."""
    return load_framework()


def rule(rule_id: str) -> Rule:
    return next(r for r in framework().rules if r.id == rule_id)


def principle(principle_id: str) -> Principle:
    return next(p for p in framework().principles if p.id == principle_id)


def rule_names() -> dict[str, str]:
    """Rule id → 'Rule 1: title'."""
    return {r.id: r.name for r in framework().rules}


def principle_names() -> dict[str, str]:
    """Principle id → its name ('Being trustworthy')."""
    return {p.id: p.name for p in framework().principles}


def rule_numbered(rule_id: str | None) -> str:
    """'1. title'; for no rule, :data:`NO_RULE_BROKEN`."""
    return NO_RULE_BROKEN if rule_id is None else rule(rule_id).numbered


def principle_described(principle_id: str | None) -> str | None:
    """'name — plain meaning', or None."""
    return None if principle_id is None else principle(principle_id).described


#: English month names, whatever the computer's language (the certificate page uses them too).
MONTHS = ("January February March April May June July August September October November "
          "December")


def long_date(when: date) -> str:
    """'3 March 2025' (a date or a datetime)."""
    return f"{when.day} {MONTHS.split()[when.month - 1]} {when.year}"


def duration(minutes: int) -> str:
    """'3 hours 25 minutes', '1 hour', '45 minutes'."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
