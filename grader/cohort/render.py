"""Shared HTML rendering: one autoescaping Jinja environment, names of rules and principles."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    """The template environment; every value is HTML-escaped unless marked safe."""
    env = Environment(loader=PackageLoader("grader.cohort", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["points"] = points
    env.filters["percent"] = lambda v: "–" if v != v else f"{v * 100:.0f}%"
    env.filters["decimal"] = lambda v: "–" if v != v else f"{v:.2f}"
    return env


def points(value: float | None) -> str:
    """``17.0`` → ``17``, ``16.5`` → ``16.5``, None → empty."""
    if value is None:
        return ""
    return f"{value:g}"


@cache
def framework_names() -> tuple[dict[str, str], dict[str, str]]:
    """Rule id → 'Rule 1: title' and principle id → name, from the course's framework data."""
    from course.catalogue.scenarios import load_framework

    framework = load_framework()
    rules = {r.id: f"Rule {r.number}: {r.title}" for r in framework.rules}
    principles = {p.id: p.name for p in framework.principles}
    return rules, principles
